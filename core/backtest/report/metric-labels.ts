/** How each metric is named and formatted in the report (one table, used by every section). */
import type { MetricKey, Metrics } from '../analytics/metrics.ts';
import { annualizationSupported, MIN_ANNUALIZATION_DAYS } from '../analytics/returns.ts';
import { tickNumber, tickPercent } from './charts/tick-label.ts';
import { formatDuration, formatNumber, formatPercent, formatSigned } from './format.ts';

export type MetricGroup = 'returns' | 'risk' | 'trades' | 'execution';

export interface MetricInfo {
  readonly label: string;
  readonly group: MetricGroup;
  readonly format: (v: number) => string;
  /** Shown as the cell's tooltip. */
  readonly help: string;
}

/** Money: cents for amounts ≥ 1, more digits for fees and small pnl. */
export function formatMoney(v: number, signed = false): string {
  const decimals = Math.abs(v) >= 1 || v === 0 ? 2 : 4;
  return signed ? formatSigned(v, decimals) : formatNumber(v, decimals);
}

const money = (v: number) => formatMoney(v);
const signedMoney = (v: number) => formatMoney(v, true);
const pct = (v: number) => formatPercent(v, 2);
const signedPct = (v: number) => formatPercent(v, 2, true);
const ratio = (v: number) => formatNumber(v, 2);
const share = (v: number) => formatPercent(v, 1);
const count = (v: number) => formatNumber(v, 0);
const seconds = (v: number) => formatDuration(v * 1e6);
const micros = (v: number) => formatDuration(v);

export const METRIC_INFO: Readonly<Record<MetricKey, MetricInfo>> = {
  initialCapital: {
    label: 'Initial capital',
    group: 'returns',
    format: money,
    help: 'Capital at the start, quote currency',
  },
  finalEquity: {
    label: 'Final equity',
    group: 'returns',
    format: money,
    help: 'Cash + positions marked to mid at the end',
  },
  pnl: {
    label: 'Net PnL',
    group: 'returns',
    format: signedMoney,
    help: 'Final equity − initial capital (after fees and funding)',
  },
  realizedPnl: {
    label: 'Realized PnL',
    group: 'returns',
    format: signedMoney,
    help: 'Sum of closed round trips, net of their fees',
  },
  totalReturn: {
    label: 'Total return',
    group: 'returns',
    format: signedPct,
    help: 'Net PnL / initial capital',
  },
  annualizedReturn: {
    label: 'Annualized return',
    group: 'returns',
    format: signedPct,
    help: `365-day year; compounded for runs ≥ 1 year, linear below; – for runs under ${MIN_ANNUALIZATION_DAYS} days`,
  },
  volatility: {
    label: 'Volatility (ann.)',
    group: 'risk',
    format: pct,
    help: `σ of equity returns × √(periods per year); – for runs under ${MIN_ANNUALIZATION_DAYS} days`,
  },
  sharpe: {
    label: 'Sharpe (ann.)',
    group: 'risk',
    format: ratio,
    help: `mean / σ of equity returns, annualized, rf = 0; – for runs under ${MIN_ANNUALIZATION_DAYS} days`,
  },
  sortino: {
    label: 'Sortino (ann.)',
    group: 'risk',
    format: ratio,
    help: `mean / downside deviation, annualized, target 0; – for runs under ${MIN_ANNUALIZATION_DAYS} days`,
  },
  returnPerSample: {
    label: 'Return per sample',
    group: 'returns',
    format: (v) => formatPercent(v, 4, true),
    help: 'Mean equity return of one sampling interval',
  },
  volatilityPerSample: {
    label: 'Volatility per sample',
    group: 'risk',
    format: (v) => formatPercent(v, 4),
    help: 'σ of the equity returns of one sampling interval',
  },
  sharpePerSample: {
    label: 'Sharpe per sample',
    group: 'risk',
    format: (v) => formatNumber(v, 4),
    help: 'mean / σ of one sampling interval’s equity returns, rf = 0',
  },
  sortinoPerSample: {
    label: 'Sortino per sample',
    group: 'risk',
    format: (v) => formatNumber(v, 4),
    help: 'mean / downside deviation of one sampling interval’s equity returns, target 0',
  },
  volatilityOverPeriod: {
    label: 'Volatility (run)',
    group: 'risk',
    format: pct,
    help: 'σ per sample × √(number of samples): over the whole run',
  },
  sharpeOverPeriod: {
    label: 'Sharpe (run)',
    group: 'risk',
    format: ratio,
    help: 'Sharpe per sample × √(number of samples): over the whole run, not annualized',
  },
  sortinoOverPeriod: {
    label: 'Sortino (run)',
    group: 'risk',
    format: ratio,
    help: 'Sortino per sample × √(number of samples): over the whole run, not annualized',
  },
  maxDrawdown: {
    label: 'Max drawdown',
    group: 'risk',
    format: pct,
    help: 'Largest fall from a peak of equity',
  },
  maxDrawdownDurationUs: {
    label: 'Max drawdown duration',
    group: 'risk',
    format: micros,
    help: 'Longest time below a peak',
  },
  maxDrawdownDurationSec: {
    label: 'Longest underwater',
    group: 'risk',
    format: seconds,
    help: 'Longest time below a peak',
  },
  winRate: { label: 'Win rate', group: 'trades', format: share, help: 'Round trips with pnl > 0' },
  profitFactor: {
    label: 'Profit factor',
    group: 'trades',
    format: ratio,
    help: 'Gross profit / gross loss (∞: no losing trade)',
  },
  avgTradePnl: {
    label: 'Avg trade PnL',
    group: 'trades',
    format: signedMoney,
    help: 'Mean round-trip pnl, net of fees',
  },
  avgTradeDurationUs: {
    label: 'Avg trade duration',
    group: 'trades',
    format: micros,
    help: 'Mean entry-to-exit time',
  },
  avgTradeDurationSec: {
    label: 'Avg holding time',
    group: 'trades',
    format: seconds,
    help: 'Mean entry-to-exit time',
  },
  numRoundTrips: { label: 'Round trips', group: 'trades', format: count, help: 'Closed positions (FIFO)' },
  numOrders: {
    label: 'Orders',
    group: 'execution',
    format: count,
    help: 'Orders submitted, rejected included',
  },
  numRejected: {
    label: 'Rejected',
    group: 'execution',
    format: count,
    help: 'Orders refused (tick, lot, notional, post-only…)',
  },
  numFills: { label: 'Fills', group: 'execution', format: count, help: 'Executions' },
  fillRatio: {
    label: 'Fill ratio',
    group: 'execution',
    format: share,
    help: 'Orders with any fill / non-rejected orders',
  },
  fillRatioBySize: {
    label: 'Fill ratio by size',
    group: 'execution',
    format: share,
    help: 'Filled / submitted size',
  },
  turnover: {
    label: 'Turnover',
    group: 'execution',
    format: (v) => `${formatNumber(v, 2)}×`,
    help: 'Traded notional / initial capital',
  },
  tradedNotional: {
    label: 'Traded notional',
    group: 'execution',
    format: money,
    help: 'Σ price × size of fills',
  },
  fees: { label: 'Fees', group: 'execution', format: money, help: 'Paid (rebates negative)' },
  funding: { label: 'Funding', group: 'execution', format: money, help: 'Paid (received negative)' },
  periodSec: { label: 'Period', group: 'returns', format: seconds, help: 'End − start of the run' },
  samplingIntervalSec: {
    label: 'Equity sampling',
    group: 'risk',
    format: seconds,
    help: 'Interval of the equity series Sharpe/Sortino are annualized from',
  },
};

/** The rows of the metrics table, per group, in reading order (duplicated µs/s keys left out). */
export const METRIC_TABLE: Readonly<Record<MetricGroup, readonly MetricKey[]>> = {
  returns: [
    'pnl',
    'totalReturn',
    'annualizedReturn',
    'returnPerSample',
    'realizedPnl',
    'initialCapital',
    'finalEquity',
    'periodSec',
  ],
  risk: [
    'sharpeOverPeriod',
    'sharpePerSample',
    'sharpe',
    'sortinoOverPeriod',
    'sortinoPerSample',
    'sortino',
    'volatilityOverPeriod',
    'volatilityPerSample',
    'volatility',
    'maxDrawdown',
    'maxDrawdownDurationUs',
    'samplingIntervalSec',
  ],
  trades: ['numRoundTrips', 'winRate', 'profitFactor', 'avgTradePnl', 'avgTradeDurationUs'],
  execution: [
    'numOrders',
    'numRejected',
    'numFills',
    'fillRatio',
    'fillRatioBySize',
    'turnover',
    'tradedNotional',
    'fees',
    'funding',
  ],
};

const PERCENT_KEYS: ReadonlySet<MetricKey> = new Set<MetricKey>([
  'totalReturn',
  'annualizedReturn',
  'returnPerSample',
  'volatility',
  'volatilityPerSample',
  'volatilityOverPeriod',
  'maxDrawdown',
  'winRate',
  'fillRatio',
  'fillRatioBySize',
]);

/** Tick labels for an axis showing `key`, in the metric's unit. */
export function axisFormat(key: MetricKey): (v: number) => string {
  if (PERCENT_KEYS.has(key)) return tickPercent;
  if (key === 'maxDrawdownDurationUs' || key === 'avgTradeDurationUs') return (v) => formatDuration(v);
  if (
    key === 'maxDrawdownDurationSec' ||
    key === 'avgTradeDurationSec' ||
    key === 'periodSec' ||
    key === 'samplingIntervalSec'
  ) {
    return (v) => formatDuration(v * 1e6);
  }
  return tickNumber;
}

/**
 * The sentence that goes next to the figures: whether they are annualized, and what stands in for the
 * annualized ones when the run is too short for them.
 */
export function annualizationNote(metrics: Metrics): string {
  if (annualizationSupported(metrics.periodSec * 1e6))
    return `Annualized over a 365-day year (the run covers ${MIN_ANNUALIZATION_DAYS} days or more); per-sample figures are per ${formatDuration(metrics.samplingIntervalSec * 1e6)} of equity sampling.`;
  return (
    `Not annualized: the run covers ${formatDuration(metrics.periodSec * 1e6)}, under the ${MIN_ANNUALIZATION_DAYS} days ` +
    'annualized figures need (scaling a short run to a year multiplies its noise). Sharpe, Sortino and ' +
    `volatility are given over the run and per ${formatDuration(metrics.samplingIntervalSec * 1e6)} sample; annualized ones show –.`
  );
}

export function formatMetric(metrics: Metrics, key: MetricKey): string {
  return METRIC_INFO[key].format(metrics[key]);
}
