/**
 * The report steps.
 *
 *   selectFoldWinners  (walk-forward) rank each fold's in-sample runs and name the out-of-sample
 *                      items: each fold's winner on its out-of-sample window (and, after a fast
 *                      search, on its in-sample window again in full mode);
 *   reportSweep        rank the grid by the metric (core's rankSweep), re-run the best set in full
 *                      mode on the whole tape (and measure fast mode's error on it), assemble the
 *                      outcome `npm run sweep` assembles and write the same files with the same
 *                      writer (write-sweep-report.ts) under `<prefix>report/`.
 * A grid point whose item failed (within the Map's tolerated failures) has no metrics: it is left
 * out of the ranking and named in the step's output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFeeTable, readFeesJson } from '../../config/fees.ts';
import type { Metrics } from '../../core/backtest/analytics/metrics.ts';
import {
  type RankedSweepRow,
  rankSweep,
  type SweepRow,
} from '../../core/backtest/analytics/sweep-ranking.ts';
import { summarizeWalkForward } from '../../core/backtest/analytics/walk-forward-summary.ts';
import { walkForwardWindows } from '../../core/backtest/analytics/walk-forward-windows.ts';
import { fastModeTape } from '../../core/backtest/engine/fast-mode.ts';
import { resolveSimConfig } from '../../core/sim/sim-config.ts';
import type { GridPoint } from '../../local/backtest/sweep/grid.ts';
import { executeJob } from '../../local/backtest/sweep/job.ts';
import {
  type SweepOutcome,
  sweepRunId,
  type WalkForwardOutcome,
} from '../../local/backtest/sweep/run-sweep.ts';
import { writeSweepReport } from '../../local/backtest/sweep/write-sweep-report.ts';
import { fromExactJson } from './exact-json.ts';
import { type ObjectStore, uploadFolder } from './object-store.ts';
import { preparedRun } from './prepared-data.ts';
import { gridPointsOf } from './run-grid-point.ts';
import { gridAxes, type SweepInput, walkForwardOf } from './sweep-input.ts';
import { metricsKey, reportPrefix, type SweepItem, type SweepRun, searchItemId } from './sweep-state.ts';

async function readMetrics(store: ObjectStore, run: SweepRun, id: string): Promise<Metrics | undefined> {
  const body = await store.tryGet(run.bucket, metricsKey(run, id));
  return body ? (fromExactJson(new TextDecoder().decode(body)) as Metrics) : undefined;
}

interface GridRows {
  readonly rows: SweepRow[];
  /** Grid index of each row. */
  readonly at: number[];
  readonly failed: string[];
}

async function gridRows(
  store: ObjectStore,
  run: SweepRun,
  points: readonly GridPoint[],
  fold?: number,
): Promise<GridRows> {
  const rows: SweepRow[] = [];
  const at: number[] = [];
  const failed: string[] = [];
  for (let i = 0; i < points.length; i++) {
    const id = searchItemId(i, fold);
    const metrics = await readMetrics(store, run, id);
    if (!metrics) failed.push(id);
    else {
      rows.push({ params: points[i]!.gridParams, metrics });
      at.push(i);
    }
  }
  return { rows, at, failed };
}

/** Grid index of the top ranked row (rankSweep copies rows; the params objects stay shared). */
function topIndex(grid: GridRows, ranked: readonly RankedSweepRow[]): number {
  const top = ranked[0];
  if (!top) throw new Error('sweep: every grid point failed; nothing to rank');
  return grid.at[grid.rows.findIndex((r) => r.params === top.params)]!;
}

export interface FoldWinner {
  readonly fold: number;
  readonly index: number;
}

export interface FoldWinners {
  readonly winners: readonly FoldWinner[];
  /** The out-of-sample Map's items. */
  readonly items: readonly SweepItem[];
  readonly failed: readonly string[];
}

export async function selectFoldWinners(
  input: SweepInput,
  run: SweepRun,
  store: ObjectStore,
): Promise<FoldWinners> {
  const prepared = await preparedRun(store, input, run);
  const points = gridPointsOf(input, prepared);
  const winners: FoldWinner[] = [];
  const items: SweepItem[] = [];
  const failed: string[] = [];
  for (let fold = 0; fold < run.folds; fold++) {
    const grid = await gridRows(store, run, points, fold);
    failed.push(...grid.failed);
    const index = topIndex(grid, rankSweep(grid.rows, input.metric));
    winners.push({ fold, index });
    items.push({ id: `oos-${fold}`, index, window: { fold, part: 'out-of-sample' }, full: true });
  }
  if (input.fast)
    for (const w of winners)
      items.push({
        id: `is-full-${w.fold}`,
        index: w.index,
        window: { fold: w.fold, part: 'in-sample' },
        full: true,
      });
  return { winners, items, failed };
}

export interface SweepReportResult {
  readonly bucket: string;
  readonly reportPrefix: string;
  readonly keys: readonly string[];
  readonly runId: string;
  readonly best: Readonly<Record<string, string | number | boolean>>;
  readonly failed: readonly string[];
}

export async function reportSweep(
  input: SweepInput,
  run: SweepRun,
  store: ObjectStore,
  winners?: readonly FoldWinner[],
): Promise<SweepReportResult> {
  const prepared = await preparedRun(store, input, run);
  const points = gridPointsOf(input, prepared);
  const sim = resolveSimConfig(prepared.sim);
  const tape = prepared.data.tape;
  const grid = await gridRows(store, run, points);
  const ranked = rankSweep(grid.rows, input.metric);
  const best = points[topIndex(grid, ranked)]!;

  const job = {
    strategy: input.strategy,
    params: best.params,
    sim,
    seed: input.seed,
    scenario: prepared.scenario.name,
  };
  const tapes = new Map([['full', tape]]);
  if (input.fast) tapes.set('full@fast', fastModeTape(tape));
  const fees = loadFeeTable(readFeesJson());
  const bestOut = executeJob(
    { kind: 'run', ...job, tape: 'full', mode: 'full', keepResult: true },
    tapes,
    fees,
  );
  if (bestOut.kind !== 'run' || !bestOut.result) throw new Error('sweep: the best run returned no result');
  const fastOut = input.fast
    ? executeJob({ kind: 'fast-error', ...job, tape: 'full', fastTape: 'full@fast' }, tapes, fees)
    : undefined;

  const spec = walkForwardOf(input);
  let walkForward: WalkForwardOutcome | undefined;
  const failed = [...grid.failed];
  if (spec && winners) {
    const windows = walkForwardWindows(tape.startTs, tape.endTs + 1, spec);
    const folds = [];
    for (const w of winners) {
      const isId = input.fast ? `is-full-${w.fold}` : searchItemId(w.index, w.fold);
      const inSample = await readMetrics(store, run, isId);
      const outOfSample = await readMetrics(store, run, `oos-${w.fold}`);
      if (!inSample || !outOfSample)
        throw new Error(`walk-forward fold ${w.fold + 1}: its evaluation runs failed`);
      folds.push({ window: windows[w.fold]!, inSample, outOfSample });
    }
    walkForward = {
      spec,
      folds,
      bestParams: winners.map((w) => points[w.index]!.gridParams),
      summary: summarizeWalkForward(folds, input.metric),
    };
  }
  const foldCount = spec ? spec.folds : 0;
  const outcome: SweepOutcome = {
    runId: sweepRunId(
      {
        strategy: input.strategy,
        grid: gridAxes(input),
        baseParams: prepared.params,
        seed: input.seed,
        fast: input.fast,
        scenario: prepared.scenario.name,
        metric: input.metric,
        ...(spec ? { walkForward: spec } : {}),
      },
      sim,
      tape,
    ),
    metric: input.metric,
    mode: input.fast ? 'fast' : 'full',
    workers: 0,
    rows: grid.rows,
    ranked,
    best: {
      gridParams: best.gridParams,
      params: best.params,
      result: bestOut.result,
      metrics: bestOut.metrics,
    },
    ...(walkForward ? { walkForward } : {}),
    ...(fastOut?.kind === 'fast-error' ? { fastError: fastOut.error } : {}),
    // The count `npm run sweep` reports: searches, the best run, fast-mode error, fold evaluations.
    runs: points.length * (1 + foldCount) + 1 + (input.fast ? 1 : 0) + foldCount * (input.fast ? 2 : 1),
  };
  const dir = await mkdtemp(join(tmpdir(), 'sweep-report-'));
  try {
    const written = await writeSweepReport(dir, {
      outcome,
      meta: {
        strategy: input.strategy,
        scenario: prepared.scenario.name,
        seed: input.seed,
        data: input.data.source ?? `s3://${run.bucket}/${run.dataPrefix}`,
        grid: Object.fromEntries(gridAxes(input).map((a) => [a.name, a.values])),
      },
      sizing: prepared.sizing,
      dataFiles: [input.data.source ?? `s3://${run.bucket}/${run.dataPrefix}`],
    });
    const keys = await uploadFolder(store, run.bucket, reportPrefix(run), written.dir);
    return {
      bucket: run.bucket,
      reportPrefix: reportPrefix(run),
      keys,
      runId: outcome.runId,
      best: best.gridParams,
      failed,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
