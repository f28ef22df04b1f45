import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromExactJson } from '../../../stepfunctions/sweep/exact-json.ts';
import type { ObjectStore } from '../../../stepfunctions/sweep/object-store.ts';
import type { SweepState } from '../../../stepfunctions/sweep/plan-sweep.ts';
import { metricsKey } from '../../../stepfunctions/sweep/sweep-state.ts';
import { tempDir } from '../../bin/commands/harness.ts';
import {
  LAMBDA_CONTEXT,
  plannedSweep,
  SWEEP_BUCKET,
  s3OnDirectory,
} from '../../support/sweep-on-local-s3.ts';

const tmp = tempDir('backtest-handler-');
afterAll(() => tmp.cleanup());

let store: ObjectStore;
let state: SweepState;
let handler: (event: unknown, context: typeof LAMBDA_CONTEXT) => Promise<unknown>;

beforeAll(async () => {
  const root = `${tmp.dir}/s3`;
  store = s3OnDirectory(root);
  state = await plannedSweep(root, 'backtest-handler');
  ({ handler } = await import('../../../lambdas/backtest/handler.ts'));
}, 60_000);

describe('backtest handler', () => {
  it("runs a Map item on the execution's extract and writes its metrics", async () => {
    const result = await handler({ ...state, item: { id: 'p1', index: 1 } }, LAMBDA_CONTEXT);
    const key = metricsKey(state.run, 'p1');
    expect(result).toEqual({ id: 'p1', metricsKey: key });
    const metrics = fromExactJson(new TextDecoder().decode(await store.get(SWEEP_BUCKET, key))) as Record<
      string,
      unknown
    >;
    expect(metrics).toHaveProperty('pnl');
  }, 60_000);

  it('fails the item, writing nothing, for a grid point the sweep does not have', async () => {
    await expect(handler({ ...state, item: { id: 'p9', index: 9 } }, LAMBDA_CONTEXT)).rejects.toThrow(
      /item p9: no grid point 9/,
    );
    expect(await store.tryGet(SWEEP_BUCKET, metricsKey(state.run, 'p9'))).toBeUndefined();
    await expect(handler({ ...state, item: { id: 'a b', index: 0 } }, LAMBDA_CONTEXT)).rejects.toThrow(
      /backtest event: item\.id/,
    );
  });
});
