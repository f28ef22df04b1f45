/**
 * `npm run cli -- fidelity [--data <capture>]… [--from ISO --to ISO] [--symbols s] [--interval s]
 * [--models m1,m2] [--latency-ms n]`
 *
 * The fill-model fidelity check (core/backtest/fidelity): passive probes at the touch, run once per
 * queue model, compared with what the recorded trades and book changes imply. Prints, per capture,
 * the table of orders, fills, time-to-fill and agreement per model. Default data: the bundled real
 * Binance BTCUSDT spot and USD-M captures (test/fixtures/binance).
 */
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import {
  DEFAULT_FIDELITY_MODELS,
  type FidelityReport,
  formatFidelityTable,
  runFidelityCheck,
} from '../../core/backtest/fidelity/fidelity-check.ts';
import type { QueueSpec } from '../../core/sim/queue/queue-spec.ts';
import { checkRange, isoTime, latencyMs, queueModels, symbolList } from '../../local/backtest/cli-args.ts';
import { type CommandIo, consoleIo } from '../../local/backtest/command-io.ts';
import { loadTape } from '../../local/backtest/load-tape.ts';

export const BUNDLED_BTCUSDT: readonly string[] = [
  fileURLToPath(new URL('../../test/fixtures/binance/hftbacktest_spot_btcusdt_20240808.gz', import.meta.url)),
  fileURLToPath(new URL('../../test/fixtures/binance/hftbacktest_usdm_btcusdt_20240808.gz', import.meta.url)),
];

export interface FidelityCommandOptions {
  /** Captures to check, one table each (default: the bundled Binance BTCUSDT spot and USD-M). */
  readonly data?: readonly string[];
  readonly from?: number;
  readonly to?: number;
  readonly symbols?: readonly string[];
  /** Probe interval (= lifetime), µs. Default 5 s. */
  readonly intervalUs?: number;
  readonly models?: readonly QueueSpec[];
  /** Constant probe latency per leg, µs (default 5 ms). */
  readonly latencyUs?: number;
  readonly quiet?: boolean;
}

export async function runFidelityCommand(
  opts: FidelityCommandOptions = {},
  io: CommandIo = consoleIo(opts.quiet),
): Promise<FidelityReport[]> {
  checkRange(opts.from, opts.to);
  const paths = opts.data && opts.data.length > 0 ? opts.data : BUNDLED_BTCUSDT;
  const reports: FidelityReport[] = [];
  for (const path of paths) {
    io.status(`fidelity: loading ${path} …`);
    const { tape } = await loadTape(path, {
      ...(opts.from !== undefined ? { from: opts.from } : {}),
      ...(opts.to !== undefined ? { to: opts.to } : {}),
      ...(opts.symbols ? { symbols: opts.symbols } : {}),
    });
    const started = process.hrtime.bigint();
    const report = runFidelityCheck(tape, {
      models: opts.models ?? DEFAULT_FIDELITY_MODELS,
      ...(opts.intervalUs !== undefined ? { intervalUs: opts.intervalUs } : {}),
      ...(opts.latencyUs !== undefined
        ? { latency: { model: 'constant', entryUs: opts.latencyUs, responseUs: opts.latencyUs } }
        : {}),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    reports.push(report);
    io.log(
      `${path}\n${formatFidelityTable(report)}\n(${report.rows.length} models in ${seconds.toFixed(1)} s)\n`,
    );
  }
  return reports;
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('expected a number of seconds > 0');
  return Math.round(n * 1e6);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface FidelityCliFlags {
  data: string[];
  from?: number;
  to?: number;
  symbols?: string[];
  interval?: number;
  models?: QueueSpec[];
  latencyMs?: number;
  quiet?: boolean;
}

export function toFidelityOptions(f: FidelityCliFlags): FidelityCommandOptions {
  return {
    ...(f.data.length > 0 ? { data: f.data } : {}),
    ...(f.from !== undefined ? { from: f.from } : {}),
    ...(f.to !== undefined ? { to: f.to } : {}),
    ...(f.symbols ? { symbols: f.symbols } : {}),
    ...(f.interval !== undefined ? { intervalUs: f.interval } : {}),
    ...(f.models ? { models: f.models } : {}),
    ...(f.latencyMs !== undefined ? { latencyUs: f.latencyMs } : {}),
    ...(f.quiet ? { quiet: true } : {}),
  };
}

export function register(
  program: Command,
  run: (opts: FidelityCommandOptions) => Promise<unknown> = (opts) => runFidelityCommand(opts),
): Command {
  return program
    .command('fidelity')
    .description('Compare the queue models with what the recorded trades imply (passive probes at the touch)')
    .option(
      '--data <path>',
      'capture (repeatable; default: bundled Binance BTCUSDT spot + USD-M)',
      collect,
      [],
    )
    .option('--from <iso>', 'start, ISO 8601 (UTC unless an offset is given)', isoTime)
    .option('--to <iso>', 'end (exclusive), ISO 8601', isoTime)
    .option('--symbols <list>', 'instrument to probe (the first one listed)', symbolList)
    .option('--interval <s>', 'seconds between probes (each lives this long; default 5)', seconds)
    .option(
      '--models <list>',
      'queue models, comma-separated (default: risk-averse and every prob function)',
      queueModels,
    )
    .option('--latency-ms <n>', 'constant probe latency per leg, ms (default 5)', latencyMs)
    .option('-q, --quiet', 'no status lines')
    .action(async (flags: FidelityCliFlags) => {
      await run(toFidelityOptions(flags));
    });
}
