import { describe, expect, it } from 'vitest';
import { sweepHeatmap } from '../../../../core/backtest/analytics/sweep-heatmap.ts';
import { rankSweep, type SweepRow } from '../../../../core/backtest/analytics/sweep-ranking.ts';
import { metricsWith } from './metrics-fixture.ts';

const THIRTY_DAYS_SEC = 30 * 86_400;

/** Runs of 30 days: their Sharpe is annualized, and a NaN one is missing (ranked last). */
const row = (params: SweepRow['params'], sharpe: number, maxDrawdown = 0): SweepRow => ({
  params,
  metrics: metricsWith({ sharpe, maxDrawdown, periodSec: THIRTY_DAYS_SEC }),
});

describe('sweep ranking', () => {
  const rows = [
    row({ spread: 1 }, 0.5, 0.1),
    row({ spread: 2 }, 2, 0.3),
    row({ spread: 3 }, Number.NaN, 0.05),
    row({ spread: 4 }, 1, 0.2),
    row({ spread: 5 }, 2, 0.2),
    row({ spread: 6 }, Number.POSITIVE_INFINITY, 0.2),
  ];

  it('best first, ties share a rank and keep input order, NaN last', () => {
    const r = rankSweep(rows, 'sharpe');
    expect(r.map((x) => x.params.spread)).toEqual([6, 2, 5, 4, 1, 3]);
    expect(r.map((x) => x.rank)).toEqual([1, 2, 2, 4, 5, 6]);
    expect(r[0]!.value).toBe(Number.POSITIVE_INFINITY);
  });

  it('lower is better for drawdown', () => {
    const r = rankSweep(rows, 'maxDrawdown');
    expect(r.map((x) => x.params.spread)).toEqual([3, 1, 4, 5, 6, 2]);
    expect(r.map((x) => x.rank)).toEqual([1, 2, 3, 3, 3, 6]);
  });

  it('direction can be forced', () => {
    expect(rankSweep(rows, 'maxDrawdown', 'higher')[0]!.params.spread).toBe(2);
  });
});

describe('sweep heatmap', () => {
  const rows = [
    row({ spread: 5, size: 0.01, levels: 1 }, 1.0),
    row({ spread: 5, size: 0.01, levels: 2 }, 1.4), // same cell: best of the two
    row({ spread: 1, size: 0.01, levels: 1 }, -0.5),
    row({ spread: 10, size: 0.02, levels: 1 }, 0.7),
    row({ spread: 1, size: 0.02, levels: 1 }, Number.NaN),
    row({ spread: 2, levels: 1 }, 9), // no size: left out
  ];

  it('one cell per pair, sorted axes, best over the other parameters, null where missing', () => {
    const h = sweepHeatmap(rows, 'spread', 'size', 'sharpe');
    expect(h.xValues).toEqual([1, 5, 10]);
    expect(h.yValues).toEqual([0.01, 0.02]);
    expect(h.cells).toEqual([
      [-0.5, 1.4, null],
      [null, null, 0.7],
    ]);
    expect(h.counts).toEqual([
      [1, 2, 0],
      [1, 0, 1],
    ]);
    expect(h.min).toBe(-0.5);
    expect(h.max).toBe(1.4);
    expect(h.best).toEqual({ x: 5, y: 0.01, value: 1.4 });
  });

  it('lower-is-better metrics keep the lowest value per cell', () => {
    const h = sweepHeatmap(
      [row({ a: 1, b: 1, c: 1 }, 0, 0.3), row({ a: 1, b: 1, c: 2 }, 0, 0.1)],
      'a',
      'b',
      'maxDrawdown',
    );
    expect(h.cells).toEqual([[0.1]]);
    expect(h.direction).toBe('lower');
  });

  it('mixed parameter types sort numbers, then strings, then booleans', () => {
    const h = sweepHeatmap(
      [
        row({ x: 'b', y: true }, 1),
        row({ x: 2, y: false }, 1),
        row({ x: 'a', y: true }, 1),
        row({ x: 10, y: true }, 1),
      ],
      'x',
      'y',
      'sharpe',
    );
    expect(h.xValues).toEqual([2, 10, 'a', 'b']);
    expect(h.yValues).toEqual([false, true]);
  });

  it('empty sweep', () => {
    const h = sweepHeatmap([], 'a', 'b', 'sharpe');
    expect(h.cells).toEqual([]);
    expect(h.best).toBeNull();
    expect([h.min, h.max]).toEqual([0, 0]);
  });
});

describe('annualized metrics on runs too short to annualize', () => {
  const short = (params: SweepRow['params'], sharpePerSample: number): SweepRow => ({
    params,
    metrics: metricsWith({ sharpe: Number.NaN, sharpePerSample, periodSec: 360 }),
  });

  it('rank by the per-sample stand-in, and say so', () => {
    const r = rankSweep(
      [short({ spread: 1 }, -0.1), short({ spread: 2 }, 0.3), short({ spread: 3 }, 0.1)],
      'sharpe',
    );
    expect(r.map((x) => x.params.spread)).toEqual([2, 3, 1]);
    expect(r.map((x) => x.metric)).toEqual(['sharpePerSample', 'sharpePerSample', 'sharpePerSample']);
    expect(r[0]!.value).toBe(0.3);
  });

  it('a metric with no stand-in, or runs long enough, keep the metric asked for', () => {
    expect(rankSweep([short({ spread: 1 }, 0.1)], 'pnl')[0]!.metric).toBe('pnl');
    expect(rankSweep([row({ spread: 1 }, 1)], 'sharpe')[0]!.metric).toBe('sharpe');
  });
});
