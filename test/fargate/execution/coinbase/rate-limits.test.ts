import { describe, expect, it } from 'vitest';
import { coinbaseLimitUsage } from '../../../../fargate/execution/coinbase/rate-limits.ts';

const NOW = 1_700_000_000_000;

describe('coinbaseLimitUsage', () => {
  it('reads limit / remaining and a reset given as epoch seconds', () => {
    const h = new Headers({
      'x-ratelimit-limit': '30',
      'x-ratelimit-remaining': '6',
      'x-ratelimit-reset': '1700000001',
    });
    expect(coinbaseLimitUsage(h, NOW)).toEqual({ used: 24, limit: 30, resetInMs: 1000 });
  });

  it('reads a reset given as seconds from now', () => {
    const h = new Headers({
      'x-ratelimit-limit': '30',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '0.25',
    });
    expect(coinbaseLimitUsage(h, NOW)).toEqual({ used: 30, limit: 30, resetInMs: 250 });
  });

  it('returns undefined without the headers', () => {
    expect(coinbaseLimitUsage(new Headers(), NOW)).toBeUndefined();
    expect(
      coinbaseLimitUsage(new Headers({ 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '-1' }), NOW),
    ).toBeUndefined();
  });
});
