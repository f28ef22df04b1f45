/**
 * Timing loop shared by every case: warm up, size the run, then measure the implementations of a
 * case interleaved (run i of each before run i+1 of any), so a busy moment on a shared machine hits
 * them alike. Only BookBench.run is inside the clock.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BookBench } from './book/book-bench.ts';
import { type Summary, summarize } from './stats.ts';

export interface HarnessOptions {
  /** Measured runs per implementation (the median is reported). */
  readonly runs: number;
  /** Each run loops the capture until it lasts at least this long. */
  readonly minSeconds: number;
  /** Upper bound on rounds per run (memory: case A keeps every round's lines). */
  readonly maxRounds: number;
  /** Warm-up time per implementation before sizing the runs. */
  readonly warmupSeconds: number;
}

export interface Measurement {
  readonly bench: BookBench;
  readonly rounds: number;
  readonly levelChangesPerRun: number;
  /** Level changes per second, one per run. */
  readonly rates: number[];
  readonly seconds: number[];
  summary?: Summary;
}

/** A full GC between runs (untimed), so one run's garbage is not collected on the next one's clock. */
const collect: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
})();

function timeRun(bench: BookBench, rounds: number): number {
  bench.setup(rounds);
  collect();
  const t0 = process.hrtime.bigint();
  bench.run(rounds);
  const t1 = process.hrtime.bigint();
  bench.verify(rounds);
  return Number(t1 - t0) / 1e9;
}

/** Rounds per run so that a run lasts at least minSeconds, from a measured run of `rounds`. */
function sizeFor(seconds: number, rounds: number, options: HarnessOptions): number {
  // 10% margin: a run measured just at the limit would often come out a little short.
  const perRound = seconds / rounds;
  return Math.min(options.maxRounds, Math.max(1, Math.ceil((options.minSeconds * 1.1) / perRound)));
}

/** Warm up with single rounds, then size the run from one full-size (untimed) run. */
function warmUp(bench: BookBench, options: HarnessOptions): number {
  let spent = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 2 || spent < options.warmupSeconds; i++) {
    const s = timeRun(bench, 1);
    spent += s;
    best = Math.min(best, s);
  }
  let rounds = sizeFor(best, 1, options);
  if (rounds > 1) rounds = sizeFor(timeRun(bench, rounds), rounds, options);
  return rounds;
}

export function measureCase(
  benches: readonly BookBench[],
  /** Level changes a run of `rounds` applies. */
  levelChangesIn: (rounds: number) => number,
  options: HarnessOptions,
  log: (line: string) => void = () => {},
): Measurement[] {
  const out: Measurement[] = benches.map((bench) => {
    const rounds = warmUp(bench, options);
    log(`  warmed ${bench.caseId} ${bench.name}: ${rounds} round(s)/run`);
    return { bench, rounds, levelChangesPerRun: levelChangesIn(rounds), rates: [], seconds: [] };
  });
  for (let run = 0; run < options.runs; run++) {
    for (let k = 0; k < out.length; k++) {
      const m = out[(run + k) % out.length]!; // rotate who goes first
      const s = timeRun(m.bench, m.rounds);
      m.seconds.push(s);
      m.rates.push(m.levelChangesPerRun / s);
    }
  }
  for (const m of out) m.summary = summarize(m.rates);
  return out;
}
