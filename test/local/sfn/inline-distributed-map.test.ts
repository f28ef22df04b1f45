import '../../../local/sfn/promise-with-resolvers.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryStore } from '../../../local/sfn/directory-store.ts';
import { inlineDistributedMaps } from '../../../local/sfn/inline-distributed-map.ts';
import { LOCAL_RESOURCES } from '../../../local/sfn/run-local-sweep.ts';
import {
  type AslDefinition,
  backtestSweepDefinition,
  MAP_RESULTS_PREFIX,
  walkForwardDefinition,
} from '../../../stepfunctions/backtest-sweep.ts';
import { getJson, putJson } from '../../../stepfunctions/sweep/object-store.ts';

const root = mkdtempSync(join(tmpdir(), 'inline-map-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BUCKET = LOCAL_RESOURCES.resultsBucket;
type Handlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** The sweep's own Distributed Map state, alone between a start and an end. */
function sweepOnly(tolerated: number): AslDefinition {
  const d = backtestSweepDefinition({ ...LOCAL_RESOURCES, toleratedFailurePercentage: tolerated });
  return {
    ...d,
    StartAt: 'Sweep',
    States: { Sweep: { ...d.States.Sweep!, Next: 'Done' }, Done: { Type: 'Pass', End: true } },
  };
}

/** Runs the rewritten map over `count` items; the backtest fails on the items listed in `failing`. */
async function runMap(name: string, count: number, failing: ReadonlySet<number>, tolerated: number) {
  const store = directoryStore(root);
  const itemsKey = `sweeps/${name}/items.json`;
  await putJson(
    store,
    BUCKET,
    itemsKey,
    Array.from({ length: count }, (_, index) => ({ id: `p${index}`, index })),
  );
  const { definition, handlers } = inlineDistributedMaps(sweepOnly(tolerated), store);
  const calls: number[] = [];
  const thrown: number[] = [];
  const backtest = async (params: unknown) => {
    const { item, run } = (params as { Payload: { item: { index: number }; run: { itemsKey: string } } })
      .Payload;
    expect(run.itemsKey).toBe(itemsKey);
    calls.push(item.index);
    if (failing.has(item.index)) {
      thrown.push(item.index);
      throw new Error(`grid point ${item.index} failed`);
    }
    return { Payload: { id: `p${item.index}` } };
  };
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { checkArn: false, checkPaths: false },
  });
  const input = { input: { strategy: 'x' }, run: { itemsKey } };
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: { ...handlers, Backtest: backtest } as unknown as Handlers },
  });
  return { execution, calls, thrown, input, store };
}

describe('inlineDistributedMaps', () => {
  it('rewrites only the DISTRIBUTED Map, into reader, inline Map and result writer', () => {
    const source = walkForwardDefinition({ ...LOCAL_RESOURCES, maxConcurrency: 500 });
    const { definition, handlers } = inlineDistributedMaps(source, directoryStore(root));
    expect(Object.keys(definition.States)).toEqual([
      'Plan',
      'Extract',
      'Sweep',
      'Sweep__Map',
      'Sweep__ResultWriter',
      'SelectFoldWinners',
      'OutOfSample',
      'Report',
    ]);
    expect(Object.keys(handlers).sort()).toEqual(['Sweep', 'Sweep__ResultWriter']);
    // The states around it, and the inline out-of-sample Map, are the definition's own.
    for (const name of ['Plan', 'Extract', 'SelectFoldWinners', 'OutOfSample', 'Report'])
      expect(definition.States[name]).toBe(source.States[name]);
    expect(definition.States.Sweep).toMatchObject({ Type: 'Task', Next: 'Sweep__Map' });
    expect(definition.States.Sweep__Map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.__items',
      ItemSelector: { 'input.$': '$.__input.input', 'run.$': '$.__input.run', 'item.$': '$$.Map.Item.Value' },
      MaxConcurrency: 40,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
    });
    expect(definition.States.Sweep__ResultWriter).toMatchObject({ Next: 'SelectFoldWinners' });
    expect(JSON.stringify(definition)).not.toContain('DISTRIBUTED');
  });

  it('gives the next state what AWS gives it: the input, the map run and the result files', async () => {
    const { execution, calls, input, store } = await runMap('all-pass', 6, new Set(), 0);
    const output = (await execution.result) as {
      sweep: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    };
    expect(calls.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(output).toEqual({
      ...input,
      sweep: { MapRunArn: expect.any(String), ResultWriterDetails: expect.any(Object) },
    });
    const details = output.sweep.ResultWriterDetails;
    expect(details.Bucket).toBe(BUCKET);
    expect(details.Key.startsWith(`${MAP_RESULTS_PREFIX}/`)).toBe(true);
    const manifest = (await getJson(store, BUCKET, details.Key)) as {
      ResultFiles: { SUCCEEDED: { Key: string }[] };
    };
    const succeeded = (await getJson(store, BUCKET, manifest.ResultFiles.SUCCEEDED[0]!.Key)) as unknown[];
    expect(succeeded).toHaveLength(6);
  });

  it('fails the execution past the tolerated failure percentage', async () => {
    // 1 of 10 failed is 10 %: above 5 % tolerated.
    const { execution, thrown } = await runMap('too-many', 10, new Set([3]), 5);
    await expect(execution.result).rejects.toThrow(/1 of 10 items failed; 5 % tolerated/);
    expect(thrown).toEqual([3]);
  });

  it('passes within the tolerance and files the failed item with its error', async () => {
    const { execution, thrown, store } = await runMap('tolerated', 10, new Set([7]), 10);
    const output = (await execution.result) as { sweep: { ResultWriterDetails: { Key: string } } };
    expect(thrown).toEqual([7]);
    const manifest = (await getJson(store, BUCKET, output.sweep.ResultWriterDetails.Key)) as {
      ResultFiles: { FAILED: { Key: string }[]; SUCCEEDED: { Key: string }[] };
    };
    const failed = (await getJson(store, BUCKET, manifest.ResultFiles.FAILED[0]!.Key)) as Record<
      string,
      string
    >[];
    expect(failed).toEqual([
      expect.objectContaining({
        Name: '7',
        Status: 'FAILED',
        Cause: expect.stringContaining('grid point 7 failed'),
      }),
    ]);
    expect(await getJson(store, BUCKET, manifest.ResultFiles.SUCCEEDED[0]!.Key)).toHaveLength(9);
  });
});
