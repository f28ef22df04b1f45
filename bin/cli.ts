#!/usr/bin/env -S npx tsx
/**
 * The platform's command line. `npm run cli -- <command>`; `npm start` runs `start`.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { CONFIG_DIR_ENV } from '../config/read-config-file.ts';
import { collectParams } from '../local/backtest/cli-args.ts';
import { register as registerBackfill } from './commands/backfill.ts';
import { register as registerBacktest } from './commands/backtest.ts';
import { booksJson, formatBooks, runBooks } from './commands/books.ts';
import { register as registerFidelity } from './commands/fidelity.ts';
import { register as registerFuzz } from './commands/fuzz.ts';
import { register as registerImport } from './commands/import.ts';
import { register as registerJournal } from './commands/journal.ts';
import { register as registerReplayCheck } from './commands/replay-check.ts';
import { register as registerSfnSweep } from './commands/sfn-sweep.ts';
import { register as registerSignals } from './commands/signals.ts';
import { runStart } from './commands/start.ts';
import { register as registerSweep } from './commands/sweep.ts';
import { formatValidation, runValidate, validationJson } from './commands/validate.ts';

function positiveInt(value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isInteger(n) || n < 1 || String(n) !== value.trim())
    throw new InvalidArgumentError('a positive integer');
  return n;
}

const program = new Command()
  .name('cli')
  .description('Crypto trading platform: exact order books, recording, backtests, risk-limited trading.')
  .showHelpAfterError()
  .option('--config-dir <dir>', `read the config files from <dir> instead of config/ (or $${CONFIG_DIR_ENV})`)
  // Before the command's own options are parsed: some of them are checked against config files.
  .hook('preSubcommand', () => {
    const dir = program.opts<{ configDir?: string }>().configDir;
    if (dir) process.env[CONFIG_DIR_ENV] = dir;
  });

program
  .command('books')
  .description('Replay a recorded capture (file or folder) through the venue feeds and show the books')
  .argument(
    '<capture>',
    'capture file (.ws, .gz hftbacktest, .zip JSON lines), a folder of them, or a recording folder',
  )
  .option('--repeat <n>', 'replay rounds for the throughput figure', positiveInt, 1)
  .option('--json', 'print one JSON object')
  .action(async (capture: string, opts: { repeat: number; json?: boolean }) => {
    const result = await runBooks(capture, opts.repeat);
    console.log(opts.json ? booksJson(result) : formatBooks(result));
  });

program
  .command('start')
  .description(
    'The embedded default: exchange simulators replaying real captures, live connectors, books, recorder and dashboard',
  )
  .option('--port <n>', 'dashboard/metrics port (default: $PORT or 3000)', (v) => Number.parseInt(v, 10))
  .option('--data <dir>', 'where the recorder writes Parquet', './data')
  .option('--no-record', 'do not record')
  .option('--speed <x>', 'replay speed of the simulators', Number.parseFloat, 1)
  .option('--no-trading', 'watch and record only: no paper trading')
  .option('--strategy <name>', 'the strategy to paper-trade', 'market-maker')
  .option(
    '--params <k=v>',
    'strategy parameter(s), repeatable or comma-separated (spread_bps=2)',
    collectParams,
  )
  .option('--seed <n>', 'seed of the strategy and the simulated exchange', positiveInt, 1)
  .addOption(
    new Option(
      '--execution <mode>',
      "where orders go: 'paper' (the simulated exchange in-process) or 'venues' (each venue's real order-entry adapter, over the wire to the simulators' signed private APIs)",
    )
      .choices(['paper', 'venues'])
      .default('paper'),
  )
  .action(
    async (opts: {
      port?: number;
      execution: 'paper' | 'venues';
      data: string;
      record: boolean;
      speed: number;
      trading: boolean;
      strategy: string;
      params?: Record<string, string>;
      seed: number;
    }) => {
      await runStart({
        port: opts.port ?? Number.parseInt(process.env.PORT ?? '3000', 10),
        dataDir: opts.data,
        record: opts.record,
        speed: opts.speed,
        trading: opts.trading
          ? {
              strategy: opts.strategy,
              overrides: opts.params ?? {},
              seed: opts.seed,
              execution: opts.execution,
            }
          : false,
      });
    },
  );

program
  .command('validate')
  .description(
    'Check a recording folder: data loss, duplicates, crossed books, negative sizes, counts and rates; quiet periods as information (exit 1 on problems)',
  )
  .argument('<dir>', 'recording root (the folder npm start records into, ./data by default)')
  .option('--json', 'print the JSON report')
  .action(async (dir: string, opts: { json?: boolean }) => {
    const report = await runValidate(dir);
    console.log(opts.json ? validationJson(report) : formatValidation(report));
    if (!report.clean) process.exitCode = 1;
  });

registerBacktest(program);
registerSweep(program);
registerSfnSweep(program);
registerFidelity(program);
registerFuzz(program);
registerJournal(program);
registerReplayCheck(program);
registerImport(program);
registerBackfill(program);
registerSignals(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
