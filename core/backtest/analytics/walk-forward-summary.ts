/**
 * In-sample vs out-of-sample comparison of a walk-forward run. The degradation ratio is
 * mean(OOS) / mean(IS) of the chosen metric (default Sharpe — annualized, or per sample where a
 * window is too short to annualize (annualized-stand-in.ts), so windows of different lengths compare): 1 means the out-of-sample kept the in-sample edge, 0.5 that half of
 * it was lost, < 0 that it reversed. It is null when the in-sample mean is ≤ 0 (no edge to keep, the
 * ratio would flip sign meaninglessly); the same rule applies per fold.
 */
import { comparableMetric } from './annualized-stand-in.ts';
import type { MetricKey, Metrics } from './metrics.ts';
import { mean } from './stats.ts';
import type { WalkForwardWindow } from './walk-forward-windows.ts';

export interface WalkForwardFoldResult {
  readonly window: WalkForwardWindow;
  readonly inSample: Metrics;
  readonly outOfSample: Metrics;
}

export interface WalkForwardFoldRow {
  readonly fold: number;
  readonly window: WalkForwardWindow;
  readonly inSample: number;
  readonly outOfSample: number;
  readonly ratio: number | null;
}

export interface WalkForwardSummary {
  /** The metric compared: the one asked for, or its per-sample stand-in. */
  readonly metric: MetricKey;
  readonly folds: readonly WalkForwardFoldRow[];
  readonly meanInSample: number;
  readonly meanOutOfSample: number;
  readonly degradation: number | null;
  /** Share of folds whose out-of-sample pnl is > 0. */
  readonly outOfSampleProfitableShare: number;
  /** Σ out-of-sample pnl: what trading the walk-forward would have made. */
  readonly outOfSamplePnl: number;
}

function ratio(oos: number, is: number): number | null {
  return is > 0 && Number.isFinite(is) && Number.isFinite(oos) ? oos / is : null;
}

export function summarizeWalkForward(
  folds: readonly WalkForwardFoldResult[],
  asked: MetricKey = 'sharpe',
): WalkForwardSummary {
  const metric = comparableMetric(
    asked,
    folds.flatMap((f) => [f.inSample, f.outOfSample]),
  );
  const rows = folds.map((f) => {
    const is = f.inSample[metric];
    const oos = f.outOfSample[metric];
    return { fold: f.window.fold, window: f.window, inSample: is, outOfSample: oos, ratio: ratio(oos, is) };
  });
  const meanIs = mean(rows.map((r) => r.inSample));
  const meanOos = mean(rows.map((r) => r.outOfSample));
  const profitable = folds.filter((f) => f.outOfSample.pnl > 0).length;
  return {
    metric,
    folds: rows,
    meanInSample: meanIs,
    meanOutOfSample: meanOos,
    degradation: ratio(meanOos, meanIs),
    outOfSampleProfitableShare: folds.length > 0 ? profitable / folds.length : 0,
    outOfSamplePnl: folds.reduce((s, f) => s + f.outOfSample.pnl, 0),
  };
}
