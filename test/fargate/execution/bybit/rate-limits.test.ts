import { describe, expect, it } from 'vitest';
import { bybitLimitUsage, bybitWsLimitUsage } from '../../../../fargate/execution/bybit/rate-limits.ts';

const NOW = 1_700_000_000_000;

describe('Bybit rate-limit readers', () => {
  it('reads the REST limit headers into used / limit / reset', () => {
    const headers = new Headers({
      'X-Bapi-Limit': '10',
      'X-Bapi-Limit-Status': '2',
      'X-Bapi-Limit-Reset-Timestamp': String(NOW + 350),
    });
    expect(bybitLimitUsage(headers, NOW)).toEqual({ used: 8, limit: 10, resetInMs: 350 });
  });

  it('reads the header object of a trade-WebSocket reply', () => {
    const header = {
      'X-Bapi-Limit': '20',
      'X-Bapi-Limit-Status': '19',
      'X-Bapi-Limit-Reset-Timestamp': String(NOW - 5),
      Timenow: String(NOW),
    };
    expect(bybitWsLimitUsage(header, NOW)).toEqual({ used: 1, limit: 20, resetInMs: 0 });
    expect(bybitWsLimitUsage({ 'x-bapi-limit': '20', 'x-bapi-limit-status': '0' }, NOW)).toEqual({
      used: 20,
      limit: 20,
      resetInMs: 0,
    });
  });

  it('returns undefined when the limit headers are absent or malformed', () => {
    expect(bybitLimitUsage(new Headers(), NOW)).toBeUndefined();
    expect(
      bybitLimitUsage(new Headers({ 'X-Bapi-Limit': '-1', 'X-Bapi-Limit-Status': '1' }), NOW),
    ).toBeUndefined();
    expect(
      bybitLimitUsage(new Headers({ 'X-Bapi-Limit': '0', 'X-Bapi-Limit-Status': '0' }), NOW),
    ).toBeUndefined();
    expect(bybitWsLimitUsage(null, NOW)).toBeUndefined();
    expect(bybitWsLimitUsage({ 'X-Bapi-Limit': 10 }, NOW)).toBeUndefined();
  });
});
