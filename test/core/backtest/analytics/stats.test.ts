import { describe, expect, it } from 'vitest';
import {
  mean,
  medianPositiveStep,
  percentileSorted,
  sampleStd,
} from '../../../../core/backtest/analytics/stats.ts';

describe('descriptive statistics', () => {
  it('mean and sample standard deviation', () => {
    expect(mean([])).toBe(0);
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleStd([5])).toBe(0);
    // Deviations −1.5, −0.5, 0.5, 1.5 → Σ² = 5, / (n − 1) = 5/3.
    expect(sampleStd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('percentiles interpolate linearly between ranks (numpy default)', () => {
    const s = [1, 2, 3, 4];
    expect(percentileSorted(s, 50)).toBe(2.5);
    expect(percentileSorted(s, 0)).toBe(1);
    expect(percentileSorted(s, 100)).toBe(4);
    expect(percentileSorted(s, 25)).toBeCloseTo(1.75, 12); // rank 0.75
    expect(percentileSorted([10, 20, 30, 40, 50], 5)).toBeCloseTo(12, 12); // rank 0.2
    expect(percentileSorted([7], 95)).toBe(7);
    expect(percentileSorted([], 50)).toBe(0);
  });

  it('median positive step ignores repeated timestamps and a single gap', () => {
    expect(medianPositiveStep([0, 10, 20, 20, 30, 100, 110])).toBe(10);
    expect(medianPositiveStep([5])).toBe(0);
    expect(medianPositiveStep([5, 5, 5])).toBe(0);
  });
});
