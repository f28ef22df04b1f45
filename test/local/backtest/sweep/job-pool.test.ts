import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeeTable, readFeesJson } from '../../../../config/fees.ts';
import type { Tape } from '../../../../core/backtest/tape/tape.ts';
import { resolveSimConfig } from '../../../../core/sim/sim-config.ts';
import { defaultRegistry } from '../../../../core/strategy/registry.ts';
import { loadTape } from '../../../../local/backtest/load-tape.ts';
import type { Job } from '../../../../local/backtest/sweep/job.ts';
import { type JobRunner, serialRunner, startWorkerPool } from '../../../../local/backtest/sweep/job-pool.ts';
import { fixture } from '../../../support/fixtures.ts';

const registry = defaultRegistry();
const job = (spread: number, tape = 'full'): Job => ({
  kind: 'run',
  tape,
  mode: 'full',
  strategy: 'market-maker',
  params: registry.create('market-maker', { spread_bps: spread }).params,
  sim: resolveSimConfig({}),
  seed: 1,
  scenario: 'test',
});

describe('job pool: worker threads under vitest (TypeScript workers via tsx)', () => {
  let tapes: Map<string, Tape>;
  let pool: JobRunner;
  beforeAll(async () => {
    tapes = new Map([
      ['full', (await loadTape(fixture('binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz'))).tape],
    ]);
    pool = await startWorkerPool(tapes, readFeesJson(), 2);
  }, 30_000);
  afterAll(() => pool.close());

  it('returns results in job order, equal to the serial runner', async () => {
    const jobs = [1, 2, 4, 8, 16].map((s) => job(s));
    const done: number[] = [];
    const parallel = await pool.run(jobs, (d) => done.push(d));
    const serial = await serialRunner(tapes, loadFeeTable()).run(jobs);
    expect(parallel).toEqual(serial);
    expect(done).toEqual([1, 2, 3, 4, 5]);
    expect(pool.workers).toBe(2);
    const fills = parallel.map((o) => (o.kind === 'run' ? o.metrics.numFills : -1));
    expect(new Set(fills).size).toBeGreaterThan(1); // the jobs really differ
  });

  it('a failing job rejects the batch with its message; the pool stays usable', async () => {
    await expect(pool.run([job(1), job(2, 'missing')])).rejects.toThrow(
      'sweep run 2 failed: sweep: no tape "missing"',
    );
    const again = await pool.run([job(1)]);
    expect(again).toHaveLength(1);
  });
});
