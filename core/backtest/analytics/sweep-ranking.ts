/**
 * Ranking of a parameter sweep by one metric, best first (direction from metric-direction.ts unless
 * given). Ties share a rank ("1, 2, 2, 4") and keep their input order; NaN ranks last. An annualized
 * metric on runs too short to annualize ranks by its per-sample form (annualized-stand-in.ts); each
 * row says which metric it was ranked by.
 */
import { comparableMetric } from './annualized-stand-in.ts';
import { compareBetter, type Direction, metricDirection } from './metric-direction.ts';
import type { MetricKey, Metrics } from './metrics.ts';

export type ParamValue = number | string | boolean;
export type ParamSet = Readonly<Record<string, ParamValue>>;

export interface SweepRow {
  readonly params: ParamSet;
  readonly metrics: Metrics;
}

export interface RankedSweepRow extends SweepRow {
  /** 1 = best. */
  readonly rank: number;
  /** The ranking metric's value. */
  readonly value: number;
  /** The metric ranked by: the one asked for, or its per-sample stand-in. */
  readonly metric: MetricKey;
}

export function rankSweep(
  rows: readonly SweepRow[],
  asked: MetricKey,
  direction?: Direction,
): RankedSweepRow[] {
  const metric = comparableMetric(
    asked,
    rows.map((r) => r.metrics),
  );
  const dir = direction ?? metricDirection(metric);
  const order = rows
    .map((row, index) => ({ row, index, value: row.metrics[metric] }))
    .sort((a, b) => compareBetter(a.value, b.value, dir) || a.index - b.index);
  const ranked: RankedSweepRow[] = [];
  for (let i = 0; i < order.length; i++) {
    const { row, value } = order[i]!;
    const prev = ranked[i - 1];
    const tied = prev !== undefined && compareBetter(prev.value, value, dir) === 0;
    ranked.push({ ...row, rank: tied ? prev.rank : i + 1, value, metric });
  }
  return ranked;
}
