import { describe, expect, it } from 'vitest';
import { bootstrapRoundTrips, distributionOf } from '../../../../core/backtest/analytics/monte-carlo.ts';
import { randomResult } from './random-result.ts';

const trips = (pnls: number[]) => pnls.map((pnl) => ({ pnl }));

describe('Monte Carlo bootstrap of round trips', () => {
  const r = randomResult({ seed: 21 });

  it('is deterministic by seed', () => {
    const a = bootstrapRoundTrips(r.roundTrips, r.initialCapital, { seed: 5, simulations: 300 });
    const b = bootstrapRoundTrips(r.roundTrips, r.initialCapital, { seed: 5, simulations: 300 });
    const c = bootstrapRoundTrips(r.roundTrips, r.initialCapital, { seed: 6, simulations: 300 });
    expect(a).toEqual(b);
    expect(a.totalReturn.samples).not.toEqual(c.totalReturn.samples);
  });

  it('percentiles are ordered and the samples sorted', () => {
    const mc = bootstrapRoundTrips(r.roundTrips, r.initialCapital, { seed: 1, simulations: 500 });
    expect(mc.totalReturn.samples).toHaveLength(500);
    for (const d of [mc.totalReturn, mc.maxDrawdown]) {
      const p = d.percentiles;
      expect(d.min).toBeLessThanOrEqual(p.p5);
      expect(p.p5).toBeLessThanOrEqual(p.p25);
      expect(p.p25).toBeLessThanOrEqual(p.p50);
      expect(p.p50).toBeLessThanOrEqual(p.p75);
      expect(p.p75).toBeLessThanOrEqual(p.p95);
      expect(p.p95).toBeLessThanOrEqual(d.max);
      for (let i = 1; i < d.samples.length; i++)
        expect(d.samples[i]!).toBeGreaterThanOrEqual(d.samples[i - 1]!);
    }
    expect(mc.maxDrawdown.min).toBeGreaterThanOrEqual(0);
    expect(mc.probabilityOfLoss).toBe(mc.totalReturn.samples.filter((v) => v < 0).length / 500);
  });

  it('identical trades give a degenerate distribution, known exactly', () => {
    const mc = bootstrapRoundTrips(trips([2, 2, 2]), 100, { seed: 3, simulations: 50 });
    expect(mc.totalReturn.percentiles).toEqual({ p5: 0.06, p25: 0.06, p50: 0.06, p75: 0.06, p95: 0.06 });
    expect(mc.maxDrawdown.max).toBe(0);
    expect(mc.probabilityOfLoss).toBe(0);
  });

  it('all losing trades: certain loss, drawdown = total loss / capital', () => {
    const mc = bootstrapRoundTrips(trips([-1, -1, -1, -1, -1]), 100, { seed: 3, simulations: 20 });
    expect(mc.probabilityOfLoss).toBe(1);
    expect(mc.maxDrawdown.percentiles.p50).toBeCloseTo(0.05, 12);
    expect(mc.totalReturn.mean).toBeCloseTo(-0.05, 12);
  });

  it('the mean return matches n × mean pnl / capital (law of large numbers)', () => {
    const mc = bootstrapRoundTrips(trips([3, -1]), 1000, {
      seed: 8,
      simulations: 2000,
      tradesPerSimulation: 50,
    });
    expect(mc.tradesPerSimulation).toBe(50);
    // Expected 50 × 1 / 1000 = 0.05; σ of the mean ≈ √50 × 2 / 1000 / √2000 ≈ 0.0003.
    expect(Math.abs(mc.totalReturn.mean - 0.05)).toBeLessThan(0.002);
  });

  it('probability of loss matches the binomial by hand', () => {
    // 5 draws of +3 / −1: k wins give 4k − 5 < 0 only for k ≤ 1 → P = (1 + 5) / 32 = 0.1875.
    const mc = bootstrapRoundTrips(trips([3, -1]), 1000, {
      seed: 2,
      simulations: 4000,
      tradesPerSimulation: 5,
    });
    expect(Math.abs(mc.probabilityOfLoss - 0.1875)).toBeLessThan(0.025); // 4 σ
  });

  it('no round trips: zero outcomes, no NaN', () => {
    const mc = bootstrapRoundTrips([], 1000, { seed: 1, simulations: 10 });
    expect(mc.tradesPerSimulation).toBe(0);
    expect(mc.totalReturn.percentiles.p50).toBe(0);
    expect(mc.maxDrawdown.max).toBe(0);
    expect(mc.probabilityOfLoss).toBe(0);
  });

  it('distributionOf by hand', () => {
    const d = distributionOf([5, 1, 4, 2, 3]);
    expect(d.samples).toEqual([1, 2, 3, 4, 5]);
    expect(d.mean).toBe(3);
    expect(d.percentiles.p50).toBe(3);
    expect(d.percentiles.p25).toBe(2);
    expect(d.percentiles.p5).toBeCloseTo(1.2, 12);
  });
});
