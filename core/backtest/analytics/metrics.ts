/**
 * The headline numbers of a backtest, computed from a BacktestResult by pure functions. Every field
 * is a number and none is NaN; only `profitFactor` and `sortino` can be +Infinity (no losing trade /
 * no losing period), which `metricsToJson` writes as null plus a flag. Conventions: README.md.
 */
import type { BacktestResult } from '../result.ts';
import { drawdownStats } from './drawdown.ts';
import { executionStats } from './execution-stats.ts';
import { MICROS_PER_SECOND } from './periods.ts';
import {
  annualizedVolatility,
  annualizeReturn,
  equityReturns,
  sharpeRatio,
  sortinoRatio,
} from './returns.ts';
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
  /** Over endTs − startTs: compounded for ≥ 1 year, linear below (see returns.ts). */
  readonly annualizedReturn: number;
  /** Annualized σ of per-sample equity returns. */
  readonly volatility: number;
  readonly sharpe: number;
  readonly sortino: number;
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
    annualizedReturn: annualizeReturn(totalReturn, periodUs),
    volatility: annualizedVolatility(series.returns, series.periodsPerYear),
    sharpe: sharpeRatio(series.returns, series.periodsPerYear),
    sortino: sortinoRatio(series.returns, series.periodsPerYear),
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
