import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decayingCounterPolicy,
  KRAKEN_CALL_COUNTER,
  KRAKEN_TRADING_COUNTER,
  krakenAmendPenalty,
  krakenCancelPenalty,
  krakenTradingUsage,
} from '../../../../fargate/execution/kraken/rate-limits.ts';
import { TokenBucket } from '../../../../fargate/rate-limit/token-bucket.ts';

describe('Kraken rate limits', () => {
  it('models each decaying counter as a token bucket of the same maximum and decay', () => {
    for (const counter of [...Object.values(KRAKEN_CALL_COUNTER), ...Object.values(KRAKEN_TRADING_COUNTER)]) {
      const bucket = new TokenBucket(decayingCounterPolicy(counter), 0);
      expect(bucket.capacity).toBeCloseTo(counter.max, 9);
      expect(bucket.refillPerMs * 1000).toBeCloseTo(counter.decayPerSecond, 9);
    }
  });

  it('lets a full Starter counter take 15 calls at once, then one per ~3 s', () => {
    const bucket = new TokenBucket(decayingCounterPolicy(KRAKEN_CALL_COUNTER.starter), 0);
    for (let i = 0; i < 15; i++) expect(bucket.tryTake(1, 0)).toBe(true);
    expect(bucket.tryTake(1, 0)).toBe(false);
    expect(bucket.tryTake(1, 3000)).toBe(false);
    expect(bucket.tryTake(1, 3031)).toBe(true);
  });

  it('charges a cancel less the older the order, +8 under 5 s and nothing after 300 s', () => {
    expect(krakenCancelPenalty(0)).toBe(8);
    expect(krakenCancelPenalty(299_999)).toBe(1);
    expect(krakenCancelPenalty(300_000)).toBe(0);
    expect(krakenAmendPenalty(1000)).toBe(3);
    fc.assert(
      fc.property(fc.nat({ max: 400_000 }), fc.nat({ max: 400_000 }), (a, b) => {
        const [young, old] = a < b ? [a, b] : [b, a];
        expect(krakenCancelPenalty(old)).toBeLessThanOrEqual(krakenCancelPenalty(young));
        expect(krakenAmendPenalty(old)).toBeLessThanOrEqual(krakenAmendPenalty(young));
      }),
    );
  });

  it('reads the streamed trading counter against the pair threshold', () => {
    expect(krakenTradingUsage(90, KRAKEN_TRADING_COUNTER.pro, 180)).toEqual({
      used: 90,
      limit: 180,
      resetInMs: 24_000,
    });
    expect(krakenTradingUsage(30, KRAKEN_TRADING_COUNTER.starter)).toEqual({
      used: 30,
      limit: 60,
      resetInMs: 30_000,
    });
    expect(krakenTradingUsage('30', KRAKEN_TRADING_COUNTER.starter)).toBeUndefined();
    expect(krakenTradingUsage(-1, KRAKEN_TRADING_COUNTER.starter)).toBeUndefined();
  });
});
