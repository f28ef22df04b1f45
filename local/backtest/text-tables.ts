/**
 * The terminal output of the backtest and sweep commands: small fixed-width tables, numbers
 * formatted like the HTML report (core/backtest/report: METRIC_INFO and format.ts, locale-free).
 */
import type { LatencySensitivity } from '../../core/backtest/analytics/latency-sensitivity.ts';
import type { MetricKey, Metrics } from '../../core/backtest/analytics/metrics.ts';
import type { RankedSweepRow } from '../../core/backtest/analytics/sweep-ranking.ts';
import { formatNumber, formatPercent, formatUtc } from '../../core/backtest/report/format.ts';
import { annualizationNote, formatMoney, METRIC_INFO } from '../../core/backtest/report/metric-labels.ts';
import { textTable } from '../../core/format/text-table.ts';
import type { WalkForwardOutcome } from './sweep/run-sweep.ts';

/** The headline metrics of one run, as label/value lines. */
export const SUMMARY_METRICS: readonly MetricKey[] = [
  'pnl',
  'totalReturn',
  'annualizedReturn',
  'sharpeOverPeriod',
  'sharpePerSample',
  'sharpe',
  'sortino',
  'volatilityOverPeriod',
  'maxDrawdown',
  'winRate',
  'profitFactor',
  'fillRatio',
  'numOrders',
  'numRejected',
  'numFills',
  'numRoundTrips',
  'fees',
  'turnover',
  'periodSec',
  'samplingIntervalSec',
];

/** The table, then the note saying whether its figures are annualized (annualizationNote). */
export function formatMetricsSummary(metrics: Metrics, keys: readonly MetricKey[] = SUMMARY_METRICS): string {
  const rows = keys.map((k) => [METRIC_INFO[k].label, METRIC_INFO[k].format(metrics[k]), k]);
  return `${textTable([['metric', 'value', 'key'], ...rows], [false, true, false])}\n${annualizationNote(metrics)}`;
}

/** "rejected: min_notional 1,714, tick 2" — why orders were refused, most frequent first ('' when none). */
export function formatRejects(
  orders: readonly { readonly state: string; readonly rejectReason?: string }[],
): string {
  const counts = new Map<string, number>();
  for (const o of orders)
    if (o.state === 'rejected')
      counts.set(o.rejectReason ?? 'unknown', (counts.get(o.rejectReason ?? 'unknown') ?? 0) + 1);
  if (counts.size === 0) return '';
  const parts = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => `${reason} ${formatNumber(n, 0)}`);
  return `rejected orders: ${parts.join(', ')}`;
}

const RANK_COLUMNS: readonly MetricKey[] = [
  'pnl',
  'totalReturn',
  'sharpe',
  'maxDrawdown',
  'fillRatio',
  'numFills',
];

export function formatRankedTable(ranked: readonly RankedSweepRow[], metric: MetricKey, top = 20): string {
  // The rows say which metric they were ranked by (an annualized one's stand-in on short runs).
  metric = ranked[0]?.metric ?? metric;
  const names = [...new Set(ranked.flatMap((r) => Object.keys(r.params)))];
  const cols = RANK_COLUMNS.filter((k) => k !== metric);
  const head = ['rank', ...names, metric, ...cols];
  const rows = ranked
    .slice(0, top)
    .map((r) => [
      String(r.rank),
      ...names.map((n) => String(r.params[n] ?? '')),
      METRIC_INFO[metric].format(r.value),
      ...cols.map((k) => METRIC_INFO[k].format(r.metrics[k])),
    ]);
  const right = head.map((_, c) => c === 0 || c > names.length);
  const more = ranked.length > top ? `\n… ${ranked.length - top} more rows in sweep.csv` : '';
  return textTable([head, ...rows], right) + more;
}

export function formatWalkForwardTable(wf: WalkForwardOutcome): string {
  const s = wf.summary;
  const info = METRIC_INFO[s.metric];
  const head = [
    'fold',
    'in-sample (UTC)',
    'out-of-sample (UTC)',
    'best params',
    `IS ${s.metric}`,
    `OOS ${s.metric}`,
    'OOS/IS',
    'IS pnl',
    'OOS pnl',
  ];
  const window = (w: { start: number; end: number }) =>
    `${formatUtc(w.start, 'second')} → ${formatUtc(w.end, 'second').slice(11)}`;
  const rows = wf.folds.map((f, k) => {
    const r = s.folds[k]!;
    return [
      String(k + 1),
      window(f.window.inSample),
      window(f.window.outOfSample),
      Object.entries(wf.bestParams[k] ?? {})
        .map(([n, v]) => `${n}=${v}`)
        .join(' '),
      info.format(r.inSample),
      info.format(r.outOfSample),
      r.ratio === null ? '–' : formatNumber(r.ratio, 2),
      formatMoney(f.inSample.pnl, true),
      formatMoney(f.outOfSample.pnl, true),
    ];
  });
  const table = textTable([head, ...rows], [true, false, false, false, true, true, true, true, true]);
  return (
    `${table}\n` +
    `mean IS ${info.format(s.meanInSample)}, mean OOS ${info.format(s.meanOutOfSample)}, degradation ` +
    `${s.degradation === null ? '– (no in-sample edge)' : formatNumber(s.degradation, 2)}; OOS pnl ` +
    `${formatMoney(s.outOfSamplePnl, true)}, profitable OOS folds ${formatPercent(s.outOfSampleProfitableShare, 0)}`
  );
}

export function formatLatencyTable(l: LatencySensitivity): string {
  const rows = l.points.map((p) => [
    `+${formatNumber(p.addedLatencyMs, p.addedLatencyMs % 1 === 0 ? 0 : 1)} ms`,
    formatMoney(p.pnl, true),
  ]);
  const rel =
    l.relativeSlopePerMs === null ? '–' : `${formatPercent(l.relativeSlopePerMs, 2, true)} of base pnl`;
  return (
    `${textTable([['added latency', 'pnl'], ...rows], [true, true])}\n` +
    `sensitivity: ${formatMoney(l.slopePerMs, true)} per ms (${rel} per ms)` +
    (l.rSquared === null ? '' : `, R² ${formatNumber(l.rSquared, 2)}`)
  );
}
