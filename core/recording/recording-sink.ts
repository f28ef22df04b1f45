/**
 * The port between the recorder (which buffers rows) and storage (which persists them): local
 * Parquet (local/storage/parquet-sink.ts; threaded-parquet-sink.ts runs it on worker threads), S3 in the cloud.
 */

import type { RecordingTable } from './recording-tables.ts';
import type { RowsView } from './row-ring.ts';

/** What a partition id in a row's `pid` slot stands for. */
export interface RecordingPartition {
  readonly exchange: string;
  /** Path-safe symbol (see pathSafeSymbol); ALL for raw frames. */
  readonly symbol: string;
  /** The venue's spelling ('' where the rows span symbols). */
  readonly venueSymbol: string;
}

export interface RowBatch {
  readonly table: RecordingTable;
  /** The recorder session (its start time, µs): stored with every row. */
  readonly session: number;
  /** The rows, oldest first: row i is at slot rows.index(i). Read-only for the sink, valid until its write settles. */
  readonly rows: RowsView;
  /** Partition of each `pid` (append-only; every pid in the batch is present). */
  readonly partitions: readonly RecordingPartition[];
  /**
   * Write only the rows of partitions with owner[pid] === index (several writers sharing one batch,
   * each partition always with the same writer); absent: every row.
   */
  readonly shard?: { readonly index: number; readonly owner: Uint8Array };
}

export interface RecordingSink {
  /**
   * True when the sink reads batches from another thread: the recorder then keeps its row numbers
   * in shared memory (row-ring.ts), so handing a batch over copies no numbers.
   */
  readonly sharedRows?: boolean;
  /**
   * Persist one batch; resolves with the files written once they are complete and visible. Rejects
   * with a PartialWriteError (partial-write.ts) when only some rows were stored; any other rejection
   * means none was.
   */
  write(batch: RowBatch): Promise<readonly string[]>;
  /**
   * Store what is still open and stop. A sink that keeps files open across writes (hourly files)
   * resolves with the files it placed while closing, so they are counted like those of write().
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: sinks that place nothing at close keep their Promise<void>
  close(): Promise<void | readonly string[]>;
}
