/** Messages between the sweep pool (job-pool.ts) and its workers (sweep-worker.ts). */
import type { SharedTape } from '../shared-tape.ts';
import type { Job, JobOutput } from './job.ts';

/** workerData of a sweep worker: the tapes (shared memory) and the fee document. */
export interface WorkerInit {
  readonly tapes: ReadonlyArray<readonly [string, SharedTape]>;
  readonly fees: unknown;
}

export type ToWorker = { readonly type: 'job'; readonly id: number; readonly job: Job };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly output: JobOutput }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
