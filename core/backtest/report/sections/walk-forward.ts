/** Walk-forward section: in-sample vs out-of-sample per fold and the degradation ratio. */
import type { MetricKey } from '../../analytics/metrics.ts';
import { summarizeWalkForward, type WalkForwardFoldResult } from '../../analytics/walk-forward-summary.ts';
import { legend, refLines, valueAxis } from '../charts/axes.ts';
import { CHART } from '../charts/palette.ts';
import { GRID, renderChart } from '../charts/render-chart.ts';
import { formatNumber, formatPercent, formatUtc } from '../format.ts';
import { axisFormat, formatMoney, METRIC_INFO } from '../metric-labels.ts';
import { figure, section, signClass, table } from './layout.ts';

export interface WalkForwardInput {
  readonly folds: readonly WalkForwardFoldResult[];
  /** Metric compared IS vs OOS (default 'sharpe'). */
  readonly metric?: MetricKey;
}

export function renderWalkForward(input: WalkForwardInput): string {
  const metric = input.metric ?? 'sharpe';
  const info = METRIC_INFO[metric];
  const s = summarizeWalkForward(input.folds, metric);
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const hasBars = s.folds.some((f) => Number.isFinite(f.inSample) || Number.isFinite(f.outOfSample));
  const bars = (name: string, colour: string, values: readonly number[]) => ({
    type: 'bar' as const,
    name,
    color: colour,
    barMaxWidth: 48,
    data: values.map(finite),
  });
  const chart = renderChart({
    plot: 'walk-forward',
    title: `Walk-forward: ${info.label} in-sample vs out-of-sample`,
    description: `${info.label} of each fold's in-sample (fitted) and out-of-sample (unseen) window.`,
    width: 960,
    height: 300,
    option: {
      grid: GRID,
      legend: legend(),
      xAxis: {
        type: 'category',
        name: 'Fold',
        nameLocation: 'middle',
        nameGap: 28,
        nameTextStyle: { color: CHART.muted },
        axisLine: { lineStyle: { color: CHART.axis } },
        axisLabel: { color: CHART.muted },
        data: s.folds.map((f) => `fold ${f.fold + 1}`),
      },
      yAxis: valueAxis({ name: info.label, format: axisFormat(metric), includeZero: true }),
      series: [
        {
          ...bars(
            'In-sample',
            CHART.is,
            s.folds.map((f) => f.inSample),
          ),
          markLine: refLines('y', [{ value: 0, colour: CHART.axis, solid: true }]),
        },
        bars(
          'Out-of-sample',
          CHART.oos,
          s.folds.map((f) => f.outOfSample),
        ),
      ],
    },
    ...(hasBars ? {} : { emptyText: 'No data' }),
  });
  const window = (w: { start: number; end: number }) =>
    `<span class="mono">${formatUtc(w.start, 'minute')} → ${formatUtc(w.end, 'minute')}</span>`;
  const rows = input.folds.map((f, i) => {
    const r = s.folds[i]!;
    return [
      String(r.fold + 1),
      window(f.window.inSample),
      window(f.window.outOfSample),
      info.format(r.inSample),
      info.format(r.outOfSample),
      r.ratio === null ? '–' : formatNumber(r.ratio, 2),
      `<span class="${signClass(f.inSample.pnl)}">${formatMoney(f.inSample.pnl, true)}</span>`,
      `<span class="${signClass(f.outOfSample.pnl)}">${formatMoney(f.outOfSample.pnl, true)}</span>`,
    ];
  });
  const foldTable = table(
    [
      'Fold',
      'In-sample window (UTC)',
      'Out-of-sample window (UTC)',
      `IS ${info.label}`,
      `OOS ${info.label}`,
      'OOS / IS',
      'IS PnL',
      'OOS PnL',
    ],
    rows,
    [false, false, false, true, true, true, true, true],
    'wf-table',
  );
  const deg =
    s.degradation === null
      ? '<strong>–</strong> <span class="note">(in-sample mean ≤ 0: no edge to keep)</span>'
      : `<strong class="${s.degradation >= 0.5 ? 'pos' : 'neg'}">${formatNumber(s.degradation, 2)}</strong>`;
  const summary =
    `<div class="card"><p>Degradation ratio (mean OOS / mean IS ${info.label}): ${deg} · ` +
    `mean IS ${info.format(s.meanInSample)}, mean OOS ${info.format(s.meanOutOfSample)} · ` +
    `out-of-sample profitable in ${formatPercent(s.outOfSampleProfitableShare, 0)} of folds · ` +
    `OOS PnL total <span class="${signClass(s.outOfSamplePnl)}">${formatMoney(s.outOfSamplePnl, true)}</span></p>${foldTable}</div>`;
  return section('walk-forward', 'Walk-forward', figure(chart) + summary, `${input.folds.length} folds`);
}
