/**
 * A time-bounded fuzz run over the chosen venues: cases drawn from one seeded generator, each
 * next case for the venue that has had the least time so far (its captures in turn), totals per
 * venue. Deterministic for a seed up to where the clock stops it.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import { seededRandom } from '../../core/sim/random.ts';
import { randomCase } from './fuzz-case.ts';
import { addCase, newVenueStats, type VenueStats } from './fuzz-stats.ts';
import { FUZZ_TARGETS, loadTarget } from './fuzz-targets.ts';
import { runCase } from './run-case.ts';

export interface FuzzRunOptions {
  readonly seconds: number;
  readonly venues: readonly ExchangeId[];
  readonly seed: number;
  /** Called after each case with the seconds elapsed. */
  readonly onProgress?: (elapsedSeconds: number) => void;
  /** Milliseconds since some origin (injectable for tests). */
  readonly now?: () => number;
}

export function runFuzz(options: FuzzRunOptions): VenueStats[] {
  const now = options.now ?? (() => performance.now());
  const random = seededRandom(options.seed);
  const targets = options.venues.map((venue) => FUZZ_TARGETS.filter((t) => t.exchange === venue));
  const stats = options.venues.map(newVenueStats);
  const spent = targets.map(() => 0);
  const started = now();
  const elapsed = () => (now() - started) / 1000;
  do {
    const v = spent.indexOf(Math.min(...spent));
    const own = targets[v]!;
    const target = own[stats[v]!.cases % own.length]!;
    const loaded = loadTarget(target);
    const before = now();
    addCase(stats[v]!, runCase(loaded, randomCase(target.name, loaded.frames.length, random)));
    spent[v]! += now() - before;
    options.onProgress?.(elapsed());
  } while (elapsed() < options.seconds);
  return stats;
}
