import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../../stepfunctions/sweep/object-store.ts';
import type { SweepState } from '../../../stepfunctions/sweep/plan-sweep.ts';
import { backtestStep } from '../../../stepfunctions/sweep/step-events.ts';
import { reportPrefix } from '../../../stepfunctions/sweep/sweep-state.ts';
import { tempDir } from '../../bin/commands/harness.ts';
import {
  LAMBDA_CONTEXT,
  plannedSweep,
  SWEEP_BUCKET,
  s3OnDirectory,
} from '../../support/sweep-on-local-s3.ts';

const tmp = tempDir('sweep-report-handler-');
afterAll(() => tmp.cleanup());

let store: ObjectStore;
let state: SweepState;
let handler: (event: unknown, context: typeof LAMBDA_CONTEXT) => Promise<unknown>;

beforeAll(async () => {
  const root = `${tmp.dir}/s3`;
  store = s3OnDirectory(root);
  state = await plannedSweep(root, 'sweep-report-handler');
  // Point 0 ran; point 1 failed within the Map's tolerance and left no metrics.
  await backtestStep({ ...state, item: { id: 'p0', index: 0 } }, store);
  ({ handler } = await import('../../../lambdas/sweep-report/handler.ts'));
}, 60_000);

describe('sweep-report handler', () => {
  it('ranks the points that ran, names the failed one and writes the report under report/', async () => {
    const result = (await handler({ step: 'report', ...state }, LAMBDA_CONTEXT)) as {
      keys: string[];
      failed: string[];
      best: Record<string, unknown>;
      reportPrefix: string;
    };
    expect(result.failed).toEqual(['p1']);
    expect(result.best).toMatchObject({ spread_bps: 2 });
    expect(result.reportPrefix).toBe(reportPrefix(state.run));
    for (const key of result.keys) expect(key.startsWith(reportPrefix(state.run))).toBe(true);
    const written = await store.list(SWEEP_BUCKET, reportPrefix(state.run));
    expect(written).toEqual([...result.keys].sort());
    expect(written.some((k) => k.endsWith('sweep.json'))).toBe(true);
    const sweep = JSON.parse(
      new TextDecoder().decode(await store.get(SWEEP_BUCKET, written.find((k) => k.endsWith('sweep.json'))!)),
    ) as { rows: unknown[] };
    expect(sweep.rows).toHaveLength(1);
  }, 60_000);

  it('refuses an event of no known step', async () => {
    await expect(handler({ step: 'publish', ...state }, LAMBDA_CONTEXT)).rejects.toThrow(
      /report event: step/,
    );
  });
});
