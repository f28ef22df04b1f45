/**
 * The port between the recorder (which buffers rows) and storage (which persists them): local
 * Parquet through DuckDB (local/storage/parquet-sink.ts), S3 in the cloud.
 */

import type { RecordingTable } from './recording-tables.ts';
import type { RowRing } from './row-ring.ts';

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
  readonly rows: RowRing;
  /** Partition of each `pid` (append-only; every pid in the batch is present). */
  readonly partitions: readonly RecordingPartition[];
}

export interface RecordingSink {
  /** Persist one batch; resolves with the files written once they are complete and visible. */
  write(batch: RowBatch): Promise<readonly string[]>;
  close(): Promise<void>;
}
