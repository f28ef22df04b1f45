export { comparableMetric } from './annualized-stand-in.ts';
export { drawdownSeries, drawdownStats, maxDrawdownOfPath } from './drawdown.ts';
export { executionStats } from './execution-stats.ts';
export type { LatencyPoint, LatencySensitivity } from './latency-sensitivity.ts';
export { DEFAULT_LATENCY_OFFSETS_MS, latencySensitivity } from './latency-sensitivity.ts';
export type { Direction } from './metric-direction.ts';
export { compareBetter, metricDirection } from './metric-direction.ts';
export type { MetricKey, Metrics } from './metrics.ts';
export { computeMetrics } from './metrics.ts';
export type { Distribution, MonteCarloOptions, MonteCarloResult, Percentiles } from './monte-carlo.ts';
export { bootstrapRoundTrips, distributionOf, MONTE_CARLO_PERCENTILES } from './monte-carlo.ts';
export { DAYS_PER_YEAR, MICROS_PER_SECOND, MICROS_PER_YEAR } from './periods.ts';
export {
  annualizationSupported,
  annualizedVolatility,
  annualizeReturn,
  equityReturns,
  MIN_ANNUALIZATION_DAYS,
  sharpeRatio,
  sortinoRatio,
} from './returns.ts';
export { mean, percentileSorted, sampleStd } from './stats.ts';
export type { SweepHeatmap } from './sweep-heatmap.ts';
export { compareParamValues, sweepHeatmap } from './sweep-heatmap.ts';
export type { ParamSet, ParamValue, RankedSweepRow, SweepRow } from './sweep-ranking.ts';
export { rankSweep } from './sweep-ranking.ts';
export { tradeStats } from './trade-stats.ts';
export type {
  WalkForwardFoldResult,
  WalkForwardFoldRow,
  WalkForwardSummary,
} from './walk-forward-summary.ts';
export { summarizeWalkForward } from './walk-forward-summary.ts';
export type { TimeWindow, WalkForwardOptions, WalkForwardWindow } from './walk-forward-windows.ts';
export { DEFAULT_IN_SAMPLE_FRACTION, walkForwardWindows } from './walk-forward-windows.ts';
