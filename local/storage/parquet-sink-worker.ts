/**
 * Worker-thread side of ThreadedParquetSink (threaded-parquet-sink.ts): a ParquetSink that
 * encodes and writes the batches posted to it, reading their numbers in place from the recorder's
 * shared memory. Messages are defined in sink-thread-messages.ts.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { errorCode, PartialWriteError } from '../../core/recording/partial-write.ts';
import type { RecordingPartition, RowBatch } from '../../core/recording/recording-sink.ts';
import type { RowsView } from '../../core/recording/row-ring.ts';
import { ParquetSink } from './parquet-sink.ts';
import type { SinkThreadReply, SinkThreadRequest, SinkThreadStart } from './sink-thread-messages.ts';

const port = parentPort;
if (!port) throw new Error('parquet-sink-worker.ts runs as a worker thread (see threaded-parquet-sink.ts)');

const start = workerData as SinkThreadStart;
// Recording yields the CPU to the feed: on Linux a thread's nice value is its own (setpriority on
// "this process" from a thread changes only that thread), so this lowers just the writer. Elsewhere
// it would renice the whole process: left alone there.
if (process.platform === 'linux' && start.nice > 0) {
  try {
    setPriority(start.nice);
  } catch {
    // Not permitted here (some sandboxes): the writer runs at normal priority.
  }
}
// No event loop to share here: encode in long slices (the ParquetSink default yields every 2 ms).
const sink = await ParquetSink.open({
  root: start.root,
  compression: start.compression,
  sliceMs: 100,
});
const partitions: RecordingPartition[] = [];
const reply = (message: SinkThreadReply) => port.postMessage(message);

port.on('message', (message: SinkThreadRequest) => {
  switch (message.type) {
    case 'write': {
      for (const [pid, p] of message.partitions) partitions[pid] = p;
      const { id, rows } = message;
      const view: RowsView = {
        data: rows.data,
        width: rows.width,
        count: rows.count,
        index: (i) => (rows.start + i) % rows.capacity,
        textColumns: rows.textColumns,
        textBytes: rows.textBytes,
        textStart: rows.textStart,
        textLength: rows.textLength,
      };
      const batch: RowBatch = {
        table: message.table,
        session: message.session,
        rows: view,
        partitions,
        shard: message.shard,
      };
      sink.write(batch).then(
        (files) => reply({ type: 'written', id, files: [...files], stats: sink.stats() }),
        (error: unknown) =>
          reply({
            type: 'failed',
            id,
            error: error instanceof Error ? error.message : String(error),
            code: errorCode(error),
            files: error instanceof PartialWriteError ? [...error.files] : [],
            writtenSlots: error instanceof PartialWriteError ? error.writtenSlots : new Int32Array(0),
            stats: sink.stats(),
          }),
      );
      return;
    }
    case 'close':
      void sink.close().then((files) => reply({ type: 'closed', files: [...files] }));
      return;
  }
});
