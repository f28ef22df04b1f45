/** Parameter sweep section: heatmap over two parameters and the ranked table of runs. */

import { comparableMetric } from '../../analytics/annualized-stand-in.ts';
import type { MetricKey, Metrics } from '../../analytics/metrics.ts';
import { sweepHeatmap } from '../../analytics/sweep-heatmap.ts';
import { rankSweep, type SweepRow } from '../../analytics/sweep-ranking.ts';
import { renderHeatmap } from '../charts/heatmap.ts';
import { escapeHtml } from '../escape.ts';
import { METRIC_INFO } from '../metric-labels.ts';
import { figure, section, table } from './layout.ts';

export interface SweepInput {
  readonly rows: readonly SweepRow[];
  /** Ranking and heatmap metric (default 'sharpe'). */
  readonly metric?: MetricKey;
  /** Heatmap axes; default: the first two parameters that vary. */
  readonly xParam?: string;
  readonly yParam?: string;
  /** Rows shown in the ranked table (default 20). */
  readonly top?: number;
}

const TABLE_METRICS: readonly MetricKey[] = [
  'pnl',
  'totalReturn',
  'sharpe',
  'maxDrawdown',
  'winRate',
  'numRoundTrips',
];

function varyingParams(rows: readonly SweepRow[]): string[] {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  return keys.filter((k) => new Set(rows.map((r) => String(r.params[k]))).size > 1);
}

export function renderSweep(input: SweepInput): string {
  // An annualized metric on runs too short to annualize: its per-sample stand-in, named as such below.
  const metric = comparableMetric(
    input.metric ?? 'sharpe',
    input.rows.map((r) => r.metrics),
  );
  const info = METRIC_INFO[metric];
  const varying = varyingParams(input.rows);
  const xParam = input.xParam ?? varying[0];
  const yParam = input.yParam ?? varying.find((k) => k !== xParam);
  let heat = '';
  if (xParam !== undefined && yParam !== undefined) {
    const data = sweepHeatmap(input.rows, xParam, yParam, metric);
    heat = figure(
      renderHeatmap({
        plot: 'sweep-heatmap',
        title: `Sweep: ${info.label} by ${xParam} × ${yParam}`,
        description: `${info.label} of each parameter combination; other parameters at their best.`,
        data,
        format: info.format,
      }),
      data.best
        ? 'Green = better, red = worse; the best cell is outlined. ' +
            `Best: ${escapeHtml(xParam)}=${escapeHtml(String(data.best.x))}, ${escapeHtml(yParam)}=${escapeHtml(String(data.best.y))} → ${escapeHtml(info.format(data.best.value))}. ` +
            'Where other parameters also varied, a cell shows the best run over them.'
        : undefined,
    );
  }
  const ranked = rankSweep(input.rows, metric).slice(0, input.top ?? 20);
  const params =
    varying.length > 0 ? varying : [...new Set(input.rows.flatMap((r) => Object.keys(r.params)))];
  const cols = [metric, ...TABLE_METRICS.filter((m) => m !== metric)];
  const rows = ranked.map((r) => [
    String(r.rank),
    ...params.map((p) => `<span class="mono">${escapeHtml(String(r.params[p] ?? '–'))}</span>`),
    ...cols.map((m) => escapeHtml(METRIC_INFO[m].format((r.metrics as Metrics)[m]))),
  ]);
  const head = ['#', ...params.map(escapeHtml), ...cols.map((m) => escapeHtml(METRIC_INFO[m].label))];
  const numeric = [true, ...params.map(() => false), ...cols.map(() => true)];
  const ranking = `<div class="card">${table(head, rows, numeric, 'sweep-table')}<p class="note">Ranked by ${escapeHtml(info.label)}${
    ranked.length < input.rows.length ? `; top ${ranked.length} of ${input.rows.length} runs` : ''
  }.</p></div>`;
  return section('sweep', 'Parameter sweep', heat + ranking, `${input.rows.length} runs`);
}
