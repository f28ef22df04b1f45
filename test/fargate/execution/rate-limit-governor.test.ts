import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/time/manual-clock.ts';
import { RateLimitGovernor } from '../../../fargate/execution/rate-limit-governor.ts';
import { WeightedLimiter } from '../../../fargate/rate-limit/weighted-limiter.ts';

function setUp() {
  const clock = new ManualClock(0);
  const limiter = new WeightedLimiter({ limit: 1000, windowMs: 60_000, burstFraction: 0.5 }, clock);
  const governor = new RateLimitGovernor(
    limiter,
    [{ header: 'x-mbx-used-weight-1m', limit: 1000, windowMs: 60_000 }],
    () => 30_000,
  );
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
  return { clock, limiter, governor, headers };
}

async function grantedAfter(clock: ManualClock, limiter: WeightedLimiter): Promise<number> {
  let granted = false;
  const p = limiter.acquire(1).then(() => {
    granted = true;
  });
  let waited = 0;
  while (!granted) {
    clock.advance(10);
    waited += 10;
    await Promise.resolve();
    if (waited > 120_000) throw new Error('never granted');
  }
  await p;
  return waited;
}

describe('RateLimitGovernor', () => {
  it('below 80 % of the header limit: no pause', async () => {
    const { clock, limiter, governor, headers } = setUp();
    governor.observe(200, headers({ 'x-mbx-used-weight-1m': '700' }));
    expect(governor.stats.slowdowns).toBe(0);
    await expect(limiter.acquire(1)).resolves.toBeUndefined();
    expect(limiter.stats.pauses).toBe(0);
    clock.advance(1);
  });

  it('past 80 %: slows down, more the closer to the limit', async () => {
    const a = setUp();
    a.governor.observe(200, a.headers({ 'x-mbx-used-weight-1m': '850' }));
    const b = setUp();
    b.governor.observe(200, b.headers({ 'x-mbx-used-weight-1m': '990' }));
    expect(a.governor.stats.slowdowns).toBe(1);
    const waitA = await grantedAfter(a.clock, a.limiter);
    const waitB = await grantedAfter(b.clock, b.limiter);
    expect(waitA).toBeGreaterThan(0);
    expect(waitB).toBeGreaterThan(waitA);
  });

  it('at the limit: queue until the window turns', async () => {
    const { clock, limiter, governor, headers } = setUp();
    governor.observe(200, headers({ 'x-mbx-used-weight-1m': '1000' }));
    expect(governor.stats.fullStops).toBe(1);
    const waited = await grantedAfter(clock, limiter);
    expect(waited).toBeGreaterThanOrEqual(30_000); // the wall clock said 30 s into the minute
  });

  it('429 honours Retry-After; 418 also marks the IP banned', async () => {
    const { clock, limiter, governor, headers } = setUp();
    governor.observe(429, headers({ 'retry-after': '7' }));
    expect(governor.stats.throttled).toBe(1);
    expect(await grantedAfter(clock, limiter)).toBeGreaterThanOrEqual(7000);
    expect(governor.banned).toBe(false);
    governor.observe(418, headers({ 'retry-after': '120' }));
    expect(governor.banned).toBe(true);
    expect(governor.stats.bans).toBe(1);
  });
});

describe('RateLimitGovernor.observeUsage (venues that report usage in their own form)', () => {
  it('a LimitUsage at the limit pauses until its reset', async () => {
    const { clock, limiter, governor } = setUp();
    expect(governor.observeUsage({ used: 10, limit: 10, resetInMs: 900 }, 1000)).toBe(1);
    const waited = await grantedAfter(clock, limiter);
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(1500);
  });
});
