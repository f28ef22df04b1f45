/**
 * A parameter sweep, with optional walk-forward and latency sensitivity, run on a job runner
 * (worker threads or serial; job-pool.ts).
 *
 *   1. search   every grid point on the whole tape — and, with walk-forward, on each fold's
 *               in-sample window — in fast mode when asked (reduced tape, one view; fast-mode.ts);
 *   2. evaluate the best row (by the metric) again in FULL mode for the report; with --fast, the
 *               fast mode's measured error on that row (measureFastModeError); each fold's best
 *               in-sample parameters on its out-of-sample window (full mode; with --fast also again
 *               on its in-sample window, so IS and OOS are both full-model numbers); the best row
 *               with +N ms on both order legs (full mode) for the latency curve.
 * Fast mode only ever ranks; every number reported as a result comes from the full model.
 * Deterministic: same tape, grid, parameters and seed → the same rows in the same order.
 */

import { loadFeeTable, readFeesJson } from '../../../config/fees.ts';
import type { LatencySensitivity } from '../../../core/backtest/analytics/latency-sensitivity.ts';
import { latencySensitivity } from '../../../core/backtest/analytics/latency-sensitivity.ts';
import type { MetricKey, Metrics } from '../../../core/backtest/analytics/metrics.ts';
import {
  type RankedSweepRow,
  rankSweep,
  type SweepRow,
} from '../../../core/backtest/analytics/sweep-ranking.ts';
import {
  summarizeWalkForward,
  type WalkForwardFoldResult,
  type WalkForwardSummary,
} from '../../../core/backtest/analytics/walk-forward-summary.ts';
import {
  type WalkForwardWindow,
  walkForwardWindows,
} from '../../../core/backtest/analytics/walk-forward-windows.ts';
import type { EngineMode } from '../../../core/backtest/engine/engine.ts';
import { type FastModeError, fastModeTape } from '../../../core/backtest/engine/fast-mode.ts';
import { runId } from '../../../core/backtest/engine/run-id.ts';
import type { BacktestResult } from '../../../core/backtest/result.ts';
import type { Tape } from '../../../core/backtest/tape/tape.ts';
import { resolveSimConfig, type SimConfig, type SimConfigInput } from '../../../core/sim/sim-config.ts';
import type { ParamValue, StrategyParams } from '../../../core/strategy/params.ts';
import { defaultRegistry } from '../../../core/strategy/registry.ts';
import type { GridAxis, WalkForwardSpec } from '../cli-args.ts';
import { windowTape } from '../window-tape.ts';
import { type GridPoint, resolveGrid } from './grid.ts';
import type { Job, JobOutput, RunJob } from './job.ts';
import { type JobRunner, serialRunner, startWorkerPool } from './job-pool.ts';

export interface SweepConfig {
  readonly tape: Tape;
  readonly strategy: string;
  readonly scenario: string;
  readonly seed: number;
  /** Parameters every run shares (scenario sizing, --params); the grid overrides them. */
  readonly baseParams: Readonly<Record<string, unknown>>;
  readonly grid: readonly GridAxis[];
  readonly sim: SimConfigInput;
  readonly metric: MetricKey;
  readonly fast: boolean;
  /** Worker threads; 0 = serial in this thread. */
  readonly workers: number;
  readonly walkForward?: WalkForwardSpec;
  /** Added latencies in ms (e.g. 0, 1, 5, 10, 50). */
  readonly latencyOffsetsMs?: readonly number[];
  /** Fee document (default config/fees.json). */
  readonly feesJson?: unknown;
  /** Runs finished so far / runs in the whole sweep. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface WalkForwardOutcome {
  readonly spec: WalkForwardSpec;
  readonly folds: readonly WalkForwardFoldResult[];
  /** The in-sample winner of each fold (grid parameters). */
  readonly bestParams: ReadonlyArray<Readonly<Record<string, ParamValue>>>;
  readonly summary: WalkForwardSummary;
}

export interface SweepOutcome {
  readonly runId: string;
  readonly metric: MetricKey;
  /** Mode of the search runs (the evaluation runs are always full). */
  readonly mode: EngineMode;
  readonly workers: number;
  /** One row per grid point, in grid order (grid parameters → metrics of the search run). */
  readonly rows: readonly SweepRow[];
  readonly ranked: readonly RankedSweepRow[];
  readonly best: {
    readonly gridParams: Readonly<Record<string, ParamValue>>;
    readonly params: StrategyParams;
    /** Full-mode run of the best parameters on the whole tape. */
    readonly result: BacktestResult;
    readonly metrics: Metrics;
  };
  readonly walkForward?: WalkForwardOutcome;
  readonly latency?: LatencySensitivity;
  readonly fastError?: FastModeError;
  /** Backtests run (a fast-error measurement counts once). */
  readonly runs: number;
}

const FULL = 'full';
const fastKey = (key: string) => `${key}@fast`;
const isKey = (fold: number) => `is-${fold}`;
const oosKey = (fold: number) => `oos-${fold}`;

export async function runSweep(config: SweepConfig): Promise<SweepOutcome> {
  const registry = defaultRegistry();
  const points = resolveGrid(registry, config.strategy, config.baseParams, config.grid);
  if (points.length === 0) throw new Error('sweep: the grid is empty (give at least one --grid name=v1,v2)');
  const sim = resolveSimConfig(config.sim);
  const mode: EngineMode = config.fast ? 'fast' : 'full';
  const { tape } = config;
  const windows = config.walkForward
    ? walkForwardWindows(tape.startTs, tape.endTs + 1, {
        folds: config.walkForward.folds,
        inSampleFraction: config.walkForward.inSampleFraction,
        anchored: config.walkForward.anchored,
      })
    : [];
  const tapes = new Map<string, Tape>([[FULL, tape]]);
  windows.forEach((w, k) => {
    tapes.set(isKey(k), windowTape(tape, w.inSample.start, w.inSample.end));
    tapes.set(oosKey(k), windowTape(tape, w.outOfSample.start, w.outOfSample.end));
  });
  if (config.fast) {
    for (const key of [FULL, ...windows.map((_, k) => isKey(k))])
      tapes.set(fastKey(key), fastModeTape(tapes.get(key)!));
  }
  const offsets = config.latencyOffsetsMs ?? [];
  const extraLatencyRuns = offsets.filter((ms) => ms !== 0).length;
  const total =
    points.length * (1 + windows.length) +
    1 +
    (config.fast ? 1 : 0) +
    extraLatencyRuns +
    windows.length * (config.fast ? 2 : 1);

  const base = (params: StrategyParams, s: SimConfig = sim) => ({
    strategy: config.strategy,
    params,
    sim: s,
    seed: config.seed,
    scenario: config.scenario,
  });
  const search = (tapeKey: string, p: GridPoint): RunJob => ({
    kind: 'run',
    ...base(p.params),
    tape: config.fast ? fastKey(tapeKey) : tapeKey,
    mode,
  });

  const workers = Math.max(0, Math.min(config.workers, total));
  const runner: JobRunner =
    workers === 0
      ? serialRunner(tapes, loadFeeTable(config.feesJson ?? readFeesJson()))
      : await startWorkerPool(tapes, config.feesJson ?? readFeesJson(), workers);
  let finished = 0;
  const progress = (done: number) => config.onProgress?.(finished + done, total);
  try {
    // 1. Search: the grid on the whole tape, then on every in-sample window.
    const searchJobs: Job[] = points.map((p) => search(FULL, p));
    windows.forEach((_, k) => {
      for (const p of points) searchJobs.push(search(isKey(k), p));
    });
    const searched = await runner.run(searchJobs, progress);
    finished += searchJobs.length;
    const metricsAt = (i: number) => runMetrics(searched[i]!);
    const rows: SweepRow[] = points.map((p, i) => ({ params: p.gridParams, metrics: metricsAt(i) }));
    const ranked = rankSweep(rows, config.metric);
    const best = points[indexOfRanked(rows, ranked[0]!)]!;
    const foldBest = windows.map((_, k) => {
      const foldRows = points.map((p, i) => ({
        params: p.gridParams,
        metrics: metricsAt(points.length * (k + 1) + i),
      }));
      const top = rankSweep(foldRows, config.metric)[0]!;
      const at = indexOfRanked(foldRows, top);
      return { point: points[at]!, inSample: foldRows[at]!.metrics };
    });

    // 2. Evaluate in full mode: the best row, its fast-mode error, its latency curve, each fold's OOS.
    const evalJobs: Job[] = [
      { kind: 'run', ...base(best.params), tape: FULL, mode: 'full', keepResult: true },
    ];
    if (config.fast)
      evalJobs.push({ kind: 'fast-error', ...base(best.params), tape: FULL, fastTape: fastKey(FULL) });
    const latencyAt: number[] = [];
    for (const ms of offsets) {
      if (ms === 0) continue;
      latencyAt.push(evalJobs.length);
      evalJobs.push({
        kind: 'run',
        ...base(best.params, withExtraLatency(sim, ms)),
        tape: FULL,
        mode: 'full',
      });
    }
    const oosAt = evalJobs.length;
    foldBest.forEach((f, k) => {
      evalJobs.push({ kind: 'run', ...base(f.point.params), tape: oosKey(k), mode: 'full' });
    });
    // A fast search's in-sample numbers are approximate: re-run each fold's winner in full mode so
    // IS and OOS compare like with like.
    const isAt = evalJobs.length;
    if (config.fast)
      foldBest.forEach((f, k) => {
        evalJobs.push({ kind: 'run', ...base(f.point.params), tape: isKey(k), mode: 'full' });
      });
    const evaluated = await runner.run(evalJobs, progress);
    finished += evalJobs.length;

    const bestOut = evaluated[0]!;
    if (bestOut.kind !== 'run' || !bestOut.result) throw new Error('sweep: the best run returned no result');
    const fastOut = config.fast ? evaluated[1] : undefined;
    const fastError = fastOut?.kind === 'fast-error' ? fastOut.error : undefined;
    let latency: LatencySensitivity | undefined;
    if (offsets.length > 0) {
      let j = 0;
      latency = latencySensitivity(
        offsets.map((ms) => ({
          addedLatencyMs: ms,
          pnl: ms === 0 ? bestOut.metrics.pnl : runMetrics(evaluated[latencyAt[j++]!]!).pnl,
        })),
      );
    }
    let walkForward: WalkForwardOutcome | undefined;
    if (config.walkForward && windows.length > 0) {
      const folds: WalkForwardFoldResult[] = windows.map((window: WalkForwardWindow, k) => ({
        window,
        inSample: config.fast ? runMetrics(evaluated[isAt + k]!) : foldBest[k]!.inSample,
        outOfSample: runMetrics(evaluated[oosAt + k]!),
      }));
      walkForward = {
        spec: config.walkForward,
        folds,
        bestParams: foldBest.map((f) => f.point.gridParams),
        summary: summarizeWalkForward(folds, config.metric),
      };
    }
    return {
      runId: sweepRunId(config, sim, tape),
      metric: config.metric,
      mode,
      workers: runner.workers,
      rows,
      ranked,
      best: {
        gridParams: best.gridParams,
        params: best.params,
        result: bestOut.result,
        metrics: bestOut.metrics,
      },
      ...(walkForward ? { walkForward } : {}),
      ...(latency ? { latency } : {}),
      ...(fastError ? { fastError } : {}),
      runs: finished,
    };
  } finally {
    await runner.close();
  }
}

/** The sweep's id: everything that decides its numbers (so the same sweep gets the same id anywhere). */
export function sweepRunId(
  config: Pick<
    SweepConfig,
    | 'strategy'
    | 'grid'
    | 'baseParams'
    | 'seed'
    | 'fast'
    | 'scenario'
    | 'metric'
    | 'walkForward'
    | 'latencyOffsetsMs'
  >,
  sim: SimConfig,
  tape: Tape,
): string {
  return runId(`sweep-${config.strategy}`, [
    config.grid,
    config.baseParams,
    config.seed,
    sim,
    config.fast ? 'fast' : 'full',
    tape.fingerprint(),
    config.scenario,
    config.metric,
    config.walkForward ?? null,
    config.latencyOffsetsMs ?? [],
  ]);
}

function runMetrics(out: JobOutput): Metrics {
  if (out.kind !== 'run') throw new Error('sweep: expected a run');
  return out.metrics;
}

/** Index of a ranked row in its input rows (rankSweep copies rows; params objects stay shared). */
function indexOfRanked(rows: readonly SweepRow[], ranked: RankedSweepRow): number {
  return rows.findIndex((r) => r.params === ranked.params);
}

/** `sim` with `ms` more on both order legs (any latency model; core/sim/latency/latency-spec.ts extraUs). */
export function withExtraLatency(sim: SimConfig, ms: number): SimConfig {
  return { ...sim, latency: { ...sim.latency, extraUs: sim.latency.extraUs + ms * 1000 } };
}
