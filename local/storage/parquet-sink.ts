/**
 * The recorder's local sink: each batch becomes Parquet files under
 * `<root>/<kind>/exchange=/symbol=/date=/hour=/part-<seq>.parquet` (core/recording/partition-path.ts),
 * one file per (partition, hour) the batch touches.
 *
 * How rows become Parquet — measured on the 2-core dev machine (bench/ingest/recorder-bench.ts):
 * - chosen: our own writer (core/storage/parquet/, through core/storage/recording-row-groups.ts)
 *   straight from the recorder's row buffers. Integers are DELTA_BINARY_PACKED from the Float64Array
 *   columns; strings are written as UTF-8, PLAIN ones snappy-compressed. On the event loop the sink
 *   yields between files once a slice has used `sliceMs` (default 2 ms), so the feed keeps running.
 * - rejected: DuckDB `COPY (SELECT … FROM <JS table function>) TO … (FORMAT parquet)` — the earlier
 *   sink. Even with INT64 columns and vectors filled by bulk memcpy, DuckDB's Parquet writer managed
 *   ~20 M values/s on the one core the feed leaves it (~250 k top-20 book rows/s), and every string
 *   crossed into DuckDB by one native call (~1 µs for a 300-byte frame). Before that, DECIMAL(38,18)
 *   prices and per-item setters: ~55 k book rows/s.
 *
 * Files appear atomically: written in a private `<root>/.staging/` folder, then hard-linked into
 * their partition under the next free part number (a link never overwrites, so two writers cannot
 * clobber each other) — readers never see a half-written file, and a crash leaves at most a stale
 * `.staging/` folder (removed at the next start: staging.ts).
 *
 * Failures are reported as they are on disk: a file whose link (or rename) succeeded is written even
 * if removing its staged copy then fails; a file that could not be placed has its staged copy
 * removed (a full disk leaves no partial files behind); a batch placed only in part rejects with a
 * PartialWriteError naming the rows that are stored, so the recorder retries exactly the others.
 */
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { errorCode, PartialWriteError } from '../../core/recording/partial-write.ts';
import { partFileName, partitionDir, partSeq, utcDateHour } from '../../core/recording/partition-path.ts';
import type { RecordingSink, RowBatch } from '../../core/recording/recording-sink.ts';
import {
  PARQUET_MAGIC,
  type ParquetCodec,
  parquetFooter,
} from '../../core/storage/parquet/parquet-writer.ts';
import {
  groupRows,
  HOUR_MICROS,
  RecordingRowGroupEncoder,
  type RowGroupRows,
  recordingFileMetadata,
} from '../../core/storage/recording-row-groups.ts';
import { nodeFileSystem, type SinkFileSystem } from './sink-file-system.ts';
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
   * Compress and write files with synchronous calls, on the calling thread: for a sink on its own
   * worker thread (parquet-sink-worker.ts), so its work runs at that thread's low priority instead
   * of on libuv's pool, which the feed's thread shares; it also saves a copy of each file.
   */
  syncIo?: boolean;
  /** The file system (default node:fs; tests inject faults here). */
  fs?: SinkFileSystem;
}

export interface ParquetSinkStats {
  batches: number;
  rows: number;
  files: number;
  /** Time spent encoding on the JS thread (ms, total). */
  fillMs: number;
  /** The longest single slice of encoding: the longest the sink held up the event loop (ms). */
  longestFillMs: number;
}

let stagingCounter = 0;

export class ParquetSink implements RecordingSink {
  readonly root: string;
  private readonly encoder: RecordingRowGroupEncoder;
  private readonly sliceMs: number;
  private readonly syncIo: boolean;
  private readonly fs: SinkFileSystem;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly nextSeq = new Map<string, number>();
  private readonly stagingRoot: string;
  private closed = false;
  private sliceStart = 0;
  private readonly counters: ParquetSinkStats = {
    batches: 0,
    rows: 0,
    files: 0,
    fillMs: 0,
    longestFillMs: 0,
  };

  private constructor(options: ParquetSinkOptions) {
    this.root = options.root;
    this.syncIo = options.syncIo ?? false;
    this.fs = options.fs ?? nodeFileSystem;
    this.encoder = new RecordingRowGroupEncoder(options.compression ?? 'snappy');
    this.sliceMs = options.sliceMs ?? 2;
    this.stagingRoot = join(
      this.root,
      STAGING_DIR,
      stagingFolderName(process.pid, threadId, Date.now(), stagingCounter++),
    );
  }

  static async open(options: ParquetSinkOptions): Promise<ParquetSink> {
    await (options.fs ?? nodeFileSystem).mkdir(options.root, { recursive: true });
    return new ParquetSink(options);
  }

  /** Writes run one at a time, in call order. */
  write(batch: RowBatch): Promise<readonly string[]> {
    if (this.closed) return Promise.reject(new Error('ParquetSink is closed'));
    const result = this.queue.then(() => this.writeNow(batch));
    this.queue = result.catch(() => undefined);
    return result;
  }

  stats(): ParquetSinkStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    // Not removable now (read-only root): the next start removes it.
    await this.fs.rm(this.stagingRoot, { recursive: true, force: true }).catch(() => undefined);
  }

  private async writeNow(batch: RowBatch): Promise<string[]> {
    const rows = batch.rows;
    if (rows.count === 0) return [];
    const placed: string[] = [];
    const stored: Int32Array[] = [];
    const publishing: Promise<void>[] = [];
    let groups: RowGroupRows[] = [];
    let failure: { error: unknown } | undefined;
    try {
      await this.fs.mkdir(this.stagingRoot, { recursive: true });
      this.startSlice();
      groups = groupRows(rows, batch.shard).groups;
      for (const group of groups) {
        if (failure) break; // a file failed meanwhile (disk full): the rest would too
        const partition = batch.partitions[group.pid];
        if (!partition) throw new Error(`rows for unknown partition ${group.pid}`);
        const bytes = this.oneRowGroupFile(batch, group);
        const { date, hour } = utcDateHour(group.hour * HOUR_MICROS);
        const dir = join(
          this.root,
          partitionDir(batch.table.kind, partition.exchange, partition.symbol, date, hour),
        );
        if (this.syncIo) {
          placed.push(this.publishSync(bytes, dir));
          stored.push(group.slots);
        } else {
          publishing.push(
            this.publish(bytes, dir).then(
              (file) => {
                placed.push(file);
                stored.push(group.slots);
              },
              (error: unknown) => {
                failure ??= { error };
              },
            ),
          );
        }
        await this.maybeYield();
      }
    } catch (error) {
      failure ??= { error };
    }
    this.endSlice();
    await Promise.all(publishing); // never rejects: each records its outcome
    let storedRows = 0;
    for (const slots of stored) storedRows += slots.length;
    this.counters.rows += storedRows;
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
      `${why} (${placed.length} of ${groups.length} files placed)`,
      errorCode(error),
      placed,
      writtenSlots,
    );
  }

  /** A file of one row group: the group's rows. */
  private oneRowGroupFile(batch: RowBatch, group: RowGroupRows): Uint8Array {
    const g = this.encoder.encode(batch, group, PARQUET_MAGIC.length);
    const footer = parquetFooter(g.columns, [g.footerEntry], g.rows, recordingFileMetadata(batch));
    const file = new Uint8Array(PARQUET_MAGIC.length + g.bytes.length + footer.length);
    file.set(PARQUET_MAGIC, 0);
    file.set(g.bytes, PARQUET_MAGIC.length);
    file.set(footer, PARQUET_MAGIC.length + g.bytes.length);
    return file;
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

  /**
   * Write a file to staging, then link it into `dir` under the next free part number. Resolves once
   * the file is in place; when it is not, its staged copy (possibly partial) is removed.
   */
  private async publish(bytes: Uint8Array, dir: string): Promise<string> {
    const staged = join(this.stagingRoot, `${stagingCounter++}.parquet`);
    try {
      await this.fs.writeFile(staged, bytes);
      if (!this.nextSeq.has(dir)) {
        // First file into this folder from this sink: create it, continue after its last part.
        await this.fs.mkdir(dir, { recursive: true });
        if (!this.nextSeq.has(dir)) this.nextSeq.set(dir, firstFreeSeq(await this.fs.readdir(dir)));
      }
      return await this.place(staged, dir);
    } catch (error) {
      await this.fs.unlink(staged).catch(() => undefined);
      throw error;
    }
  }

  /** publish(), with synchronous calls (syncIo). */
  private publishSync(bytes: Uint8Array, dir: string): string {
    const fs = this.fs;
    const staged = join(this.stagingRoot, `${stagingCounter++}.parquet`); // made by writeNow
    try {
      fs.writeFileSync(staged, bytes);
      let seq = this.nextSeq.get(dir);
      if (seq === undefined) {
        fs.mkdirSync(dir, { recursive: true });
        seq = firstFreeSeq(fs.readdirSync(dir));
      }
      for (;;) {
        this.nextSeq.set(dir, seq + 1);
        const target = join(dir, partFileName(seq++));
        try {
          fs.linkSync(staged, target);
        } catch (error) {
          if (this.afterLinkFailure(error, target) === 'next-number') continue;
          fs.renameSync(staged, target);
          return target;
        }
        // In place: a staged copy that will not go is only clutter (removed at close or next start).
        try {
          fs.unlinkSync(staged);
        } catch {}
        return target;
      }
    } catch (error) {
      try {
        fs.unlinkSync(staged);
      } catch {}
      throw error;
    }
  }

  private async place(file: string, dir: string): Promise<string> {
    let seq = this.nextSeq.get(dir) ?? 0;
    for (;;) {
      // Claim the number before the await: files of one batch for one folder never race.
      this.nextSeq.set(dir, seq + 1);
      const target = join(dir, partFileName(seq++));
      try {
        await this.fs.link(file, target);
      } catch (error) {
        if (this.afterLinkFailure(error, target) === 'next-number') continue;
        await this.fs.rename(file, target);
        return target;
      }
      // In place: a staged copy that will not go is only clutter (removed at close or next start).
      await this.fs.unlink(file).catch(() => undefined);
      return target;
    }
  }

  /**
   * A part file could not be linked into place: 'next-number' when another writer took the number,
   * 'rename' when this file system has no hard links (some container file systems; a rename is
   * atomic too, and the target is free); anything else is thrown.
   */
  private afterLinkFailure(error: unknown, target: string): 'next-number' | 'rename' {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'next-number';
    if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') && !this.fs.existsSync(target))
      return 'rename';
    throw error;
  }
}

/** The part number after the highest in a folder listing. */
function firstFreeSeq(names: readonly string[]): number {
  let next = 0;
  for (const name of names) {
    const seq = partSeq(name);
    if (seq !== undefined && seq >= next) next = seq + 1;
  }
  return next;
}
