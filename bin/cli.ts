#!/usr/bin/env -S npx tsx
/**
 * The platform's command line. `npm run cli -- <command>`; `npm start` runs `start`.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { CONFIG_DIR_ENV } from '../config/read-config-file.ts';
import { parseTradedMarkets, type TradedMarket } from '../fargate/trading/traded-markets.ts';
import { collectParams } from '../local/backtest/cli-args.ts';

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
    const { booksJson, formatBooks, runBooks } = await import('./commands/books.ts');
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
  .option(
    '--markets <list>',
    'the traded markets, <exchange>:<venue symbol> comma-separated (default binance:BTCUSDT,binance-futures:BTCUSDT); each needs its instrument in config/instruments.json and its limits in config/risk.json',
    (v: string) => {
      try {
        return parseTradedMarkets(v);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    },
  )
  .action(
    async (opts: {
      port?: number;
      execution: 'paper' | 'venues';
      markets?: TradedMarket[];
      data: string;
      record: boolean;
      speed: number;
      trading: boolean;
      strategy: string;
      params?: Record<string, string>;
      seed: number;
    }) => {
      const { runStart } = await import('./commands/start.ts');
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
              ...(opts.markets ? { markets: opts.markets } : {}),
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
    const { formatValidation, runValidate, validationJson } = await import('./commands/validate.ts');
    const report = await runValidate(dir);
    console.log(opts.json ? validationJson(report) : formatValidation(report));
    if (!report.clean) process.exitCode = 1;
  });

/**
 * Commands defined in their own modules. Only the module of the command being run is imported (all
 * of them for the full help or a name that is none of them): start-up then loads one command's
 * code, not every command's. The commands above import theirs when they run.
 */
const MODULE_COMMANDS: Record<string, () => Promise<{ register: (program: Command) => unknown }>> = {
  backtest: () => import('./commands/backtest.ts'),
  sweep: () => import('./commands/sweep.ts'),
  'sfn-sweep': () => import('./commands/sfn-sweep.ts'),
  fidelity: () => import('./commands/fidelity.ts'),
  fuzz: () => import('./commands/fuzz.ts'),
  journal: () => import('./commands/journal.ts'),
  'replay-check': () => import('./commands/replay-check.ts'),
  import: () => import('./commands/import.ts'),
  backfill: () => import('./commands/backfill.ts'),
  signals: () => import('./commands/signals.ts'),
};

/** The command named on the command line: the first word that is not a global option or its value. */
function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config-dir') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

const word = commandWord(process.argv);
const inline = program.commands.some((c) => c.name() === word);
const modules =
  word !== undefined && word in MODULE_COMMANDS ? [word] : inline ? [] : Object.keys(MODULE_COMMANDS);
for (const name of modules) (await MODULE_COMMANDS[name]!()).register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
