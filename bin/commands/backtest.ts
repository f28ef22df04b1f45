/**
 * `npm run backtest -- --strategy <name> --scenario <name> --data <path> [--from ISO --to ISO
 * --symbols a,b --params k=v … --seed n --out dir --fast --queue model --latency-ms n]`
 *
 * Loads the data into a tape (local/backtest/load-tape.ts: a capture, a folder of captures, or a
 * recorded Parquet folder), sizes the strategy from the scenario (config/scenarios.json,
 * local/backtest/scenario-sizing.ts; explicit --params win), runs the engine with a progress bar on
 * stderr, bootstraps the round trips (Monte Carlo), writes report.html, metrics.json, trades.csv,
 * orders/equity/round-trips CSV + Parquet into --out (default ./results/<run-id>) and prints the
 * headline metrics. Same data, parameters and seed → byte-identical metrics.json and CSVs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadFeeTable } from '../../config/fees.ts';
import { loadRiskParams } from '../../config/risk.ts';
import { loadScenarios } from '../../config/scenarios.ts';
import { computeMetrics, type Metrics } from '../../core/backtest/analytics/metrics.ts';
import { bootstrapRoundTrips, type MonteCarloResult } from '../../core/backtest/analytics/monte-carlo.ts';
import {
  type FastModeError,
  fastModeTape,
  formatFastModeError,
  measureFastModeError,
} from '../../core/backtest/engine/fast-mode.ts';
import { runBacktestWithStats } from '../../core/backtest/engine/run-backtest.ts';
import { formatPercent } from '../../core/backtest/report/format.ts';
import type { BacktestResult } from '../../core/backtest/result.ts';
import { createLatencyModel } from '../../core/sim/latency/latency-spec.ts';
import type { QueueSpec } from '../../core/sim/queue/queue-spec.ts';
import { queueLabel } from '../../core/sim/queue/queue-spec.ts';
import { resolveSimConfig } from '../../core/sim/sim-config.ts';
import { defaultRegistry } from '../../core/strategy/registry.ts';
import {
  collectParams,
  isoTime,
  latencyMs,
  oneOf,
  positiveInt,
  queueModel,
  seed,
  symbolList,
} from '../../local/backtest/cli-args.ts';
import { type CommandIo, consoleIo, isoOf } from '../../local/backtest/command-io.ts';
import type { LoadedData } from '../../local/backtest/load-tape.ts';
import { describeSizing, prepareRun, type RunInputOptions } from '../../local/backtest/prepare-run.ts';
import { progressBar } from '../../local/backtest/progress-bar.ts';
import type { Sizing } from '../../local/backtest/scenario-sizing.ts';
import { formatMetricsSummary, formatRejects } from '../../local/backtest/text-tables.ts';
import { writeRunReport } from '../../local/report/write-run-report.ts';

export { describeSizing, prepareRun, type RunInputOptions };

export interface BacktestCommandOptions extends RunInputOptions {
  readonly fast?: boolean;
  /** A risk-limits file (config/risk.json's shape): the kernel's gate runs under it instead of open limits. */
  readonly risk?: string;
  /** Monte Carlo paths (default 1000). */
  readonly mcSims?: number;
}

export interface BacktestCommandResult {
  readonly result: BacktestResult;
  readonly metrics: Metrics;
  readonly monteCarlo: MonteCarloResult;
  readonly outDir: string;
  readonly files: readonly string[];
  readonly data: LoadedData;
  readonly sizing?: Sizing;
  readonly fastError?: FastModeError;
}

export async function runBacktestCommand(
  opts: BacktestCommandOptions,
  io: CommandIo = consoleIo(opts.quiet),
): Promise<BacktestCommandResult> {
  const { scenario, data, params, sim, sizing } = await prepareRun(opts, io);
  const fees = loadFeeTable();
  const risk =
    opts.risk !== undefined ? loadRiskParams(JSON.parse(readFileSync(opts.risk, 'utf8'))) : undefined;
  const mode = opts.fast ? 'fast' : 'full';
  const tape = opts.fast ? fastModeTape(data.tape) : data.tape;
  const bar = progressBar({ label: 'backtest', unit: 'rows', stream: io.stderr, quiet: opts.quiet ?? false });
  const started = process.hrtime.bigint();
  let run: ReturnType<typeof runBacktestWithStats>;
  try {
    run = runBacktestWithStats({
      tape,
      strategy: opts.strategy,
      params,
      sim,
      fees,
      seed: opts.seed,
      scenario: scenario.name,
      mode,
      ...(risk ? { risk } : {}),
      onProgress: (p) => bar.update(p.rows, p.totalRows),
    });
  } finally {
    bar.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { result } = run;
  let fastError: FastModeError | undefined;
  if (opts.fast) {
    io.status('fast mode: measuring its error against the full model …');
    fastError = measureFastModeError(
      {
        tape: data.tape,
        strategy: opts.strategy,
        params,
        sim,
        fees,
        seed: opts.seed,
        scenario: scenario.name,
        ...(risk ? { risk } : {}),
      },
      tape,
    );
  }
  const metrics = computeMetrics(result);
  const monteCarlo = bootstrapRoundTrips(result.roundTrips, result.initialCapital, {
    seed: opts.seed,
    simulations: opts.mcSims ?? 1000,
  });
  const outDir = opts.out ?? join('results', result.runId);
  const notes = [
    describeSizing(scenario.name, sizing),
    `Data: ${data.files.join(', ')}`,
    ...(fastError ? [`Fast approximate mode; ${formatFastModeError(fastError)}`] : []),
  ];
  const written = await writeRunReport(
    outDir,
    { result, metrics, monteCarlo, notes },
    { parquet: opts.parquet ?? true },
  );

  const rate = seconds > 0 ? Math.round(run.stats.rows / seconds) : 0;
  const resolved = resolveSimConfig(sim);
  io.log(
    [
      `backtest ${result.runId}`,
      `strategy ${result.strategy} (${Object.entries(result.params)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')})`,
      describeSizing(scenario.name, sizing),
      `capital ${resolved.initialCapital}, queue ${queueLabel(resolved.queue)}, latency ` +
        `${createLatencyModel(resolved.latency, data.tape).name}, max leverage ${resolved.maxLeverage}, seed ${opts.seed}, ${mode} mode`,
      `${result.events.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s (${rate.toLocaleString('en-US')} rows/s), ${isoOf(result.startTs)} → ${isoOf(result.endTs)}`,
      '',
      formatMetricsSummary(metrics),
      ...(formatRejects(result.orders) ? [formatRejects(result.orders)] : []),
      '',
      `Monte Carlo (${monteCarlo.simulations} bootstrap paths of ${monteCarlo.tradesPerSimulation} round trips): ` +
        `return p5 ${formatPercent(monteCarlo.totalReturn.percentiles.p5)}, p50 ${formatPercent(monteCarlo.totalReturn.percentiles.p50)}, ` +
        `p95 ${formatPercent(monteCarlo.totalReturn.percentiles.p95)}; max drawdown p95 ${formatPercent(monteCarlo.maxDrawdown.percentiles.p95)}; ` +
        `P(loss) ${formatPercent(monteCarlo.probabilityOfLoss, 1)}`,
      ...(fastError ? [formatFastModeError(fastError)] : []),
      '',
      `report: ${join(written.dir, 'report.html')}`,
      `output: ${written.dir} (${written.files.length} files)`,
    ].join('\n'),
  );
  return {
    result,
    metrics,
    monteCarlo,
    outDir: written.dir,
    files: written.files,
    data,
    ...(sizing ? { sizing } : {}),
    ...(fastError ? { fastError } : {}),
  };
}

/**
 * A scenario name checked against config/scenarios.json. The file is read when the option is parsed
 * (or the help is shown), never when the command is registered: a broken scenarios file must fail
 * only the commands that use it.
 */
function scenarioName(value: string): string {
  return oneOf([...loadScenarios().scenarios.keys()], 'scenario')(value);
}

function scenarioHelp(): string {
  try {
    return `\nScenarios (config/scenarios.json): ${[...loadScenarios().scenarios.keys()].join(', ')}`;
  } catch (error) {
    return `\nScenarios: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Adds the options every run command shares (backtest, sweep). */
export function addRunOptions(cmd: Command, scenarioRequired: boolean): Command {
  const strategies = defaultRegistry().names();
  cmd
    .requiredOption('--strategy <name>', `strategy (${strategies.join(', ')})`, oneOf(strategies, 'strategy'))
    .requiredOption('--data <path>', 'capture file, folder of captures, or recorded Parquet folder');
  if (scenarioRequired) cmd.requiredOption('--scenario <name>', 'risk scenario (listed below)', scenarioName);
  else cmd.option('--scenario <name>', 'risk scenario (listed below)', scenarioName, 'balanced');
  cmd.addHelpText('after', scenarioHelp);
  return cmd
    .option('--from <iso>', 'start of the replay, ISO 8601 (UTC unless an offset is given)', isoTime)
    .option('--to <iso>', 'end of the replay (exclusive), ISO 8601', isoTime)
    .option(
      '--symbols <list>',
      'only these symbols, comma-separated (BTCUSDT, BTC/USDT, binance:BTCUSDT)',
      symbolList,
    )
    .option('--params <k=v>', 'strategy parameter(s), repeatable or comma-separated', collectParams)
    .option('--seed <n>', 'seed of the simulator and Monte Carlo randomness', seed, 1)
    .option(
      '--queue <model>',
      'queue model: risk-averse, l3-fifo, prob[:power|power2|power3|log|log2[:n]]',
      queueModel,
    )
    .option('--latency-ms <n>', 'constant order latency per leg, ms (default: the scenario)', latencyMs)
    .option('--out <dir>', 'output folder (default ./results/<run-id>)')
    .option('--no-parquet', 'skip the Parquet copies of the tables')
    .option('-q, --quiet', 'no progress bar or status lines');
}

interface BacktestCliFlags {
  strategy: string;
  scenario: string;
  data: string;
  from?: number;
  to?: number;
  symbols?: string[];
  params?: Record<string, string>;
  seed: number;
  queue?: QueueSpec;
  latencyMs?: number;
  out?: string;
  parquet: boolean;
  quiet?: boolean;
  fast?: boolean;
  risk?: string;
  mcSims: number;
}

export function toBacktestOptions(flags: BacktestCliFlags): BacktestCommandOptions {
  const { latencyMs: latencyUs, params, ...rest } = flags;
  return { ...rest, params: params ?? {}, ...(latencyUs !== undefined ? { latencyUs } : {}) };
}

export function register(
  program: Command,
  run: (opts: BacktestCommandOptions) => Promise<unknown> = (opts) => runBacktestCommand(opts),
): Command {
  const cmd = program
    .command('backtest')
    .description('Backtest a strategy on recorded market data; writes report.html, metrics.json, trades.csv');
  addRunOptions(cmd, true)
    .option('--fast', "the engine's approximate mode (top-20 book, one view); prints its measured error")
    .option('--mc-sims <n>', 'Monte Carlo bootstrap paths', positiveInt, 1000)
    .option(
      '--risk <file>',
      "run under these risk limits (config/risk.json's shape, e.g. the live ones); default: open limits and the margin check",
    )
    .action(async (flags: BacktestCliFlags) => {
      await run(toBacktestOptions(flags));
    });
  return cmd;
}
