/**
 * The headline numbers of a backtest, computed from a BacktestResult by pure functions. Every field
 * is a number. NaN only in the annualized ones (`annualizedReturn`, `volatility`, `sharpe`,
 * `sortino`) when the run is shorter than MIN_ANNUALIZATION_DAYS (returns.ts): the per-sample and
 * whole-period figures stand in for them. The Sortinos and `profitFactor` can be +Infinity (no
 * losing period / trade). `metricsToJson` writes NaN and Infinity as null plus a flag.
 * Conventions: README.md.
 */
import type { BacktestResult } from '../result.ts';
import { drawdownStats } from './drawdown.ts';
import { executionStats } from './execution-stats.ts';
import { MICROS_PER_SECOND } from './periods.ts';
import {
  annualizationSupported,
  annualizedVolatility,
  annualizeReturn,
  equityReturns,
  sharpeRatio,
  sortinoRatio,
} from './returns.ts';
import { mean } from './stats.ts';
import { tradeStats } from './trade-stats.ts';

export interface Metrics {
  readonly initialCapital: number;
  /** Last equity sample (cash + marked positions), quote currency. */
  readonly finalEquity: number;
  /** finalEquity − initialCapital: net of fees and funding, open positions marked to mid. */
  readonly pnl: number;
  /** Σ round-trip pnl (closed trades only, net of their fees). */
  readonly realizedPnl: number;
  /** pnl / initialCapital. */
  readonly totalReturn: number;
  /** Over endTs − startTs: compounded for ≥ 1 year, linear below (see returns.ts); NaN under 30 days. */
  readonly annualizedReturn: number;
  /** Annualized σ of per-sample equity returns; NaN under 30 days. */
  readonly volatility: number;
  /** Annualized; NaN under 30 days. */
  readonly sharpe: number;
  /** Annualized; NaN under 30 days. */
  readonly sortino: number;
  /** Mean simple return of one sampling interval (samplingIntervalSec). */
  readonly returnPerSample: number;
  /** σ of one sampling interval's returns. */
  readonly volatilityPerSample: number;
  /** Mean / σ of one sampling interval's returns. */
  readonly sharpePerSample: number;
  readonly sortinoPerSample: number;
  /** σ scaled to the whole run: volatilityPerSample × √(number of returns). */
  readonly volatilityOverPeriod: number;
  /** Sharpe over the whole run: sharpePerSample × √(number of returns). */
  readonly sharpeOverPeriod: number;
  readonly sortinoOverPeriod: number;
  /** Largest fall from a peak, a positive fraction (0.05 = 5 %). */
  readonly maxDrawdown: number;
  readonly maxDrawdownDurationUs: number;
  readonly maxDrawdownDurationSec: number;
  /** Share of round trips with pnl > 0. */
  readonly winRate: number;
  /** Gross profit / gross loss of round trips. */
  readonly profitFactor: number;
  readonly avgTradePnl: number;
  readonly avgTradeDurationUs: number;
  readonly avgTradeDurationSec: number;
  /** Orders with any fill / non-rejected orders. */
  readonly fillRatio: number;
  /** Filled size / submitted size of non-rejected orders. */
  readonly fillRatioBySize: number;
  /** Traded notional / initialCapital. */
  readonly turnover: number;
  readonly tradedNotional: number;
  /** Fees paid (rebates negative), quote currency. */
  readonly fees: number;
  /** Funding paid (positive) or received (negative), quote currency. */
  readonly funding: number;
  readonly numOrders: number;
  readonly numRejected: number;
  readonly numFills: number;
  readonly numRoundTrips: number;
  /** endTs − startTs, seconds. */
  readonly periodSec: number;
  /** Sampling interval of the equity series that Sharpe/Sortino are annualized from, seconds. */
  readonly samplingIntervalSec: number;
}

export type MetricKey = keyof Metrics;

export function computeMetrics(result: BacktestResult): Metrics {
  const trades = tradeStats(result.roundTrips);
  const exec = executionStats(result.orders, result.fills, result.initialCapital);
  const { initialCapital, equity } = result;
  const last = equity[equity.length - 1];
  // Without an equity series, the best we know is the closed trades minus funding.
  const finalEquity = last ? last.equity : initialCapital + trades.realizedPnl - result.funding;
  const pnl = finalEquity - initialCapital;
  const totalReturn = initialCapital > 0 ? pnl / initialCapital : 0;
  const periodUs = Math.max(0, result.endTs - result.startTs);
  const series = equityReturns(equity);
  const r = series.returns;
  const n = r.length;
  const annual = annualizationSupported(periodUs);
  const perYear = series.periodsPerYear;
  const dd = drawdownStats(
    equity.map((p) => p.ts),
    equity.map((p) => p.equity),
    Math.min(result.startTs, equity[0]?.ts ?? result.startTs),
    initialCapital,
  );
  return {
    initialCapital,
    finalEquity,
    pnl,
    realizedPnl: trades.realizedPnl,
    totalReturn,
    annualizedReturn: annual ? annualizeReturn(totalReturn, periodUs) : Number.NaN,
    volatility: annual ? annualizedVolatility(r, perYear) : Number.NaN,
    sharpe: annual ? sharpeRatio(r, perYear) : Number.NaN,
    sortino: annual ? sortinoRatio(r, perYear) : Number.NaN,
    returnPerSample: mean(r),
    volatilityPerSample: annualizedVolatility(r, 1),
    sharpePerSample: sharpeRatio(r, 1),
    sortinoPerSample: sortinoRatio(r, 1),
    volatilityOverPeriod: annualizedVolatility(r, n),
    sharpeOverPeriod: sharpeRatio(r, n),
    sortinoOverPeriod: sortinoRatio(r, n),
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownDurationUs: dd.maxDrawdownDurationUs,
    maxDrawdownDurationSec: dd.maxDrawdownDurationUs / MICROS_PER_SECOND,
    winRate: trades.winRate,
    profitFactor: trades.profitFactor,
    avgTradePnl: trades.avgTradePnl,
    avgTradeDurationUs: trades.avgTradeDurationUs,
    avgTradeDurationSec: trades.avgTradeDurationUs / MICROS_PER_SECOND,
    fillRatio: exec.fillRatio,
    fillRatioBySize: exec.fillRatioBySize,
    turnover: exec.turnover,
    tradedNotional: exec.tradedNotional,
    fees: exec.fees,
    funding: result.funding,
    numOrders: exec.numOrders,
    numRejected: exec.numRejected,
    numFills: exec.numFills,
    numRoundTrips: trades.numRoundTrips,
    periodSec: periodUs / MICROS_PER_SECOND,
    samplingIntervalSec: series.intervalUs / MICROS_PER_SECOND,
  };
}
