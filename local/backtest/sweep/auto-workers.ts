/**
 * How many worker threads a sweep gets when the user does not say (--workers).
 *
 * A worker is not free: it starts tsx, imports the engine's module graph and warms its own JIT —
 * measured on the Binance USD-M capture (2 vCPU, shared): about 1.5 s of CPU per worker before it
 * runs at full speed, against ≈ 45 ms per warm full-model run of the 466 576-row capture (≈ 10 M
 * rows/s). Serial work of W seconds takes ≈ W / n + 1.5 s on n free cores, so workers pay only when the
 * sweep is several seconds of work: below ~30 M tape rows in total (rows × runs) the sweep runs in
 * the main thread, above it on every core.
 */
import { availableParallelism } from 'node:os';

export const PARALLEL_MIN_ROW_RUNS = 30_000_000;

export function autoWorkers(tapeRows: number, runs: number, cores = availableParallelism()): number {
  if (cores < 2 || tapeRows * runs < PARALLEL_MIN_ROW_RUNS) return 0;
  return Math.min(cores, runs);
}
