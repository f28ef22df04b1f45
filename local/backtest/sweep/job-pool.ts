/**
 * Runs sweep jobs: in worker threads (one job per worker at a time, the next as soon as one is free)
 * or serially in this thread (`workers: 0`). Results come back in JOB order whatever order they
 * finish in, so rankings, tables and files do not depend on scheduling.
 */
import type { Worker } from 'node:worker_threads';
import type { FeeTable } from '../../../core/sim/fees/fee-table.ts';
import { startTsWorker } from '../../threads/ts-worker.ts';
import { shareTape } from '../shared-tape.ts';
import { executeJob, type Job, type JobOutput, type TapeSet } from './job.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

export interface JobRunner {
  /** Worker threads; 0 = serial in this thread. */
  readonly workers: number;
  run(jobs: readonly Job[], onDone?: (done: number, total: number) => void): Promise<JobOutput[]>;
  close(): Promise<void>;
}

export function serialRunner(tapes: TapeSet, fees: FeeTable): JobRunner {
  return {
    workers: 0,
    async run(jobs, onDone) {
      const out: JobOutput[] = [];
      for (const job of jobs) {
        out.push(executeJob(job, tapes, fees));
        onDone?.(out.length, jobs.length);
      }
      return out;
    },
    async close() {},
  };
}

const WORKER_URL = new URL('./sweep-worker.ts', import.meta.url);

/** Start `size` workers sharing `tapes` (copied once into shared memory); resolves when all are ready. */
export async function startWorkerPool(tapes: TapeSet, feesJson: unknown, size: number): Promise<JobRunner> {
  const init: WorkerInit = {
    tapes: [...tapes].map(([key, tape]) => [key, shareTape(tape)] as const),
    fees: feesJson,
  };
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < size; i++) workers.push(startTsWorker(WORKER_URL, { workerData: init }));
    await Promise.all(workers.map(ready));
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
  return new WorkerPool(workers);
}

function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromWorker) => {
      if (m.type !== 'ready') return;
      cleanup();
      resolve();
    };
    const onError = (e: Error) => {
      cleanup();
      reject(new Error(`sweep worker failed to start: ${e.message}`));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`sweep worker exited during start (code ${code})`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

class WorkerPool implements JobRunner {
  private busy = false;

  constructor(private readonly pool: Worker[]) {}

  get workers(): number {
    return this.pool.length;
  }

  run(jobs: readonly Job[], onDone?: (done: number, total: number) => void): Promise<JobOutput[]> {
    if (this.busy) return Promise.reject(new Error('sweep pool: one batch at a time'));
    if (jobs.length === 0) return Promise.resolve([]);
    this.busy = true;
    return new Promise<JobOutput[]>((resolve, reject) => {
      const out = new Array<JobOutput | undefined>(jobs.length);
      let next = 0;
      let done = 0;
      let settled = false;
      const listeners: Array<() => void> = [];
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        this.busy = false;
        for (const off of listeners) off();
        if (error) reject(error);
        else resolve(out as JobOutput[]);
      };
      const dispatch = (worker: Worker) => {
        if (next >= jobs.length) return;
        const id = next++;
        worker.postMessage({ type: 'job', id, job: jobs[id]! } satisfies ToWorker);
      };
      for (const worker of this.pool) {
        const onMessage = (m: FromWorker) => {
          if (settled) return;
          if (m.type === 'failed') finish(new Error(`sweep run ${m.id + 1} failed: ${m.message}`));
          else if (m.type === 'done') {
            out[m.id] = m.output;
            done++;
            onDone?.(done, jobs.length);
            if (done === jobs.length) finish();
            else dispatch(worker);
          }
        };
        const onError = (e: Error) => finish(new Error(`sweep worker crashed: ${e.message}`));
        const onExit = (code: number) => finish(new Error(`sweep worker exited (code ${code})`));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        listeners.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        });
      }
      for (const worker of this.pool) dispatch(worker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.pool.map((w) => w.terminate()));
  }
}
