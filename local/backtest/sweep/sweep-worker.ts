/**
 * A sweep worker thread: maps the shared tapes once, then runs jobs one at a time as the pool sends
 * them (job.ts `executeJob`, the same code the serial mode runs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFeeTable } from '../../../config/fees.ts';
import type { Tape } from '../../../core/backtest/tape/tape.ts';
import { tapeFromShared } from '../shared-tape.ts';
import { executeJob } from './job.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('sweep-worker.ts runs as a worker thread');

const init = workerData as WorkerInit;
const tapes = new Map<string, Tape>(init.tapes.map(([key, shared]) => [key, tapeFromShared(shared)]));
const fees = loadFeeTable(init.fees);

const send = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type !== 'job') return;
  try {
    send({ type: 'done', id: message.id, output: executeJob(message.job, tapes, fees) });
  } catch (error) {
    send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});

send({ type: 'ready' });
