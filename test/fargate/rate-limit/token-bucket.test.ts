import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/time/manual-clock.ts';
import { TokenBucket } from '../../../fargate/rate-limit/token-bucket.ts';
import { WeightedLimiter } from '../../../fargate/rate-limit/weighted-limiter.ts';

const BINANCE_SPOT = { limit: 6000, windowMs: 60_000, burstFraction: 0.2 };

/** Largest weight granted inside any window of `windowMs` (grants as [timeMs, weight]). */
function maxInWindow(grants: ReadonlyArray<readonly [number, number]>, windowMs: number): number {
  let best = 0;
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < grants.length; hi++) {
    sum += grants[hi]![1];
    while (grants[hi]![0] - grants[lo]![0] >= windowMs) sum -= grants[lo++]![1];
    best = Math.max(best, sum);
  }
  return best;
}

describe('TokenBucket', () => {
  it('holds the burst share and refills the rest over the window', () => {
    const b = new TokenBucket(BINANCE_SPOT, 0);
    expect(b.capacity).toBe(1200);
    expect(b.available(0)).toBe(1200);
    expect(b.tryTake(1000, 0)).toBe(true);
    expect(b.tryTake(250, 0)).toBe(false);
    // 4800 per minute → 0.08 per ms: 50 more need 625 ms.
    expect(b.msUntil(250, 0)).toBe(625);
    expect(b.tryTake(250, 625)).toBe(true);
  });

  it('runs a request heavier than the bucket on a full bucket and then repays the debt', () => {
    const b = new TokenBucket({ limit: 100, windowMs: 1000, burstFraction: 0.1 }, 0);
    expect(b.tryTake(5, 0)).toBe(true);
    expect(b.tryTake(25, 0)).toBe(false); // needs a full bucket (10)
    expect(b.tryTake(25, 56)).toBe(true); // 5 + 56 ms × 0.09 ≥ 10
    expect(b.available(56)).toBeLessThan(0);
    // 15 of debt plus 1 more at 0.09/ms.
    expect(b.msUntil(1, 56)).toBeGreaterThan(170);
  });
});

describe('WeightedLimiter (fake clock)', () => {
  it('never spends more than the limit in any window, in arrival order', async () => {
    const clock = new ManualClock(0);
    const limiter = new WeightedLimiter(BINANCE_SPOT, clock);
    const grants: Array<[number, number]> = [];
    const order: number[] = [];
    // 60 depth snapshots of weight 250 (limit=5000) and some light requests, all at once.
    const weights = Array.from({ length: 80 }, (_, i) => (i % 4 === 3 ? 5 : 250));
    const done = weights.map((w, i) =>
      limiter.acquire(w).then(() => {
        grants.push([clock.nowMs(), w]);
        order.push(i);
      }),
    );
    for (let t = 0; t < 400_000 && grants.length < weights.length; t += 100) {
      clock.advance(100);
      await Promise.resolve();
      await Promise.resolve();
    }
    await Promise.all(done);
    expect(order).toEqual(weights.map((_, i) => i));
    expect(maxInWindow(grants, 60_000)).toBeLessThanOrEqual(6000);
    // And it is not needlessly slow: 15,150 weight at 4800/min after a 1200 burst ≈ 174 s.
    const total = weights.reduce((a, b) => a + b, 0);
    const last = grants[grants.length - 1]![0];
    expect(last).toBeLessThanOrEqual(((total - 1200) / 4800) * 60_000 + 1000);
  });

  it('respects the limit for any arrival pattern (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 250 })), {
          minLength: 1,
          maxLength: 40,
        }),
        async (arrivals) => {
          // Capacity 250 covers every request weight: the bound must hold exactly.
          const policy = { limit: 1000, windowMs: 10_000, burstFraction: 0.25 };
          const clock = new ManualClock(0);
          const limiter = new WeightedLimiter(policy, clock);
          const grants: Array<[number, number]> = [];
          const sorted = [...arrivals].sort((a, b) => a[0] - b[0]);
          const pending: Promise<void>[] = [];
          let i = 0;
          for (let t = 0; t <= 200_000 && grants.length < sorted.length; t += 50) {
            while (i < sorted.length && sorted[i]![0] <= t) {
              const w = sorted[i++]![1];
              pending.push(limiter.acquire(w).then(() => void grants.push([clock.nowMs(), w])));
            }
            clock.advance(50);
            await Promise.resolve();
            await Promise.resolve();
          }
          await Promise.all(pending);
          expect(grants.length).toBe(sorted.length);
          expect(maxInWindow(grants, policy.windowMs)).toBeLessThanOrEqual(policy.limit);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('pauses everyone when the venue says so, and near-limit usage empties the bucket', async () => {
    const clock = new ManualClock(0);
    const limiter = new WeightedLimiter(BINANCE_SPOT, clock);
    limiter.pauseFor(5000);
    let granted = false;
    const p = limiter.acquire(1).then(() => {
      granted = true;
    });
    clock.advance(4000);
    await Promise.resolve();
    expect(granted).toBe(false);
    clock.advance(1100);
    await p;
    expect(granted).toBe(true);
    limiter.observeUsed(5500);
    expect(limiter.bucket.available(clock.nowMs())).toBe(0);
    expect(limiter.stats.pauses).toBe(2);
  });

  it('drops an aborted request from the queue', async () => {
    const clock = new ManualClock(0);
    const limiter = new WeightedLimiter({ limit: 10, windowMs: 1000, burstFraction: 0.5 }, clock);
    await limiter.acquire(5);
    const ac = new AbortController();
    const aborted = limiter.acquire(5, ac.signal);
    const next = limiter.acquire(5);
    ac.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    clock.advance(1000);
    await next;
    expect(limiter.queued).toBe(0);
  });
});
