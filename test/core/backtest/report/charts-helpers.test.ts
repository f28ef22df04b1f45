import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { m4Indices } from '../../../../core/backtest/report/charts/downsample.ts';
import { histogramBins } from '../../../../core/backtest/report/charts/histogram-bins.ts';
import { decimalsForStep, niceStep } from '../../../../core/backtest/report/charts/nice-step.ts';
import { tickNumber, tickPercent } from '../../../../core/backtest/report/charts/tick-label.ts';

describe('nice steps and tick labels', () => {
  it('1-2-5 steps and the decimals that tell them apart', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(1, 4)).toBe(0.2);
    expect(niceStep(7, 10)).toBe(0.5);
    expect(niceStep(0, 5)).toBe(1);
    expect(decimalsForStep(0.05)).toBe(2);
    expect(decimalsForStep(20)).toBe(0);
  });

  it('tick labels: shortest decimals, no float residue, thousands separators, M for millions', () => {
    expect(tickNumber(0.1 + 0.2)).toBe('0.3');
    expect(tickNumber(62_500)).toBe('62,500');
    expect(tickNumber(-0.0005)).toBe('−0.0005');
    expect(tickNumber(2_500_000)).toBe('2.5M');
    expect(tickPercent(0.001)).toBe('0.1%');
    expect(tickPercent(0.07)).toBe('7%');
  });
});

describe('M4 downsampling', () => {
  it('short series are kept whole', () => {
    expect(m4Indices([0, 1, 2], [5, 6, 7], 0, 2, 100)).toEqual([0, 1, 2]);
  });

  it('keeps first, min, max and last of each pixel column, in order', () => {
    const n = 100_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => Math.sin(i / 50) + (i === 54_321 ? 10 : 0));
    const keep = m4Indices(x, y, 0, n - 1, 200);
    expect(keep.length).toBeLessThanOrEqual(800);
    expect(keep).toContain(54_321); // the spike survives
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(n - 1);
    for (let i = 1; i < keep.length; i++) expect(keep[i]!).toBeGreaterThan(keep[i - 1]!);
  });

  it('property: the global min and max are always kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 50, maxLength: 2000 }),
        (ys) => {
          const xs = ys.map((_, i) => i);
          const keep = m4Indices(xs, ys, 0, ys.length - 1, 10);
          const kept = keep.map((i) => ys[i]!);
          expect(Math.min(...kept)).toBe(Math.min(...ys));
          expect(Math.max(...kept)).toBe(Math.max(...ys));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('histogram bins', () => {
  it('zero is an edge, counts add up', () => {
    const values = [-2.5, -0.1, 0, 0.2, 0.3, 1.9, 4];
    const b = histogramBins(values, 6);
    expect(b.edges).toContain(0);
    expect(b.counts.reduce((a, c) => a + c, 0)).toBe(values.length);
    expect(b.edges[0]!).toBeLessThanOrEqual(-2.5);
    expect(b.edges[b.edges.length - 1]!).toBeGreaterThanOrEqual(4);
  });

  it('a maximum on an edge closes the last bin instead of opening a new one', () => {
    const b = histogramBins([0, 1, 2, 3, 4], 4);
    expect(b.edges).toEqual([0, 1, 2, 3, 4]);
    expect(b.counts).toEqual([1, 1, 1, 2]);
  });

  it('one repeated value, empty input, non-finite values', () => {
    const one = histogramBins([0.06, 0.06]);
    expect(one.counts.reduce((a, c) => a + c, 0)).toBe(2);
    expect(histogramBins([]).counts).toEqual([]);
    expect(histogramBins([Number.NaN, 1, Number.POSITIVE_INFINITY]).counts.reduce((a, c) => a + c, 0)).toBe(
      1,
    );
  });
});
