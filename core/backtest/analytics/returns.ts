/**
 * Per-period returns of the equity series and the ratios built on them (Sharpe, Sortino, volatility).
 *
 * Conventions (also in README.md):
 * - A period is one step of the equity series; its length is the series' sampling interval, taken
 *   as the MEDIAN positive gap between consecutive points (robust to a missing or doubled sample).
 *   The engine should sample equity at a regular interval; irregular samples give biased ratios.
 * - Per sample, over the period, per year: the same ratio scaled by √1, √(number of returns) or
 *   √(periods per year), a year being 365 days (crypto trades every day). The functions below take
 *   that scale as `periods`.
 * - Annualized figures only for runs of at least MIN_ANNUALIZATION_DAYS (annualizationSupported):
 *   shorter, the caller reports them as not available (NaN in Metrics, null in metrics.json).
 * - Risk-free rate and Sortino target are 0 (funding and fees are already in the equity).
 * - Sharpe uses the sample standard deviation (n − 1); Sortino the downside deviation
 *   √(Σ min(r, 0)² / n) over all n periods.
 * - Degenerate inputs give 0, never NaN: fewer than two returns, or a flat series (σ below
 *   FLAT_EPSILON, which also absorbs float noise of an "unchanged" equity). A series with no losing
 *   period but a positive mean has an infinite Sortino; serializers turn that into null + a flag.
 */
import type { EquityPoint } from '../result.ts';
import { MICROS_PER_SECOND, MICROS_PER_YEAR, SECONDS_PER_DAY } from './periods.ts';
import { mean, medianPositiveStep, sampleStd } from './stats.ts';

/**
 * Shortest run whose figures are annualized, days. Scaling a 6-minute Sharpe by √(samples per year)
 * multiplies its noise by ~2,300 (a −1.1 per-period Sharpe became −2,528), and a linear annual
 * return of a 6-minute run is its return × 87,600. Freqtrade computes Sharpe from daily returns
 * (× √365), so fewer than ~30 daily returns make no σ worth scaling; hftbacktest reports per-period
 * figures and leaves annualizing to the user. 30 days is that floor: below it only per-sample and
 * whole-period figures are shown.
 */
export const MIN_ANNUALIZATION_DAYS = 30;

/** Does a run of `periodUs` support annualized figures (≥ MIN_ANNUALIZATION_DAYS)? */
export function annualizationSupported(periodUs: number): boolean {
  return periodUs >= MIN_ANNUALIZATION_DAYS * SECONDS_PER_DAY * MICROS_PER_SECOND;
}

/** Per-period returns this small in σ are float noise on an unchanged equity, not risk. */
export const FLAT_EPSILON = 1e-13;

export interface ReturnSeries {
  /** Simple returns e[i] / e[i−1] − 1 (a step from a non-positive equity is skipped). */
  readonly returns: Float64Array;
  /** Sampling interval of the series, µs (0 when it has fewer than two distinct timestamps). */
  readonly intervalUs: number;
  /** MICROS_PER_YEAR / intervalUs (0 when the interval is unknown). */
  readonly periodsPerYear: number;
}

export function equityReturns(equity: readonly EquityPoint[]): ReturnSeries {
  const returns: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const prev = equity[i - 1]!.equity;
    if (prev > 0) returns.push(equity[i]!.equity / prev - 1);
  }
  const intervalUs = medianPositiveStep(equity.map((p) => p.ts));
  return {
    returns: Float64Array.from(returns),
    intervalUs,
    periodsPerYear: intervalUs > 0 ? MICROS_PER_YEAR / intervalUs : 0,
  };
}

/** Sharpe ratio (rf = 0): mean / σ × √periods (1: per sample, n: over the run, per year); 0 when undefined. */
export function sharpeRatio(returns: ArrayLike<number>, periods: number): number {
  if (returns.length < 2 || periods <= 0) return 0;
  const sd = sampleStd(returns);
  if (!(sd > FLAT_EPSILON)) return 0;
  return (mean(returns) / sd) * Math.sqrt(periods);
}

/** Sortino ratio (target 0): mean / downside deviation × √periods. */
export function sortinoRatio(returns: ArrayLike<number>, periods: number): number {
  const n = returns.length;
  if (n < 2 || periods <= 0) return 0;
  let downside = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i]!;
    if (r < 0) downside += r * r;
  }
  const dd = Math.sqrt(downside / n);
  const m = mean(returns);
  if (!(dd > FLAT_EPSILON)) return m > FLAT_EPSILON ? Number.POSITIVE_INFINITY : 0;
  return (m / dd) * Math.sqrt(periods);
}

/** Volatility: σ × √periods (0 for a flat or too-short series). */
export function annualizedVolatility(returns: ArrayLike<number>, periods: number): number {
  if (returns.length < 2 || periods <= 0) return 0;
  const sd = sampleStd(returns);
  return sd > FLAT_EPSILON ? sd * Math.sqrt(periods) : 0;
}

/**
 * Annualized return over a period of `periodUs`. A year or longer: compounded (CAGR,
 * (1 + R)^(1/years) − 1). Shorter: scaled linearly (R / years) — compounding a one-hour HFT run
 * to a year gives numbers like 10^37 that say nothing; both forms agree at exactly one year.
 * A total loss (R ≤ −1) stays −1; an empty period gives 0.
 */
export function annualizeReturn(totalReturn: number, periodUs: number): number {
  if (!(periodUs > 0) || !Number.isFinite(totalReturn)) return 0;
  if (totalReturn <= -1) return -1;
  const years = periodUs / MICROS_PER_YEAR;
  return years >= 1 ? (1 + totalReturn) ** (1 / years) - 1 : totalReturn / years;
}
