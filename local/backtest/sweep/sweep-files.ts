/**
 * The sweep's own files beside the report: sweep.json (everything: ranked rows with all metrics,
 * walk-forward folds, latency curve, fast-mode error) and sweep.csv (one ranked row per grid point).
 * Pure builders; deterministic for a deterministic sweep.
 */
import type { MetricKey, Metrics } from '../../../core/backtest/analytics/metrics.ts';
import type { RankedSweepRow } from '../../../core/backtest/analytics/sweep-ranking.ts';
import { buildCsv, type Column } from '../../../core/backtest/report/csv.ts';
import { METRIC_INFO } from '../../../core/backtest/report/metric-labels.ts';
import { toFiniteJson } from '../../../core/backtest/report/metrics-json.ts';
import type { SweepOutcome } from './run-sweep.ts';

export interface SweepMeta {
  readonly strategy: string;
  readonly scenario: string;
  readonly seed: number;
  readonly data: string;
  readonly grid: Readonly<Record<string, readonly string[]>>;
}

export function sweepJson(outcome: SweepOutcome, meta: SweepMeta): string {
  const wf = outcome.walkForward;
  return toFiniteJson({
    runId: outcome.runId,
    ...meta,
    metric: outcome.metric,
    searchMode: outcome.mode,
    runs: outcome.runs,
    rows: outcome.ranked.map((r) => ({ rank: r.rank, params: r.params, value: r.value, metrics: r.metrics })),
    best: {
      params: outcome.best.gridParams,
      allParams: outcome.best.params,
      fullModeMetrics: outcome.best.metrics,
    },
    ...(wf
      ? {
          walkForward: {
            folds: wf.spec.folds,
            inSampleFraction: wf.spec.inSampleFraction,
            anchored: wf.spec.anchored,
            metric: wf.summary.metric,
            meanInSample: wf.summary.meanInSample,
            meanOutOfSample: wf.summary.meanOutOfSample,
            degradation: wf.summary.degradation,
            outOfSamplePnl: wf.summary.outOfSamplePnl,
            outOfSampleProfitableShare: wf.summary.outOfSampleProfitableShare,
            rows: wf.folds.map((f, k) => ({
              fold: k + 1,
              inSample: f.window.inSample,
              outOfSample: f.window.outOfSample,
              bestParams: wf.bestParams[k],
              inSampleValue: wf.summary.folds[k]!.inSample,
              outOfSampleValue: wf.summary.folds[k]!.outOfSample,
              ratio: wf.summary.folds[k]!.ratio,
              inSampleMetrics: f.inSample,
              outOfSampleMetrics: f.outOfSample,
            })),
          },
        }
      : {}),
    ...(outcome.latency ? { latency: outcome.latency } : {}),
    ...(outcome.fastError ? { fastModeError: outcome.fastError } : {}),
  });
}

export function sweepCsv(outcome: SweepOutcome): string {
  const names = [...new Set(outcome.rows.flatMap((r) => Object.keys(r.params)))];
  const metricKeys = Object.keys(METRIC_INFO) as MetricKey[];
  const columns: Column<RankedSweepRow>[] = [
    { name: 'rank', type: 'int', value: (r) => r.rank },
    ...names.map(
      (n): Column<RankedSweepRow> => ({
        name: n,
        type: typeof outcome.rows[0]?.params[n] === 'number' ? 'float' : 'text',
        value: (r) => {
          const v = r.params[n];
          return typeof v === 'boolean' ? String(v) : v;
        },
      }),
    ),
    ...metricKeys.map(
      (k): Column<RankedSweepRow> => ({ name: k, type: 'float', value: (r) => (r.metrics as Metrics)[k] }),
    ),
  ];
  return buildCsv(columns, outcome.ranked);
}
