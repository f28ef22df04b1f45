/**
 * The backtest report as ONE self-contained HTML file: inline CSS, inline SVG plots rendered on the
 * server by ECharts (./charts/), no scripts, fonts, images or links to anything outside the file — it opens offline,
 * can be mailed or archived, and renders the same in any browser.
 *
 * Pure and deterministic: the same input gives the same bytes (no clock: the run's own timestamps
 * are the only times shown). Optional sections appear when their data is given.
 *
 * Every plot is an <svg data-plot="…" id="plot-…">: equity, drawdown, position, price,
 * pnl-distribution; optional mc-return, mc-drawdown, walk-forward, latency, sweep-heatmap.
 */
import type { LatencySensitivity } from '../analytics/latency-sensitivity.ts';
import { computeMetrics, type Metrics } from '../analytics/metrics.ts';
import type { MonteCarloResult } from '../analytics/monte-carlo.ts';
import type { BacktestResult } from '../result.ts';
import { escapeHtml } from './escape.ts';
import { renderHeader } from './sections/header.ts';
import { renderLatency } from './sections/latency.ts';
import { currenciesOf } from './sections/layout.ts';
import { renderMetricsTable } from './sections/metrics-table.ts';
import { renderMonteCarlo } from './sections/monte-carlo.ts';
import { renderRunPlots } from './sections/run-plots.ts';
import { renderSweep, type SweepInput } from './sections/sweep.ts';
import { renderWalkForward, type WalkForwardInput } from './sections/walk-forward.ts';
import { REPORT_CSS } from './styles.ts';

export interface ReportInput {
  readonly result: BacktestResult;
  /** Computed from the result when not given. */
  readonly metrics?: Metrics;
  readonly monteCarlo?: MonteCarloResult;
  readonly walkForward?: WalkForwardInput;
  readonly latency?: LatencySensitivity;
  readonly sweep?: SweepInput;
  /** Page heading; default "<strategy> · <scenario>". */
  readonly title?: string;
  /** Extra lines for the footer (e.g. the fast mode's measured error). HTML-escaped. */
  readonly notes?: readonly string[];
}

const CONVENTIONS = [
  'Sharpe and Sortino: per-sample returns of the equity series, annualized with √(samples per 365-day year) at the series’ median sampling interval; risk-free rate and Sortino target 0.',
  'Annualized return: compounded for runs of a year or more, scaled linearly for shorter runs (compounding minutes to a year is meaningless).',
  'Max drawdown: largest fall from a running peak (the initial capital is the first peak), as a fraction of the peak.',
  'Round trips: FIFO-matched fills from flat to flat, pnl net of fees. Fill ratio: orders with any fill / orders not rejected.',
  'All times UTC. Long series are downsampled per pixel (first/min/max/last), so every spike stays visible.',
];

export function renderHtmlReport(input: ReportInput): string {
  const { result } = input;
  const metrics = input.metrics ?? computeMetrics(result);
  const ccy = currenciesOf(result.symbols);
  const title = input.title ?? `${result.strategy} · ${result.scenario}`;
  const nav: [string, string][] = [
    ['metrics', 'Metrics'],
    ['equity', 'Equity'],
    ['trades', 'Trades'],
  ];
  const optional: string[] = [];
  if (input.monteCarlo) {
    nav.push(['monte-carlo', 'Monte Carlo']);
    optional.push(renderMonteCarlo(input.monteCarlo, metrics));
  }
  if (input.walkForward && input.walkForward.folds.length > 0) {
    nav.push(['walk-forward', 'Walk-forward']);
    optional.push(renderWalkForward(input.walkForward));
  }
  if (input.latency && input.latency.points.length > 0) {
    nav.push(['latency', 'Latency']);
    optional.push(renderLatency(input.latency, ccy));
  }
  if (input.sweep && input.sweep.rows.length > 0) {
    nav.push(['sweep', 'Sweep']);
    optional.push(renderSweep(input.sweep));
  }
  const notes = [...CONVENTIONS, ...(input.notes ?? [])].map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  const pageTitle = `Backtest: ${result.strategy} · ${result.scenario} · ${result.runId}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network, ever: the policy makes the browser refuse anything not inline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(pageTitle)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head><body><main>',
    renderHeader(result, metrics, ccy, title, nav),
    renderMetricsTable(metrics),
    renderRunPlots(result, metrics, ccy),
    ...optional,
    `<footer><strong>Conventions</strong><ul>${notes}</ul></footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
