/** Test support: a Metrics object with every field 0 except the ones a test cares about. */
import type { Metrics } from '../../../../core/backtest/analytics/metrics.ts';

export function metricsWith(overrides: Partial<Metrics>): Metrics {
  return {
    initialCapital: 0,
    finalEquity: 0,
    pnl: 0,
    realizedPnl: 0,
    totalReturn: 0,
    annualizedReturn: 0,
    volatility: 0,
    sharpe: 0,
    sortino: 0,
    maxDrawdown: 0,
    maxDrawdownDurationUs: 0,
    maxDrawdownDurationSec: 0,
    winRate: 0,
    profitFactor: 0,
    avgTradePnl: 0,
    avgTradeDurationUs: 0,
    avgTradeDurationSec: 0,
    fillRatio: 0,
    fillRatioBySize: 0,
    turnover: 0,
    tradedNotional: 0,
    fees: 0,
    funding: 0,
    numOrders: 0,
    numRejected: 0,
    numFills: 0,
    numRoundTrips: 0,
    periodSec: 0,
    samplingIntervalSec: 0,
    ...overrides,
  };
}
