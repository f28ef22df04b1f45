/**
 * The plan step: validate the execution's input whole (schema, strategy, scenario, every grid
 * point against the strategy's parameter spec — before Athena scans a byte), write the Map's items
 * (one per grid point; for walk-forward one per grid point per fold as well) and build the extract
 * query. Returns the state the rest of the execution works from.
 */
import { loadScenarios, scenarioByName } from '../../config/scenarios.ts';
import { defaultRegistry } from '../../core/strategy/registry.ts';
import { resolveGrid } from '../../local/backtest/sweep/grid.ts';
import { extractQuery } from './extract-query.ts';
import { type ObjectStore, putJson } from './object-store.ts';
import { gridAxes, parseSweepInput, runInputOptions, type SweepInput } from './sweep-input.ts';
import { type SweepItem, type SweepRun, searchItemId } from './sweep-state.ts';

export interface PlanSettings {
  /** Where the execution's objects go (the results bucket). */
  readonly bucket: string;
  /** Glue database of the archive tables. */
  readonly database: string;
}

export interface SweepState {
  readonly input: SweepInput;
  readonly run: SweepRun;
}

/** An execution name as a key segment (Step Functions names may hold characters S3 keys should not). */
export function runName(executionName: string): string {
  const safe = executionName.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 80);
  if (safe.replace(/-/g, '') === '') throw new Error(`execution name "${executionName}" gives no usable key`);
  return safe;
}

export async function planSweep(
  document: unknown,
  executionName: string,
  settings: PlanSettings,
  store: ObjectStore,
): Promise<SweepState> {
  const input = parseSweepInput(document);
  scenarioByName(loadScenarios(), input.scenario);
  const axes = gridAxes(input);
  const points = resolveGrid(
    defaultRegistry(),
    input.strategy,
    runInputOptions(input, '').params ?? {},
    axes,
  );
  const folds = input.walkForward?.folds ?? 0;
  const items: SweepItem[] = [];
  for (let index = 0; index < points.length; index++)
    items.push({ id: searchItemId(index), index, full: false });
  for (let fold = 0; fold < folds; fold++)
    for (let index = 0; index < points.length; index++)
      items.push({ id: searchItemId(index, fold), index, window: { fold, part: 'in-sample' }, full: false });
  const prefix = `sweeps/${runName(executionName)}/`;
  const dataPrefix = `${prefix}data/`;
  const run: SweepRun = {
    bucket: settings.bucket,
    prefix,
    dataPrefix,
    itemsKey: `${prefix}items.json`,
    query: extractQuery(input, {
      database: settings.database,
      location: `s3://${settings.bucket}/${dataPrefix}raw/`,
    }),
    points: points.length,
    folds,
  };
  await putJson(store, run.bucket, run.itemsKey, items);
  return { input, run };
}
