/**
 * Monte Carlo by bootstrapping round trips: each simulation draws the run's round trips WITH
 * replacement (same count by default) in a random order, adds their pnl to the initial capital one
 * by one, and records the final return and the max drawdown of that path. The spread of those
 * outcomes shows how much of the backtest's result is the luck of the trade sequence.
 *
 * Deterministic by seed (core/sim/random.ts). What this cannot show: serial correlation
 * between trades and regime changes are destroyed by resampling, and open-position marking
 * (equity between trades) is not part of a trade-only path.
 */

import { seededRandom } from '../../sim/random.ts';
import type { RoundTrip } from '../result.ts';
import { maxDrawdownOfPath } from './drawdown.ts';
import { mean, percentileSorted } from './stats.ts';

export const MONTE_CARLO_PERCENTILES = [5, 25, 50, 75, 95] as const;

export interface Percentiles {
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
}

export interface Distribution {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly percentiles: Percentiles;
  /** Every simulated outcome, ascending. */
  readonly samples: readonly number[];
}

export interface MonteCarloOptions {
  /** Number of simulated paths (default 1000). */
  readonly simulations?: number;
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Round trips per path (default: as many as the run had). */
  readonly tradesPerSimulation?: number;
}

export interface MonteCarloResult {
  readonly simulations: number;
  readonly tradesPerSimulation: number;
  readonly seed: number;
  /** Final pnl / initial capital of each path. */
  readonly totalReturn: Distribution;
  /** Max drawdown (positive fraction) of each path. */
  readonly maxDrawdown: Distribution;
  /** Share of paths that end below the initial capital. */
  readonly probabilityOfLoss: number;
}

export function distributionOf(values: readonly number[]): Distribution {
  const samples = [...values].sort((a, b) => a - b);
  const p = (q: number) => percentileSorted(samples, q);
  return {
    mean: mean(samples),
    min: samples[0] ?? 0,
    max: samples[samples.length - 1] ?? 0,
    percentiles: { p5: p(5), p25: p(25), p50: p(50), p75: p(75), p95: p(95) },
    samples,
  };
}

export function bootstrapRoundTrips(
  trips: readonly Pick<RoundTrip, 'pnl'>[],
  initialCapital: number,
  options: MonteCarloOptions = {},
): MonteCarloResult {
  const simulations = Math.max(1, Math.floor(options.simulations ?? 1000));
  const seed = options.seed ?? 1;
  const perPath = Math.max(0, Math.floor(options.tradesPerSimulation ?? trips.length));
  const n = trips.length;
  const pnls = Float64Array.from(trips, (t) => t.pnl);
  const random = seededRandom(seed);
  const path = new Float64Array(n > 0 ? perPath : 0);
  const returns: number[] = [];
  const drawdowns: number[] = [];
  let losses = 0;
  for (let s = 0; s < simulations; s++) {
    let equity = initialCapital;
    for (let i = 0; i < path.length; i++) {
      equity += pnls[Math.floor(random() * n)]!;
      path[i] = equity;
    }
    const pnl = equity - initialCapital;
    returns.push(initialCapital > 0 ? pnl / initialCapital : 0);
    drawdowns.push(maxDrawdownOfPath(path, initialCapital));
    if (pnl < 0) losses++;
  }
  return {
    simulations,
    tradesPerSimulation: path.length,
    seed,
    totalReturn: distributionOf(returns),
    maxDrawdown: distributionOf(drawdowns),
    probabilityOfLoss: losses / simulations,
  };
}
