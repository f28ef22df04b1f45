import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import {
  BYBIT_PATH_LIMITS,
  BybitEndpointLimits,
} from '../../../../fargate/execution/bybit/endpoint-limits.ts';

describe('BybitEndpointLimits', () => {
  it('keeps granting order creates past the per-second limit, never more than the limit in any second', async () => {
    const clock = new ManualClock(0);
    const { limiter } = new BybitEndpointLimits(clock, () => clock.nowMs()).forPath('/v5/order/create');
    const perSecond = BYBIT_PATH_LIMITS['/v5/order/create']!;
    const grantedAt: number[] = [];
    const wanted = perSecond * 5;
    for (let i = 0; i < wanted; i++) void limiter.acquire(1).then(() => grantedAt.push(clock.nowMs()));
    for (let ms = 0; ms < 10_000 && grantedAt.length < wanted; ms += 10) {
      await Promise.resolve();
      clock.advance(10);
      await Promise.resolve();
    }
    expect(grantedAt.length).toBe(wanted);
    // Sliding one-second windows over the grant times: never above the venue's limit.
    for (let i = 0; i < grantedAt.length; i++) {
      const inWindow = grantedAt.filter((t) => t >= grantedAt[i]! && t < grantedAt[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(perSecond);
    }
  });
});
