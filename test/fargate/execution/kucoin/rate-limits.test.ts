import { describe, expect, it } from 'vitest';
import { kucoinLimitUsage, kucoinWsLimitUsage } from '../../../../fargate/execution/kucoin/rate-limits.ts';

describe('KuCoin rate-limit readers', () => {
  it('reads the gw-ratelimit headers (reset in ms)', () => {
    const headers = new Headers({
      'gw-ratelimit-limit': '4000',
      'gw-ratelimit-remaining': '3990',
      'gw-ratelimit-reset': '29000',
    });
    expect(kucoinLimitUsage(headers)).toEqual({ used: 10, limit: 4000, resetInMs: 29_000 });
  });

  it('reads the rateLimit object of an order-entry WebSocket reply', () => {
    expect(kucoinWsLimitUsage({ limit: 1600, reset: 15_000, remaining: 0 })).toEqual({
      used: 1600,
      limit: 1600,
      resetInMs: 15_000,
    });
  });

  it('returns undefined when the fields are absent or malformed', () => {
    expect(kucoinLimitUsage(new Headers())).toBeUndefined();
    expect(
      kucoinLimitUsage(new Headers({ 'gw-ratelimit-limit': '4000', 'gw-ratelimit-remaining': 'x' })),
    ).toBeUndefined();
    expect(kucoinWsLimitUsage({ limit: 1.5, remaining: 1 })).toBeUndefined();
    expect(kucoinWsLimitUsage('rateLimit')).toBeUndefined();
  });
});
