import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_LATENCY_OFFSETS_MS } from '../../core/backtest/analytics/latency-sensitivity.ts';
import type { MetricKey } from '../../core/backtest/analytics/metrics.ts';
import { formatFastModeError } from '../../core/backtest/engine/fast-mode.ts';
import { METRIC_INFO } from '../../core/backtest/report/metric-labels.ts';
import {
  collectGrid,
  DEFAULT_WALK_FORWARD,
  type GridAxis,
  latencyOffsets,
  metricName,
  nonNegativeInt,
  type WalkForwardSpec,
  walkForwardSpec,
} from '../../local/backtest/cli-args.ts';
import { type CommandIo, consoleIo } from '../../local/backtest/command-io.ts';
import { progressBar } from '../../local/backtest/progress-bar.ts';
import { autoWorkers } from '../../local/backtest/sweep/auto-workers.ts';
import { runSweep, type SweepOutcome } from '../../local/backtest/sweep/run-sweep.ts';
import { writeSweepReport } from '../../local/backtest/sweep/write-sweep-report.ts';
import {
  formatLatencyTable,
  formatMetricsSummary,
  formatRankedTable,
  formatWalkForwardTable,
} from '../../local/backtest/text-tables.ts';
import { addRunOptions, describeSizing, prepareRun, type RunInputOptions } from './backtest.ts';

export interface SweepCommandOptions extends RunInputOptions {
  readonly grid: readonly GridAxis[];
  readonly metric: MetricKey;
  /** Worker threads; 0 = serial in this thread. Default: sweep/auto-workers.ts (cores for big sweeps). */
  readonly workers?: number;
  readonly fast?: boolean;
  readonly walkForward?: WalkForwardSpec;
  readonly latencyOffsetsMs?: readonly number[];
}

export interface SweepCommandResult {
  readonly outcome: SweepOutcome;
  readonly outDir: string;
  readonly files: readonly string[];
  readonly seconds: number;
}

export async function runSweepCommand(
  opts: SweepCommandOptions,
  io: CommandIo = consoleIo(opts.quiet),
): Promise<SweepCommandResult> {
  if (opts.grid.length === 0) throw new Error('sweep: give at least one --grid name=v1,v2,…');
  const { scenario, data, params, sim, sizing } = await prepareRun(opts, io);
  const points = opts.grid.reduce((n, a) => n * a.values.length, 1);
  const runs = points * (1 + (opts.walkForward?.folds ?? 0));
  const workers = opts.workers ?? autoWorkers(data.tape.length, runs);
  io.status(
    `sweep: ${points} parameter set(s)${opts.walkForward ? ` × (1 + ${opts.walkForward.folds} in-sample folds)` : ''}` +
      `${opts.fast ? ' in fast mode' : ''} on ${workers === 0 ? 'this thread' : `${workers} worker thread(s)`} …`,
  );
  const bar = progressBar({ label: 'sweep', unit: 'runs', stream: io.stderr, quiet: opts.quiet ?? false });
  const started = process.hrtime.bigint();
  let outcome: SweepOutcome;
  try {
    outcome = await runSweep({
      tape: data.tape,
      strategy: opts.strategy,
      scenario: scenario.name,
      seed: opts.seed,
      baseParams: params,
      grid: opts.grid,
      sim,
      metric: opts.metric,
      fast: opts.fast ?? false,
      workers,
      ...(opts.walkForward ? { walkForward: opts.walkForward } : {}),
      ...(opts.latencyOffsetsMs ? { latencyOffsetsMs: opts.latencyOffsetsMs } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
  } finally {
    bar.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const best = outcome.best;
  const written = await writeSweepReport(opts.out ?? join('results', outcome.runId), {
    outcome,
    meta: {
      strategy: opts.strategy,
      scenario: scenario.name,
      seed: opts.seed,
      data: opts.data,
      grid: Object.fromEntries(opts.grid.map((a) => [a.name, a.values])),
    },
    sizing,
    dataFiles: data.files,
    parquet: opts.parquet ?? true,
  });
  const files = written.files;

  // An annualized metric on runs under 30 days ranks by its per-sample stand-in (the rows name it).
  const ranked = outcome.ranked[0]?.metric ?? opts.metric;
  const lines = [
    `sweep ${outcome.runId}: ${outcome.rows.length} parameter sets ranked by ${ranked} ` +
      `(${METRIC_INFO[ranked].label}${ranked !== opts.metric ? `, standing in for ${opts.metric}: runs under 30 days are not annualized` : ''}), search in ${outcome.mode} mode`,
    describeSizing(scenario.name, sizing),
    '',
    formatRankedTable(outcome.ranked, opts.metric),
    '',
    `best: ${Object.entries(best.gridParams)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} — full-mode run on the whole data:`,
    formatMetricsSummary(best.metrics),
  ];
  if (outcome.fastError) lines.push('', formatFastModeError(outcome.fastError));
  if (outcome.walkForward) {
    const wf = outcome.walkForward.spec;
    lines.push(
      '',
      `walk-forward: ${wf.folds} fold(s), ${Math.round(wf.inSampleFraction * 100)}/${Math.round((1 - wf.inSampleFraction) * 100)} ` +
        `${wf.anchored ? 'anchored' : 'rolling'}; best in-sample set evaluated out-of-sample (full mode)`,
      formatWalkForwardTable(outcome.walkForward),
    );
  }
  if (outcome.latency) {
    lines.push('', 'latency sensitivity of the best set (added to both order legs, full mode):');
    lines.push(formatLatencyTable(outcome.latency));
  }
  lines.push(
    '',
    `${outcome.runs} backtests in ${seconds.toFixed(1)} s on ${outcome.workers === 0 ? 'the main thread' : `${outcome.workers} worker thread(s)`}`,
    `report: ${join(written.dir, 'report.html')}`,
    `output: ${written.dir} (${files.length} files)`,
  );
  io.log(lines.join('\n'));
  return { outcome, outDir: written.dir, files, seconds };
}

interface SweepCliFlags extends Omit<SweepCommandOptions, 'latencyUs' | 'walkForward' | 'latencyOffsetsMs'> {
  latencyMs?: number;
  walkForward?: WalkForwardSpec | true;
  latency?: number[] | true;
}

export function toSweepOptions(flags: SweepCliFlags): SweepCommandOptions {
  const { latencyMs: latencyUs, walkForward, latency, params, ...rest } = flags;
  return {
    ...rest,
    params: params ?? {},
    ...(latencyUs !== undefined ? { latencyUs } : {}),
    ...(walkForward ? { walkForward: walkForward === true ? DEFAULT_WALK_FORWARD : walkForward } : {}),
    ...(latency ? { latencyOffsetsMs: latency === true ? [...DEFAULT_LATENCY_OFFSETS_MS] : latency } : {}),
  };
}

export function register(
  program: Command,
  run: (opts: SweepCommandOptions) => Promise<unknown> = (opts) => runSweepCommand(opts),
): Command {
  const cmd = program
    .command('sweep')
    .description('Parameter sweep in parallel: ranked table + heatmap, walk-forward, latency sensitivity');
  addSweepOptions(addRunOptions(cmd, false)).action(async (flags: SweepCliFlags) => {
    await run(toSweepOptions(flags));
  });
  return cmd;
}

/** The sweep's own options (grid, metric, workers, fast, walk-forward, latency), after addRunOptions. */
export function addSweepOptions(cmd: Command): Command {
  return cmd
    .requiredOption(
      '--grid <name=v1,v2>',
      'a parameter axis, repeatable (the grid is their cartesian product)',
      collectGrid,
    )
    .option(
      '--metric <key>',
      'ranking metric: any metrics.json key (sharpe, sortino, pnl, totalReturn, maxDrawdown, winRate, …)',
      metricName,
      'sharpe',
    )
    .option(
      '--workers <n>',
      'worker threads (0: serial in this thread; default: all cores for sweeps of ≥ 30 M tape rows in total, else 0)',
      nonNegativeInt,
    )
    .option('--fast', "search with the engine's approximate mode; prints its measured error on the best set")
    .option(
      '--walk-forward [spec]',
      'walk-forward: folds=N,is=0.6[,anchored] (default folds=3,is=0.6, rolling)',
      walkForwardSpec,
    )
    .option(
      '--latency [ms]',
      'latency sensitivity: added ms, comma-separated (default 0,1,5,10,50)',
      latencyOffsets,
    );
}
