/** What ThreadedParquetSink and its worker threads (parquet-sink-worker.ts) say to each other. */
import type { RecordingPartition } from '../../core/recording/recording-sink.ts';
import type { RecordingTable } from '../../core/recording/recording-tables.ts';
import type { ParquetCompression, ParquetSinkStats } from './parquet-sink.ts';

/** workerData of a sink thread. */
export interface SinkThreadStart {
  readonly root: string;
  readonly compression: ParquetCompression;
  /** Nice value for the writer thread on Linux (0 = as the process). */
  readonly nice: number;
}

export type SinkThreadRequest =
  | {
      readonly type: 'write';
      readonly id: number;
      readonly table: RecordingTable;
      readonly session: number;
      /** The ring's numbers, in shared memory: row i is at slot (start + i) % capacity. */
      readonly rows: {
        readonly data: Float64Array;
        readonly width: number;
        readonly start: number;
        readonly count: number;
        readonly capacity: number;
        /** Texts as UTF-8 (core/recording/text-arena.ts), shared too. */
        readonly textColumns: number;
        readonly textBytes: Uint8Array;
        readonly textStart: Int32Array;
        readonly textLength: Int32Array;
      };
      /** Write only partitions with pid % count === index. */
      readonly shard: { readonly index: number; readonly owner: Uint8Array };
      /** Partitions this thread has not seen (or whose venue spelling arrived since). */
      readonly partitions: Array<[number, RecordingPartition]>;
    }
  | { readonly type: 'close' };

export type SinkThreadReply =
  | {
      readonly type: 'written';
      readonly id: number;
      readonly files: string[];
      readonly stats: ParquetSinkStats;
    }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly error: string;
      /** The file system's error code, when there is one (ENOSPC, EROFS…). */
      readonly code: string | undefined;
      /** What was stored before the failure (PartialWriteError). */
      readonly files: string[];
      readonly writtenSlots: Int32Array;
      readonly stats: ParquetSinkStats;
    }
  /** Closed: the files its open hours became. */
  | { readonly type: 'closed'; readonly files: string[] };
