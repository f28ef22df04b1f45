/**
 * The recorder's local sink: one Parquet file per (table, exchange, symbol, UTC hour),
 * `<root>/<kind>/exchange=/symbol=/date=/hour=/part-<seq>.parquet` (core/recording/partition-path.ts),
 * with one row group per batch that touched it — files grow with symbols × hours, not with flushes.
 *
 * While its hour is open a file lives in the sink's staging folder (`<root>/.staging/<pid>-…/`,
 * staging.ts): each batch's row group is appended to `<k>.staged` and recorded in `<k>.sidecar`
 * (staged-parquet-file.ts) — a write resolves once its rows are committed there. The hour closes
 * when a batch of the table holds a row of a later hour (receive time), or at close(): the footer
 * is appended and the file linked into its partition under the next free part number (a restart
 * within the hour adds part-000001, … beside the earlier session's file, never over it). Readers
 * never see a half-written file; after kill -9 the next start finishes the staged files from their
 * sidecars (cleanStaleStaging, which ThreadedParquetSink.open runs).
 *
 * How rows become Parquet — measured on the 2-core dev machine (bench/ingest/recorder-bench.ts):
 * - chosen: our own writer (core/storage/parquet/, through core/storage/recording-row-groups.ts)
 *   straight from the recorder's row buffers. Integers are DELTA_BINARY_PACKED from the Float64Array
 *   columns; strings are written as UTF-8, PLAIN ones snappy-compressed. On the event loop the sink
 *   yields between row groups once a slice has used `sliceMs` (default 2 ms), so the feed keeps running.
 * - rejected: DuckDB `COPY (SELECT … FROM <JS table function>) TO … (FORMAT parquet)` — the earlier
 *   sink. Even with INT64 columns and vectors filled by bulk memcpy, DuckDB's Parquet writer managed
 *   ~20 M values/s on the one core the feed leaves it (~250 k top-20 book rows/s), and every string
 *   crossed into DuckDB by one native call (~1 µs for a 300-byte frame).
 * - rejected: one file per (partition, hour) per batch — thousands of small files a flush at
 *   thousands of symbols, ~0.3–0.5 ms of CPU to create each on this machine's file system.
 *
 * Files are written with synchronous calls (sink-file-system.ts): an append to an open file is a
 * copy into the page cache; creating (once per file and hour) and placing files are the slow calls.
 * At most `maxOpenFiles` staged files keep descriptors open; the least recently written give theirs
 * up beyond that and reopen on their next append.
 *
 * Failures are reported as they are on disk: a row group is stored once its sidecar record is
 * written; when an append fails (a full disk) the staged pair is cut back to what was committed and
 * the batch rejects with a PartialWriteError naming the rows that are stored, so the recorder retries
 * exactly the others. A file that cannot be placed when its hour closes stays staged, committed, and
 * is tried again at the next write and at close(); if that fails too, the next start recovers it.
 */
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { errorCode, PartialWriteError } from '../../core/recording/partial-write.ts';
import { partitionDir, utcDateHour } from '../../core/recording/partition-path.ts';
import type { RecordingSink, RowBatch } from '../../core/recording/recording-sink.ts';
import type { RecordingKind } from '../../core/recording/recording-tables.ts';
import { PARQUET_MAGIC, type ParquetCodec } from '../../core/storage/parquet/parquet-writer.ts';
import {
  groupRows,
  HOUR_MICROS,
  RecordingRowGroupEncoder,
  type RowGroupRows,
  recordingFileMetadata,
} from '../../core/storage/recording-row-groups.ts';
import { nodeFileSystem, type SinkFileSystem } from './sink-file-system.ts';
import { StagedParquetFile } from './staged-parquet-file.ts';
import { STAGING_DIR, stagingFolderName } from './staging.ts';

/** Compression of PLAIN string pages (core/storage/parquet/parquet-writer.ts). */
export type ParquetCompression = ParquetCodec;

export interface ParquetSinkOptions {
  /** Recording root folder (created when missing). */
  root: string;
  /** snappy (default) or uncompressed. */
  compression?: ParquetCompression;
  /** Longest stretch of encoding on the event loop before yielding to it (ms, default 2). */
  sliceMs?: number;
  /**
   * Flush every append to the device before it counts as stored, and every finished file before it
   * is placed (default false: stored data survives the process being killed, not a power loss).
   */
  fsync?: boolean;
  /** Staged files holding open descriptors (two each) at most (default 1024). */
  maxOpenFiles?: number;
  /** The file system (default node:fs; tests inject faults here). */
  fs?: SinkFileSystem;
}

export interface ParquetSinkStats {
  batches: number;
  rows: number;
  /** Row groups appended (one per batch and file). */
  rowGroups: number;
  /** Files placed into the recording (hours closed). */
  files: number;
  /** Files open in staging now. */
  openFiles: number;
  /** Time spent encoding and appending on the JS thread (ms, total). */
  fillMs: number;
  /** The longest single slice of that: the longest the sink held up the event loop (ms). */
  longestFillMs: number;
}

let stagingCounter = 0;

interface OpenFile {
  readonly kind: RecordingKind;
  readonly file: StagedParquetFile;
}

export class ParquetSink implements RecordingSink {
  readonly root: string;
  private readonly encoder: RecordingRowGroupEncoder;
  private readonly sliceMs: number;
  private readonly fsync: boolean;
  private readonly maxOpenFiles: number;
  private readonly fs: SinkFileSystem;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stagingRoot: string;
  /** The open hourly files by partition folder (relative); the files holding descriptors, least recently written first. */
  private readonly open = new Map<string, OpenFile>();
  private readonly withDescriptors = new Map<string, StagedParquetFile>();
  private stagingMade = false;
  private nextFile = 0;
  private closed = false;
  private sliceStart = 0;
  private readonly counters = { batches: 0, rows: 0, rowGroups: 0, files: 0, fillMs: 0, longestFillMs: 0 };

  private constructor(options: ParquetSinkOptions) {
    this.root = options.root;
    this.fs = options.fs ?? nodeFileSystem;
    this.encoder = new RecordingRowGroupEncoder(options.compression ?? 'snappy');
    this.sliceMs = options.sliceMs ?? 2;
    this.fsync = options.fsync ?? false;
    this.maxOpenFiles = Math.max(1, options.maxOpenFiles ?? 1024);
    this.stagingRoot = join(
      this.root,
      STAGING_DIR,
      stagingFolderName(process.pid, threadId, Date.now(), stagingCounter++),
    );
  }

  static async open(options: ParquetSinkOptions): Promise<ParquetSink> {
    (options.fs ?? nodeFileSystem).mkdirSync(options.root, { recursive: true });
    return new ParquetSink(options);
  }

  /** Writes run one at a time, in call order. Resolves with the files placed meanwhile (hours closed). */
  write(batch: RowBatch): Promise<readonly string[]> {
    if (this.closed) return Promise.reject(new Error('ParquetSink is closed'));
    const result = this.queue.then(() => this.writeNow(batch));
    this.queue = result.catch(() => undefined);
    return result;
  }

  stats(): ParquetSinkStats {
    return { ...this.counters, openFiles: this.open.size };
  }

  /**
   * Finish and place every open file, then remove the staging folder; resolves with the files placed.
   * A file that cannot be placed stays staged (with its folder), for the next start to recover.
   */
  async close(): Promise<readonly string[]> {
    if (this.closed) return [];
    this.closed = true;
    await this.queue;
    const placed: string[] = [];
    const kept = this.finishHours(undefined, Number.POSITIVE_INFINITY, placed);
    if (kept === 0 && this.stagingMade) {
      try {
        this.fs.rmSync(this.stagingRoot, { recursive: true, force: true });
      } catch {
        // Not removable now (read-only root): the next start removes it.
      }
    }
    return placed;
  }

  private async writeNow(batch: RowBatch): Promise<string[]> {
    const rows = batch.rows;
    if (rows.count === 0) return [];
    const placed: string[] = [];
    const stored: Int32Array[] = [];
    let groups: RowGroupRows[] = [];
    let latestHour = Number.NEGATIVE_INFINITY;
    let failure: { error: unknown } | undefined;
    this.startSlice();
    try {
      ({ groups, latestHour } = groupRows(rows, batch.shard));
      for (const group of groups) {
        this.append(batch, group);
        stored.push(group.slots);
        await this.maybeYield();
      }
    } catch (error) {
      failure = { error };
    }
    // Hours this table has left behind close, placing their files (also after a failed append).
    this.finishHours(batch.table.kind, latestHour, placed);
    this.endSlice();
    let storedRows = 0;
    for (const slots of stored) storedRows += slots.length;
    this.counters.rows += storedRows;
    this.counters.rowGroups += stored.length;
    this.counters.files += placed.length;
    if (!failure) {
      this.counters.batches++;
      return placed;
    }
    const error = failure.error;
    const writtenSlots = new Int32Array(storedRows);
    let at = 0;
    for (const slots of stored) {
      writtenSlots.set(slots, at);
      at += slots.length;
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new PartialWriteError(
      `${why} (${stored.length} of ${groups.length} row groups stored)`,
      errorCode(error),
      placed,
      writtenSlots,
    );
  }

  /** Append one group's rows to its hourly file (opened on its first rows). */
  private append(batch: RowBatch, group: RowGroupRows): void {
    const partition = batch.partitions[group.pid];
    if (!partition) throw new Error(`rows for unknown partition ${group.pid}`);
    const kind = batch.table.kind;
    const { date, hour } = utcDateHour(group.hour * HOUR_MICROS);
    const dir = partitionDir(kind, partition.exchange, partition.symbol, date, hour);
    let open = this.open.get(dir);
    const g = this.encoder.encode(batch, group, open ? open.file.committedLength : PARQUET_MAGIC.length);
    if (!open) {
      if (!this.stagingMade) {
        this.fs.mkdirSync(this.stagingRoot, { recursive: true });
        this.stagingMade = true;
      }
      const file = StagedParquetFile.create(
        this.fs,
        join(this.stagingRoot, String(this.nextFile++)),
        { dir, hour: group.hour, columns: g.columns, metadata: recordingFileMetadata(batch) },
        this.fsync,
      );
      open = { kind, file };
      this.open.set(dir, open);
    }
    this.holdDescriptors(dir, open.file);
    open.file.append(g);
  }

  /** `file` is about to be written: it holds descriptors, the least recently written beyond the limit give theirs up. */
  private holdDescriptors(dir: string, file: StagedParquetFile): void {
    const held = this.withDescriptors;
    held.delete(dir);
    held.set(dir, file);
    while (held.size > this.maxOpenFiles) {
      const [oldest, f] = held.entries().next().value as [string, StagedParquetFile];
      held.delete(oldest);
      f.suspend();
    }
  }

  /**
   * Finish and place the open files of `kind` (every kind when undefined) whose hour is before
   * `beforeHour`; returns how many of those could not be placed (kept open, staged).
   */
  private finishHours(kind: RecordingKind | undefined, beforeHour: number, placed: string[]): number {
    let kept = 0;
    for (const [dir, open] of this.open) {
      if ((kind !== undefined && open.kind !== kind) || open.file.header.hour >= beforeHour) continue;
      try {
        const path = open.file.finish(this.root);
        this.open.delete(dir);
        this.withDescriptors.delete(dir);
        if (path !== undefined) placed.push(path);
      } catch {
        this.withDescriptors.delete(dir); // finish() closed or will reopen its descriptors
        kept++;
      }
    }
    if (kind === undefined) this.counters.files += placed.length;
    return kept;
  }

  private startSlice(): void {
    this.sliceStart = performance.now();
  }

  private endSlice(): void {
    const ms = performance.now() - this.sliceStart;
    this.counters.fillMs += ms;
    if (ms > this.counters.longestFillMs) this.counters.longestFillMs = ms;
  }

  /** Let the event loop run when this slice has used its budget. */
  private async maybeYield(): Promise<void> {
    if (performance.now() - this.sliceStart < this.sliceMs) return;
    this.endSlice();
    await yieldToLoop();
    this.startSlice();
  }
}
