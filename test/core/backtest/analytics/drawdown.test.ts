import { describe, expect, it } from 'vitest';
import {
  drawdownSeries,
  drawdownStats,
  maxDrawdownOfPath,
} from '../../../../core/backtest/analytics/drawdown.ts';

const S = 1_000_000;

describe('drawdown', () => {
  it('max drawdown and its duration by hand', () => {
    // Peak 120 at t=1 s, trough 90 at t=2 s (−25 %), back above at t=4 s → 3 s underwater;
    // then 125 < 130 from t=4 s to the end at t=5 s → 1 s.
    const ts = [0, 1, 2, 3, 4, 5].map((s) => s * S);
    const v = [100, 120, 90, 110, 130, 125];
    const d = drawdownStats(ts, v, 0, 100);
    expect(d.maxDrawdown).toBeCloseTo(0.25, 12);
    expect(d.maxDrawdownDurationUs).toBe(3 * S);
    expect(d.troughIndex).toBe(2);
    expect(Array.from(drawdownSeries(v, 100)).map((x) => Number(x.toFixed(6)))).toEqual([
      0, 0, 0.25, 0.083333, 0, 0.038462,
    ]);
  });

  it('the initial capital is the first peak', () => {
    // Starts at 1000 at t=0, first sample already at 950: a 5 % drawdown from the start.
    const d = drawdownStats([S, 2 * S, 3 * S], [950, 980, 1000], 0, 1000);
    expect(d.maxDrawdown).toBeCloseTo(0.05, 12);
    expect(d.maxDrawdownDurationUs).toBe(3 * S); // back AT the peak counts as recovered
  });

  it('an unrecovered drawdown lasts until the last sample', () => {
    const d = drawdownStats([0, 10 * S, 20 * S, 30 * S], [100, 110, 105, 100], 0, 100);
    expect(d.maxDrawdownDurationUs).toBe(20 * S);
    expect(d.maxDrawdown).toBeCloseTo(10 / 110, 12);
  });

  it('time spent AT the peak is not underwater', () => {
    const d = drawdownStats([0, S, 2 * S, 3 * S, 4 * S], [100, 100, 100, 99, 100], 0, 100);
    expect(d.maxDrawdownDurationUs).toBe(2 * S); // from t=2 s (last at peak) to t=4 s
  });

  it('rising or flat equity has no drawdown', () => {
    expect(drawdownStats([0, S, 2 * S], [100, 101, 102], 0, 100)).toEqual({
      maxDrawdown: 0,
      maxDrawdownDurationUs: 0,
      troughIndex: -1,
    });
    expect(drawdownStats([], [], 0, 100).maxDrawdown).toBe(0);
  });

  it('path drawdown for Monte Carlo', () => {
    expect(maxDrawdownOfPath([110, 88, 120], 100)).toBeCloseTo(0.2, 12);
    expect(maxDrawdownOfPath([], 100)).toBe(0);
    expect(maxDrawdownOfPath([90], 100)).toBeCloseTo(0.1, 12);
  });
});
