/**
 * `npm run fuzz -- [--seconds N] [--venues binance,kucoin,…] [--seed S]`
 *
 * Mutation fuzzing of every venue feed over the real captures in test/fixtures (local/fuzz): per
 * venue the frames fed, mutations by kind, the feed's rejections by reason, crashes and trust
 * violations with an example of each kind. Exits non-zero when anything crashed or a trusted book
 * was wrong.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { type CommandIo, consoleIo } from '../../local/backtest/command-io.ts';
import { progressBar } from '../../local/backtest/progress-bar.ts';
import { runFuzz } from '../../local/fuzz/fuzz-run.ts';
import { formatFuzzReport, type VenueStats } from '../../local/fuzz/fuzz-stats.ts';
import { FUZZ_VENUES } from '../../local/fuzz/fuzz-targets.ts';

export interface FuzzCommandOptions {
  readonly seconds: number;
  readonly venues: readonly ExchangeId[];
  readonly seed: number;
  readonly quiet?: boolean;
}

export function runFuzzCommand(
  opts: FuzzCommandOptions,
  io: CommandIo = consoleIo(opts.quiet),
): VenueStats[] {
  const bar = progressBar({
    label: 'fuzz',
    unit: 's',
    stream: io.stderr,
    ...(opts.quiet ? { quiet: true } : {}),
  });
  const stats = runFuzz({
    seconds: opts.seconds,
    venues: opts.venues,
    seed: opts.seed,
    onProgress: (elapsed) => bar.update(Math.min(Math.round(elapsed), opts.seconds), opts.seconds),
  });
  bar.stop();
  io.log(formatFuzzReport(stats, opts.seconds, opts.seed));
  return stats;
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('a number of seconds > 0');
  return n;
}

function seed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('a non-negative integer');
  return n;
}

function venueList(value: string): ExchangeId[] {
  const venues = value.split(',').map((v) => v.trim());
  const unknown = venues.filter((v) => !(FUZZ_VENUES as readonly string[]).includes(v));
  if (unknown.length > 0 || venues.length === 0)
    throw new InvalidArgumentError(`unknown venue ${unknown.join(', ')} (one of ${FUZZ_VENUES.join(', ')})`);
  return venues as ExchangeId[];
}

/** Anything crashed or any trusted book was wrong. */
export function fuzzFailed(stats: readonly VenueStats[]): boolean {
  return stats.some((s) => s.crashes > 0 || s.violations > 0);
}

export function register(
  program: Command,
  run: (opts: FuzzCommandOptions) => unknown = (opts) => {
    if (fuzzFailed(runFuzzCommand(opts))) process.exitCode = 1;
  },
): Command {
  return program
    .command('fuzz')
    .description('Mutation-fuzz the venue feeds on the real captures: crashes and trusted-but-wrong books')
    .option('--seconds <n>', 'how long to run', seconds, 30)
    .option('--venues <list>', `comma-separated (default: all of ${FUZZ_VENUES.join(',')})`, venueList)
    .option('--seed <n>', 'seed of the case generator', seed, 1)
    .option('-q, --quiet', 'no progress bar')
    .action(async (flags: { seconds: number; venues?: ExchangeId[]; seed: number; quiet?: boolean }) => {
      await run({
        seconds: flags.seconds,
        venues: flags.venues ?? FUZZ_VENUES,
        seed: flags.seed,
        ...(flags.quiet ? { quiet: true } : {}),
      });
    });
}
