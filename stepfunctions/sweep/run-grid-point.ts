/**
 * The backtest step: one Map item — a grid point on the whole tape or on a walk-forward window —
 * run by the sweep's own job code (local/backtest/sweep/job.ts, the function `npm run sweep` runs in
 * its workers) on the execution's extract; its metrics go to `runs/<id>/metrics.json`.
 */
import { loadFeeTable, readFeesJson } from '../../config/fees.ts';
import { walkForwardWindows } from '../../core/backtest/analytics/walk-forward-windows.ts';
import { fastModeTape } from '../../core/backtest/engine/fast-mode.ts';
import type { Tape } from '../../core/backtest/tape/tape.ts';
import { resolveSimConfig } from '../../core/sim/sim-config.ts';
import { defaultRegistry } from '../../core/strategy/registry.ts';
import { resolveGrid } from '../../local/backtest/sweep/grid.ts';
import { executeJob } from '../../local/backtest/sweep/job.ts';
import { windowTape } from '../../local/backtest/window-tape.ts';
import { toExactJson } from './exact-json.ts';
import type { ObjectStore } from './object-store.ts';
import { type PreparedRun, preparedRun } from './prepared-data.ts';
import { gridAxes, type SweepInput, walkForwardOf } from './sweep-input.ts';
import { metricsKey, type SweepItem, type SweepRun } from './sweep-state.ts';

export interface PointResult {
  readonly id: string;
  readonly metricsKey: string;
}

/** The tape an item runs on: the whole tape, or its fold's window (the sweep's own window maths). */
export function itemTape(tape: Tape, input: SweepInput, item: SweepItem): Tape {
  if (!item.window) return tape;
  const spec = walkForwardOf(input);
  if (!spec) throw new Error(`item ${item.id}: a walk-forward window, but the input has no walkForward`);
  const w = walkForwardWindows(tape.startTs, tape.endTs + 1, spec)[item.window.fold];
  if (!w)
    throw new Error(`item ${item.id}: no fold ${item.window.fold} in a ${spec.folds}-fold walk-forward`);
  const range = item.window.part === 'in-sample' ? w.inSample : w.outOfSample;
  return windowTape(tape, range.start, range.end);
}

export function gridPointsOf(input: SweepInput, prepared: PreparedRun) {
  return resolveGrid(defaultRegistry(), input.strategy, prepared.params, gridAxes(input));
}

export async function runGridPoint(
  input: SweepInput,
  run: SweepRun,
  item: SweepItem,
  store: ObjectStore,
): Promise<PointResult> {
  const prepared = await preparedRun(store, input, run);
  const point = gridPointsOf(input, prepared)[item.index];
  if (!point) throw new Error(`item ${item.id}: no grid point ${item.index}`);
  const fast = input.fast && !item.full;
  const base = itemTape(prepared.data.tape, input, item);
  const out = executeJob(
    {
      kind: 'run',
      strategy: input.strategy,
      params: point.params,
      sim: resolveSimConfig(prepared.sim),
      seed: input.seed,
      scenario: prepared.scenario.name,
      tape: 'item',
      mode: fast ? 'fast' : 'full',
    },
    new Map([['item', fast ? fastModeTape(base) : base]]),
    loadFeeTable(readFeesJson()),
  );
  if (out.kind !== 'run') throw new Error('backtest: expected a run');
  const key = metricsKey(run, item.id);
  await store.put(run.bucket, key, toExactJson(out.metrics), 'application/json');
  return { id: item.id, metricsKey: key };
}
