/** The top of the report: what was run (strategy, scenario, params, seed, period, symbols) and the KPIs. */
import type { Metrics } from '../../analytics/metrics.ts';
import type { BacktestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatDuration, formatNumber, formatPercent, formatUtc } from '../format.ts';
import { formatMoney, METRIC_INFO } from '../metric-labels.ts';
import { type Currencies, signClass } from './layout.ts';

function metaItem(label: string, value: string, wide = false): string {
  return `<div${wide ? ' class="wide"' : ''}><dt>${escapeHtml(label)}</dt><dd>${value}</dd></div>`;
}

function paramChips(params: BacktestResult['params']): string {
  const keys = Object.keys(params).sort();
  if (keys.length === 0) return '<span class="note">defaults</span>';
  return `<div class="chips">${keys
    .map((k) => `<span class="chip mono">${escapeHtml(k)}=${escapeHtml(String(params[k]))}</span>`)
    .join('')}</div>`;
}

function kpi(label: string, value: string, detail: string, cls = ''): string {
  return (
    `<div class="card kpi"><div class="eyebrow">${escapeHtml(label)}</div>` +
    `<div class="value ${cls}">${value}</div><div class="detail">${detail}</div></div>`
  );
}

export function renderHeader(
  result: BacktestResult,
  metrics: Metrics,
  ccy: Currencies,
  title: string,
  nav: readonly (readonly [string, string])[],
): string {
  const period = `${formatUtc(result.startTs, 'second')} → ${formatUtc(result.endTs, 'second').slice(formatUtc(result.startTs, 'day') === formatUtc(result.endTs, 'day') ? 11 : 0)} UTC`;
  const meta = [
    metaItem('Strategy', `<strong>${escapeHtml(result.strategy)}</strong>`),
    metaItem('Scenario', escapeHtml(result.scenario)),
    metaItem('Symbols', escapeHtml(result.symbols.join(', ') || '–')),
    metaItem(
      'Period',
      `${escapeHtml(period)} <span class="note">(${formatDuration(result.endTs - result.startTs)})</span>`,
      true,
    ),
    metaItem('Seed', `<span class="mono">${escapeHtml(String(result.seed))}</span>`),
    metaItem('Events replayed', formatNumber(result.events, 0)),
    metaItem('Initial capital', `${formatMoney(result.initialCapital)} ${escapeHtml(ccy.quote)}`),
    metaItem('Parameters', paramChips(result.params), true),
  ].join('');
  const m = metrics;
  const kpis = [
    kpi(
      'Net PnL',
      `${formatMoney(m.pnl, true)} <span class="note">${escapeHtml(ccy.quote)}</span>`,
      `${formatPercent(m.totalReturn, 2, true)} · fees ${formatMoney(m.fees)}`,
      signClass(m.pnl),
    ),
    // A run too short to annualize shows its Sharpe over the run, and says so.
    Number.isNaN(m.sharpe)
      ? kpi(
          'Sharpe (run, not annualized)',
          METRIC_INFO.sharpeOverPeriod.format(m.sharpeOverPeriod),
          `per sample ${METRIC_INFO.sharpePerSample.format(m.sharpePerSample)} · Sortino (run) ${METRIC_INFO.sortinoOverPeriod.format(m.sortinoOverPeriod)}`,
          signClass(m.sharpeOverPeriod),
        )
      : kpi(
          'Sharpe (ann.)',
          METRIC_INFO.sharpe.format(m.sharpe),
          `Sortino ${METRIC_INFO.sortino.format(m.sortino)} · run ${METRIC_INFO.sharpeOverPeriod.format(m.sharpeOverPeriod)}`,
          signClass(m.sharpe),
        ),
    kpi(
      'Max drawdown',
      formatPercent(-m.maxDrawdown, 2),
      `underwater ${formatDuration(m.maxDrawdownDurationUs)}`,
      m.maxDrawdown > 0 ? 'neg' : '',
    ),
    kpi('Win rate', formatPercent(m.winRate, 1), `${formatNumber(m.numRoundTrips, 0)} round trips`),
    kpi(
      'Profit factor',
      METRIC_INFO.profitFactor.format(m.profitFactor),
      `avg trade ${formatMoney(m.avgTradePnl, true)}`,
      m.numRoundTrips > 0 ? (m.profitFactor >= 1 ? 'pos' : 'neg') : '',
    ),
    kpi(
      'Fill ratio',
      formatPercent(m.fillRatio, 1),
      `${formatNumber(m.numFills, 0)} fills / ${formatNumber(m.numOrders, 0)} orders`,
    ),
  ].join('');
  const links = nav.map(([id, label]) => `<a href="#${escapeHtml(id)}">${escapeHtml(label)}</a>`).join('');
  return (
    `<header class="report"><div><div class="eyebrow">Backtest report</div><h1>${escapeHtml(title)}</h1></div>` +
    `<div class="run-id mono">run ${escapeHtml(result.runId)}</div></header>` +
    `<nav class="toc">${links}</nav>` +
    `<dl class="card meta">${meta}</dl>` +
    `<div class="kpis" id="kpis">${kpis}</div>`
  );
}
