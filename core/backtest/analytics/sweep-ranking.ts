/**
 * Ranking of a parameter sweep by one metric, best first (direction from metric-direction.ts unless
 * given). Ties share a rank ("1, 2, 2, 4") and keep their input order; NaN ranks last.
 */
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
}

export function rankSweep(
  rows: readonly SweepRow[],
  metric: MetricKey,
  direction: Direction = metricDirection(metric),
): RankedSweepRow[] {
  const order = rows
    .map((row, index) => ({ row, index, value: row.metrics[metric] }))
    .sort((a, b) => compareBetter(a.value, b.value, direction) || a.index - b.index);
  const ranked: RankedSweepRow[] = [];
  for (let i = 0; i < order.length; i++) {
    const { row, value } = order[i]!;
    const prev = ranked[i - 1];
    const tied = prev !== undefined && compareBetter(prev.value, value, direction) === 0;
    ranked.push({ ...row, rank: tied ? prev.rank : i + 1, value });
  }
  return ranked;
}
