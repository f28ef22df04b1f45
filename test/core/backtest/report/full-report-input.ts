/** Test support: a ReportInput with every optional section filled from random runs. */
import { latencySensitivity } from '../../../../core/backtest/analytics/latency-sensitivity.ts';
import { computeMetrics } from '../../../../core/backtest/analytics/metrics.ts';
import { bootstrapRoundTrips } from '../../../../core/backtest/analytics/monte-carlo.ts';
import type { SweepRow } from '../../../../core/backtest/analytics/sweep-ranking.ts';
import { walkForwardWindows } from '../../../../core/backtest/analytics/walk-forward-windows.ts';
import type { ReportInput } from '../../../../core/backtest/report/html-report.ts';
import type { BacktestResult } from '../../../../core/backtest/result.ts';
import { randomResult } from '../analytics/random-result.ts';

export function fullReportInput(result: BacktestResult = randomResult({ seed: 7 })): ReportInput {
  const folds = walkForwardWindows(result.startTs, result.endTs, { folds: 3 }).map((window, i) => ({
    window,
    inSample: computeMetrics(randomResult({ seed: 100 + i, points: 500, drift: 2e-5 })),
    outOfSample: computeMetrics(randomResult({ seed: 200 + i, points: 300 })),
  }));
  const rows: SweepRow[] = [];
  for (const spread of [1, 2, 4, 8]) {
    for (const size of [0.001, 0.005, 0.01]) {
      const seed = spread * 1000 + Math.round(size * 1000);
      rows.push({
        params: { spread_bps: spread, order_size: size },
        metrics: computeMetrics(randomResult({ seed, points: 300, drift: (spread - 3) * 1e-6 })),
      });
    }
  }
  return {
    result,
    monteCarlo: bootstrapRoundTrips(result.roundTrips, result.initialCapital, { seed: 3, simulations: 500 }),
    walkForward: { folds },
    latency: latencySensitivity(
      [0, 1, 5, 10, 50].map((ms, i) => ({ addedLatencyMs: ms, pnl: 5 - 0.1 * ms + (i % 2 ? 0.3 : -0.2) })),
    ),
    sweep: { rows, metric: 'sharpe', xParam: 'spread_bps', yParam: 'order_size' },
  };
}

export const RUN_PLOTS = ['equity', 'drawdown', 'position', 'price', 'pnl-distribution'] as const;
export const OPTIONAL_PLOTS = [
  'mc-return',
  'mc-drawdown',
  'walk-forward',
  'latency',
  'sweep-heatmap',
] as const;
