import { describe, expect, it } from 'vitest';
import { MICROS_PER_YEAR } from '../../../../core/backtest/analytics/periods.ts';
import {
  annualizedVolatility,
  annualizeReturn,
  equityReturns,
  sharpeRatio,
  sortinoRatio,
} from '../../../../core/backtest/analytics/returns.ts';
import type { EquityPoint } from '../../../../core/backtest/result.ts';

const DAY = 86_400_000_000;

function points(values: number[], stepUs = DAY): EquityPoint[] {
  return values.map((equity, i) => ({ ts: i * stepUs, equity, position: 0, mid: 1 }));
}

describe('equity returns', () => {
  it('are simple returns per sample with the median interval', () => {
    const s = equityReturns(points([100, 110, 99, 108.9]));
    expect(Array.from(s.returns).map((r) => Number(r.toFixed(12)))).toEqual([0.1, -0.1, 0.1]);
    expect(s.intervalUs).toBe(DAY);
    expect(s.periodsPerYear).toBe(365);
  });

  it('1-second sampling means 31,536,000 periods a year (crypto: 365 days)', () => {
    expect(equityReturns(points([1, 1, 1], 1_000_000)).periodsPerYear).toBe(31_536_000);
  });
});

describe('Sharpe and Sortino', () => {
  // Daily returns +10 %, −10 %, +10 %: mean 1/30, sample σ = 0.2/√3, downside deviation = 0.1/√3.
  const r = [0.1, -0.1, 0.1];

  it('Sharpe = mean / σ × √365 = √(365/12) for the hand example', () => {
    expect(sharpeRatio(r, 365)).toBeCloseTo(Math.sqrt(365 / 12), 10);
    expect(sharpeRatio(r, 365)).toBeCloseTo(5.515130702591431, 10);
  });

  it('Sortino = mean / downside deviation × √365 = √(365/3) for the hand example', () => {
    expect(sortinoRatio(r, 365)).toBeCloseTo(Math.sqrt(365 / 3), 10);
  });

  it('volatility = σ × √365', () => {
    expect(annualizedVolatility(r, 365)).toBeCloseTo((0.2 / Math.sqrt(3)) * Math.sqrt(365), 12);
  });

  it('a flat equity gives 0, not NaN or Infinity', () => {
    const flat = equityReturns(points([1000, 1000, 1000, 1000])).returns;
    expect(sharpeRatio(flat, 365)).toBe(0);
    expect(sortinoRatio(flat, 365)).toBe(0);
    expect(annualizedVolatility(flat, 365)).toBe(0);
  });

  it('float noise on an unchanged equity is still flat', () => {
    const noisy = equityReturns(points([10_000, 10_000.000000000002, 10_000, 10_000.000000000002])).returns;
    expect(sharpeRatio(noisy, 365)).toBe(0);
  });

  it('fewer than two returns or an unknown interval give 0', () => {
    expect(sharpeRatio([0.1], 365)).toBe(0);
    expect(sharpeRatio([], 365)).toBe(0);
    expect(sharpeRatio(r, 0)).toBe(0);
    expect(sortinoRatio([0.1], 365)).toBe(0);
  });

  it('no losing period with a positive mean: Sortino is +Infinity, Sharpe stays finite', () => {
    const up = [0.01, 0.02, 0.01];
    expect(sortinoRatio(up, 365)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(sharpeRatio(up, 365))).toBe(true);
  });
});

describe('annualized return', () => {
  it('is the return itself over exactly one year', () => {
    expect(annualizeReturn(0.1, MICROS_PER_YEAR)).toBeCloseTo(0.1, 12);
  });

  it('compounds over more than a year: +21 % in 2 years is +10 % a year', () => {
    expect(annualizeReturn(0.21, 2 * MICROS_PER_YEAR)).toBeCloseTo(0.1, 12);
  });

  it('scales linearly below a year: +5 % in half a year is +10 % a year', () => {
    expect(annualizeReturn(0.05, MICROS_PER_YEAR / 2)).toBeCloseTo(0.1, 12);
    // One hour: × 8760.
    expect(annualizeReturn(0.001, MICROS_PER_YEAR / 8760)).toBeCloseTo(8.76, 9);
  });

  it('degenerate inputs', () => {
    expect(annualizeReturn(0.1, 0)).toBe(0);
    expect(annualizeReturn(-1.5, MICROS_PER_YEAR * 3)).toBe(-1);
    expect(annualizeReturn(Number.NaN, MICROS_PER_YEAR)).toBe(0);
  });
});
