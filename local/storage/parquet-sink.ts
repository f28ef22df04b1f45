/**
 * The recorder's local sink: each batch becomes Parquet files under
 * `<root>/<kind>/exchange=/symbol=/date=/hour=/part-<seq>.parquet` (core/recording/partition-path.ts),
 * one file per (partition, hour) the batch touches.
 *
 * How rows become Parquet — measured on the 2-core dev machine (bench/ingest/recorder-bench.ts):
 * - chosen: our own writer (./parquet/parquet-writer.ts) straight from the recorder's row buffers.
 *   Integers are DELTA_BINARY_PACKED from the Float64Array columns; strings are written as UTF-8 and
 *   gzip-compressed on libuv's thread pool. The encoding runs on the event loop in slices of at most
 *   `sliceMs` (default 2 ms), yielding between columns, so the feed keeps running.
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
import type { StoredColumn } from '../../core/recording/recording-tables.ts';
import { LOCAL_TS_SLOT, PID_SLOT } from '../../core/recording/recording-tables.ts';
import type { RowsView } from '../../core/recording/row-ring.ts';
import type { TextBytes } from './parquet/encodings.ts';
import { type ColumnInput, ParquetFileBuilder, type TextCodec } from './parquet/parquet-writer.ts';
import { nodeFileSystem, type SinkFileSystem } from './sink-file-system.ts';
import { STAGING_DIR, stagingFolderName } from './staging.ts';

/** Compression of the string columns (raw frames, ids, symbols); integers are delta-packed. */
export type ParquetCompression = TextCodec;

/** Written into every file's key/value metadata: the layout version of these columns. */
export const RECORDING_LAYOUT = 'tradeplane-recording-v2 (integer units + scale)';

export interface ParquetSinkOptions {
  /** Recording root folder (created when missing). */
  root: string;
  /** gzip (default) or uncompressed, for string columns. */
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

const HOUR_MICROS = 3_600_000_000;
/**
 * Numbers transposed per pass over a group's rows: usually every column at once (each row read
 * once, front to back); for very large groups fewer columns per pass, to bound the scratch (2 MB) and each pass (~1 ms).
 */
const BLOCK_VALUES = 1 << 18;
/** Integers beyond this are not exact in a double: stored as NULL, like any non-integer garbage. */
const MAX_EXACT = 2 ** 53;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

let stagingCounter = 0;

interface Group {
  pid: number;
  hour: number;
  /** Ring slots of the group's rows, oldest first. */
  slots: Int32Array;
}

export class ParquetSink implements RecordingSink {
  readonly root: string;
  private readonly builder: ParquetFileBuilder;
  private readonly sliceMs: number;
  private readonly syncIo: boolean;
  private readonly fs: SinkFileSystem;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly nextSeq = new Map<string, number>();
  private readonly stagingRoot: string;
  private closed = false;
  private sliceStart = 0;
  // Scratch for one column of one group, reused (encodeColumn reads it synchronously).
  private values = new Float64Array(1024);
  private textStart = new Int32Array(1024);
  private textLength = new Int32Array(1024);
  private present = new Uint8Array(1024);
  /** The block of transposed number columns of the group being written. */
  private block: { group: Group | undefined; first: number; width: number; data: Float64Array } = {
    group: undefined,
    first: 0,
    width: 0,
    data: new Float64Array(1024),
  };
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
    this.builder = new ParquetFileBuilder(
      options.compression ?? 'gzip',
      () => this.maybeYield(),
      this.syncIo,
    );
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
    let groups: Group[] = [];
    let failure: { error: unknown } | undefined;
    try {
      await this.fs.mkdir(this.stagingRoot, { recursive: true });
      this.startSlice();
      groups = groupRows(rows, batch.shard);
      for (const group of groups) {
        if (failure) break; // a file failed meanwhile (disk full): the rest would too
        const partition = batch.partitions[group.pid];
        if (!partition) throw new Error(`rows for unknown partition ${group.pid}`);
        const builder = this.builder;
        builder.begin();
        for (const column of batch.table.columns) {
          const pending = builder.addColumn(this.columnInput(column, batch, group, partition.venueSymbol));
          if (column.type === 'text') {
            // Compressing on the thread pool: the event loop is free meanwhile.
            this.endSlice();
            await pending;
            this.startSlice();
          } else await pending;
          await this.maybeYield();
        }
        const bytes = builder.finish(group.slots.length, {
          'tradeplane.layout': RECORDING_LAYOUT,
          'tradeplane.table': batch.table.kind,
        });
        const { date, hour } = utcDateHour(group.hour * HOUR_MICROS);
        const dir = join(
          this.root,
          partitionDir(batch.table.kind, partition.exchange, partition.symbol, date, hour),
        );
        if (this.syncIo) {
          placed.push(this.publishSync(bytes, dir));
          stored.push(group.slots);
        } else {
          // The builder's buffer is reused: an asynchronous write gets a copy.
          publishing.push(
            this.publish(Buffer.from(bytes), dir).then(
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

  /** One stored column of one group, gathered from the ring. */
  private columnInput(c: StoredColumn, batch: RowBatch, group: Group, venueSymbol: string): ColumnInput {
    const slots = group.slots;
    const n = slots.length;
    const rows = batch.rows;
    switch (c.type) {
      case 'bigint':
      case 'int':
      case 'double':
        return this.numbers(c, this.column(rows, group, c.slot), n);
      case 'session':
        return constant(c.name, 'INT64', n, Math.trunc(batch.session));
      case 'venue_symbol':
        return constant(c.name, 'BYTE_ARRAY', n, venueSymbol);
      case 'text':
        return {
          name: c.name,
          type: 'BYTE_ARRAY',
          rows: n,
          present: undefined,
          values: this.texts(rows, slots, c.slot),
        };
      case 'code': {
        const col = this.column(rows, group, c.slot);
        const names = c.values ?? [];
        const present = this.scratchPresent(n);
        const out: string[] = [];
        let nulls = 0;
        for (let i = 0; i < n; i++) {
          const name = names[col[i]!];
          present[i] = name === undefined ? 0 : 1;
          if (name === undefined) nulls++;
          else out.push(name);
        }
        return {
          name: c.name,
          type: 'BYTE_ARRAY',
          rows: n,
          present: nulls > 0 ? present : undefined,
          values: out,
        };
      }
    }
  }

  /**
   * Text column `column` of the group's rows: the recorder's UTF-8 bytes, written as they lie
   * (PLAIN, then gzip: repeated values like connection ids cost next to nothing compressed, and
   * decoding them back to strings for a dictionary cost more than the whole write).
   */
  private texts(rows: RowsView, slots: Int32Array, column: number): TextBytes {
    const n = slots.length;
    if (this.textStart.length < n) {
      this.textStart = new Int32Array(Math.max(n, this.textStart.length * 2));
      this.textLength = new Int32Array(this.textStart.length);
    }
    const start = this.textStart;
    const length = this.textLength;
    const cols = rows.textColumns;
    for (let i = 0; i < n; i++) {
      const k = slots[i]! * cols + column;
      start[i] = rows.textStart[k]!;
      length[i] = rows.textLength[k]!;
    }
    return { bytes: rows.textBytes, start: start.subarray(0, n), length: length.subarray(0, n) };
  }

  /**
   * Number column `slot` of the group's rows, in row order. Rows are row-major in the ring, so
   * columns are transposed a block at a time: one pass over the group's rows reads each row's
   * numbers front to back, instead of one number per cache line per column.
   */
  private column(rows: RowsView, group: Group, slot: number): Float64Array {
    const n = group.slots.length;
    const b = this.block;
    if (b.group !== group || slot < b.first || slot >= b.first + b.width) {
      const width = Math.min(Math.max(1, Math.floor(BLOCK_VALUES / n)), rows.width - slot);
      if (b.data.length < width * n) b.data = new Float64Array(Math.max(width * n, b.data.length * 2));
      const out = b.data;
      const data = rows.data;
      const w = rows.width;
      const slots = group.slots;
      for (let i = 0; i < n; i++) {
        const at = slots[i]! * w + slot;
        for (let j = 0; j < width; j++) out[j * n + i] = data[at + j]!;
      }
      b.group = group;
      b.first = slot;
      b.width = width;
    }
    const from = (slot - b.first) * n;
    return b.data.subarray(from, from + n);
  }

  /** A numeric column: NaN, ±Infinity and out-of-range values become NULL. */
  private numbers(c: StoredColumn, col: Float64Array, n: number): ColumnInput {
    const values = this.scratchValues(n);
    const present = this.scratchPresent(n);
    let k = 0;
    if (c.type === 'double') {
      for (let i = 0; i < n; i++) {
        const x = col[i]!;
        const ok = x - x === 0; // finite
        present[i] = ok ? 1 : 0;
        if (ok) values[k++] = x;
      }
      return {
        name: c.name,
        type: 'DOUBLE',
        rows: n,
        present: k < n ? present : undefined,
        values: values.subarray(0, k),
      };
    }
    const lo = c.type === 'int' ? INT32_MIN : -MAX_EXACT;
    const hi = c.type === 'int' ? INT32_MAX : MAX_EXACT;
    const type = c.type === 'int' ? 'INT32' : 'INT64';
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    // Usual case first: every value an in-range integer — the column is encoded where it lies,
    // without a copy (book rows are 80 such columns; the copy was a fifth of their cost).
    let clean = true;
    for (let i = 0; i < n; i++) {
      const x = col[i]!;
      if (!(x >= lo && x <= hi && Math.floor(x) === x)) {
        clean = false;
        break;
      }
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (clean)
      return { name: c.name, type, rows: n, present: undefined, values: col, ...(n > 0 ? { min, max } : {}) };
    min = Number.POSITIVE_INFINITY;
    max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const x = col[i]!;
      const ok = x >= lo && x <= hi; // false for NaN
      present[i] = ok ? 1 : 0;
      if (ok) {
        const v = Math.round(x);
        values[k++] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    return {
      name: c.name,
      type,
      rows: n,
      present: k < n ? present : undefined,
      values: values.subarray(0, k),
      ...(k > 0 ? { min, max } : {}),
    };
  }

  private scratchValues(n: number): Float64Array {
    if (this.values.length < n) this.values = new Float64Array(Math.max(n, this.values.length * 2));
    return this.values;
  }

  private scratchPresent(n: number): Uint8Array {
    if (this.present.length < n) this.present = new Uint8Array(Math.max(n, this.present.length * 2));
    return this.present;
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
  private async publish(bytes: Buffer, dir: string): Promise<string> {
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

function constant(
  name: string,
  type: 'INT64' | 'BYTE_ARRAY',
  n: number,
  value: number | string,
): ColumnInput {
  return {
    name,
    type,
    rows: n,
    present: undefined,
    values: typeof value === 'number' ? new Float64Array(n).fill(value) : new Array<string>(n).fill(value),
  };
}

/**
 * The batch's rows grouped by (partition, UTC hour of the receive time), each group in ring order;
 * groups sorted by partition, then hour.
 */
function groupRows(rows: RowsView, shard: RowBatch['shard']): Group[] {
  const n = rows.count;
  const data = rows.data;
  const width = rows.width;
  const groupOf = new Int32Array(n);
  const keys: Array<{ pid: number; hour: number; count: number }> = [];
  const byPid = new Map<number, Map<number, number>>();
  let lastPid = Number.NaN;
  let lastHour = Number.NaN;
  let last = -1;
  const owner = shard?.owner;
  const mine = shard?.index ?? 0;
  for (let i = 0; i < n; i++) {
    const row = rows.index(i) * width;
    const pid = data[row + PID_SLOT]!;
    if (owner && owner[pid] !== mine) {
      groupOf[i] = -1; // another writer's partition
      continue;
    }
    const ts = data[row + LOCAL_TS_SLOT]!;
    const hour = ts - ts === 0 ? Math.floor(ts / HOUR_MICROS) : 0;
    if (pid !== lastPid || hour !== lastHour) {
      let hours = byPid.get(pid);
      if (!hours) {
        hours = new Map();
        byPid.set(pid, hours);
      }
      let g = hours.get(hour);
      if (g === undefined) {
        g = keys.length;
        keys.push({ pid, hour, count: 0 });
        hours.set(hour, g);
      }
      lastPid = pid;
      lastHour = hour;
      last = g;
    }
    groupOf[i] = last;
    keys[last]!.count++;
  }
  const groups: Group[] = keys.map((k) => ({ pid: k.pid, hour: k.hour, slots: new Int32Array(k.count) }));
  const fill = new Int32Array(groups.length);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g >= 0) groups[g]!.slots[fill[g]!++] = rows.index(i);
  }
  return groups.sort((a, b) => a.pid - b.pid || a.hour - b.hour);
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
