import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { m4Indices } from '../../../../core/backtest/report/svg/downsample.ts';
import { histogramBins } from '../../../../core/backtest/report/svg/histogram-bins.ts';
import {
  decimalsForStep,
  linearScale,
  niceDomain,
  niceStep,
  ticksInside,
} from '../../../../core/backtest/report/svg/linear-scale.ts';
import { utcTicks } from '../../../../core/backtest/report/svg/time-ticks.ts';

describe('linear scales and nice ticks', () => {
  it('1-2-5 steps', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(1, 4)).toBe(0.2);
    expect(niceStep(7, 10)).toBe(0.5);
    expect(niceStep(0, 5)).toBe(1);
  });

  it('ticks are clean multiples of the step', () => {
    expect(ticksInside(0.05, 0.95, 0.1)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(ticksInside(-3, 3, 2)).toEqual([-2, 0, 2]);
  });

  it('nice domains contain the data and do not cross zero needlessly', () => {
    const d = niceDomain(9990, 10_020);
    expect(d.domain[0]).toBeLessThanOrEqual(9990);
    expect(d.domain[1]).toBeGreaterThanOrEqual(10_020);
    expect(niceDomain(0, 80).domain[0]).toBe(0);
    const flat = niceDomain(100, 100);
    expect(flat.domain[0]).toBeLessThan(100);
    expect(flat.domain[1]).toBeGreaterThan(100);
  });

  it('maps domain to range', () => {
    const s = linearScale([0, 10], [100, 200]);
    expect(s.map(5)).toBe(150);
    expect(decimalsForStep(0.05)).toBe(2);
    expect(decimalsForStep(20)).toBe(0);
  });
});

describe('UTC time ticks', () => {
  const start = Date.UTC(2024, 4, 1, 12, 0, 0) * 1000;

  it('an hour on a 900-px axis: 5-minute ticks on the minute, HH:MM labels, date in the title', () => {
    const t = utcTicks(start, start + 3600e6, 900);
    expect(t.interval).toBe(300e6);
    expect(t.ticks[0]).toBe(start);
    expect(t.ticks.map(t.format).slice(0, 3)).toEqual(['12:00', '12:05', '12:10']);
    expect(t.label).toBe('Time (UTC, 2024-05-01)');
  });

  it('seconds and milliseconds for short spans', () => {
    const s = utcTicks(start + 1, start + 20e6, 900);
    expect(s.format(s.ticks[0]!)).toMatch(/^12:00:\d\d$/);
    const ms = utcTicks(start, start + 400_000, 900);
    expect(ms.format(ms.ticks[1]!)).toMatch(/^12:00:00\.\d{3}$/);
  });

  it('several days: dates', () => {
    const d = utcTicks(start, start + 10 * 86_400e6, 900);
    expect(d.label).toBe('Time (UTC)');
    expect(d.ticks.length).toBeGreaterThan(2);
    expect(d.ticks.length).toBeLessThan(12);
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
