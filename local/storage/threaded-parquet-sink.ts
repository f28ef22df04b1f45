/**
 * The recorder's Parquet sink on worker threads: the same files as ParquetSink (it runs one per
 * thread, parquet-sink-worker.ts), but encoding and file system work leave the feed's event loop.
 *
 * Why: in one thread, writing a batch for thousands of symbols held the event loop for tens of ms
 * (encoding slices, then thousands of file-system completions arriving together). Here the event
 * loop only posts a small message per batch and thread: nothing is copied — the recorder keeps its
 * rows in shared memory when a sink says `sharedRows` (numbers in a SharedArrayBuffer, texts as
 * UTF-8 in a shared TextArena, core/recording/text-arena.ts), and it does not touch a batch's
 * buffers until the batch is written.
 *
 * Threads: `threads` (default 2). Each batch goes to every thread at once and each writes the
 * partitions the batch assigns it (round robin per table), so both cores encode the same batch and a
 * partition's files always come from one writer, in order. A batch is written when every thread
 * has written its share. When a share fails, the write rejects with a PartialWriteError naming the
 * rows that are stored (the other threads' shares and what the failing one placed before its
 * failure), so the recorder retries only the rest. A thread that dies (a crash of the writer, not a
 * file-system error: those are reported) is replaced on the next write; what it was writing counts
 * as not stored, although files it placed just before dying may exist — the one case where a retry
 * can store rows twice (same rec_session and rec_seq).
 *
 * `open` first recovers the staging folders that killed processes left behind (staging.ts: their
 * staged hourly files are finished and placed); what it did is in `staleStaging`. `close()` has
 * every thread place its open hourly files.
 */

import type { Worker } from 'node:worker_threads';
import { errorCode, PartialWriteError } from '../../core/recording/partial-write.ts';
import type { RecordingPartition, RecordingSink, RowBatch } from '../../core/recording/recording-sink.ts';
import { PID_SLOT, type RecordingKind } from '../../core/recording/recording-tables.ts';
import { RowRing } from '../../core/recording/row-ring.ts';
import { startTsWorker } from '../threads/ts-worker.ts';
import type { ParquetCompression, ParquetSinkStats } from './parquet-sink.ts';
import type { SinkThreadReply, SinkThreadRequest, SinkThreadStart } from './sink-thread-messages.ts';
import { cleanStaleStaging, type StagingCleanup } from './staging.ts';

export interface ThreadedParquetSinkOptions {
  /** Recording root folder (created when missing). */
  root: string;
  compression?: ParquetCompression;
  /** Worker threads (default 2); each writes its share of every batch. */
  threads?: number;
  /**
   * Nice value of the writer threads on Linux (default 10): on a busy machine the feed's thread
   * gets the CPU first; the buffers absorb the writers' delay. 0 keeps normal priority.
   */
  nice?: number;
}

export interface ThreadedParquetSinkStats extends ParquetSinkStats {
  /** Event-loop time the sink took (ms, total): the hand-overs. */
  loopMs: number;
  /** The longest single slice of that (ms): the longest the sink held up the feed. */
  longestLoopMs: number;
  /** Worker threads that died and were replaced. */
  restarts: number;
}

const WORKER_URL = new URL('./parquet-sink-worker.ts', import.meta.url);
type WriteRequest = Extract<SinkThreadRequest, { type: 'write' }>;
/** owner[] of a partition no thread has written yet; also why threads are at most 64. */
const UNASSIGNED = 255;
const EMPTY_STATS: ParquetSinkStats = {
  batches: 0,
  rows: 0,
  rowGroups: 0,
  files: 0,
  openFiles: 0,
  fillMs: 0,
  longestFillMs: 0,
};

interface Pending {
  resolve: (files: readonly string[]) => void;
  reject: (error: Error) => void;
}

/** One worker thread and what it has been told. */
class SinkThread {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();
  /** venueSymbol of each partition as last sent (undefined: never sent). */
  readonly sentPartitions: string[] = [];
  stats: ParquetSinkStats = EMPTY_STATS;
  dead = false;
  private closing = false;
  /** Resolves with the files the thread placed while closing (none when it died). */
  private readonly closed: Promise<readonly string[]>;

  constructor(start: SinkThreadStart, onDeath: (thread: SinkThread) => void) {
    this.worker = startTsWorker(WORKER_URL, {
      workerData: start,
    });
    this.worker.unref(); // referenced only while writes are pending
    let closedNow: (files: readonly string[]) => void = () => {};
    this.closed = new Promise((resolve) => {
      closedNow = resolve;
    });
    this.worker.on('message', (message: SinkThreadReply) => {
      if (message.type === 'closed') closedNow(message.files);
      if (message.type !== 'written' && message.type !== 'failed') return;
      this.stats = message.stats;
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (message.type === 'written') p?.resolve(message.files);
      else p?.reject(new PartialWriteError(message.error, message.code, message.files, message.writtenSlots));
    });
    const die = (error: Error) => {
      if (this.dead) return;
      this.dead = true;
      closedNow([]);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      if (!this.closing) onDeath(this);
    };
    this.worker.on('error', (error) => die(error));
    this.worker.on('exit', (code) => die(new Error(`parquet sink thread exited (code ${code})`)));
  }

  post(message: SinkThreadRequest): void {
    this.worker.postMessage(message);
  }

  track(id: number, pending: Pending): void {
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(id, pending);
  }

  async close(): Promise<readonly string[]> {
    this.closing = true;
    let files: readonly string[] = [];
    if (!this.dead) {
      this.post({ type: 'close' });
      this.worker.ref();
      files = await this.closed;
    }
    await this.worker.terminate();
    return files;
  }
}

export class ThreadedParquetSink implements RecordingSink {
  readonly sharedRows = true;
  readonly root: string;
  /** Leftovers of killed processes recovered by open(). */
  readonly staleStaging: StagingCleanup;
  private readonly start: SinkThreadStart;
  private readonly threads: Array<SinkThread | undefined>;
  private nextId = 0;
  private readonly ownerByKind = new Map<RecordingKind, Uint8Array>();
  private readonly nextOwner = new Map<RecordingKind, number>();
  private closed = false;
  private restarts = 0;
  private loopMs = 0;
  private longestLoopMs = 0;
  /** Stats of threads that died (kept in the totals). */
  private retired: ParquetSinkStats = EMPTY_STATS;

  private constructor(options: ThreadedParquetSinkOptions, staleStaging: StagingCleanup) {
    this.root = options.root;
    this.staleStaging = staleStaging;
    this.start = {
      root: options.root,
      compression: options.compression ?? 'snappy',
      nice: options.nice ?? 10,
    };
    const threads = options.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1 || threads > 64)
      throw new RangeError(`threads must be 1…64 (got ${threads})`);
    this.threads = new Array<SinkThread | undefined>(threads).fill(undefined);
  }

  /** Start the sink (threads start on their first batch), after recovering stale staging folders. */
  static async open(options: ThreadedParquetSinkOptions): Promise<ThreadedParquetSink> {
    return new ThreadedParquetSink(options, await cleanStaleStaging(options.root));
  }

  write(batch: RowBatch): Promise<readonly string[]> {
    if (this.closed) return Promise.reject(new Error('ThreadedParquetSink is closed'));
    if (batch.rows.count === 0) return Promise.resolve([]);
    const rows = sharedRows(batch.rows);
    const owner = this.owners(batch);
    const count = this.threads.length;
    const parts: Promise<readonly string[]>[] = [];
    for (let index = 0; index < count; index++) {
      const thread = this.thread(index);
      const id = this.nextId++;
      parts.push(
        new Promise<readonly string[]>((resolve, reject) => {
          thread.track(id, { resolve, reject });
          try {
            this.handOver(thread, id, batch, rows, { index, owner });
          } catch (error) {
            thread.pending.delete(id);
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        }),
      );
    }
    return Promise.allSettled(parts).then((outcomes) => {
      if (outcomes.every((o) => o.status === 'fulfilled')) return outcomes.flatMap((o) => o.value);
      // Threads report slots of what they read: the ring's own, or positions in a copy (sharedRows).
      const copied = rows.data !== batch.rows.data;
      throw storedInPart(outcomes, batch, owner, copied);
    });
  }

  stats(): ThreadedParquetSinkStats {
    const total = { ...this.retired };
    for (const t of this.threads) if (t) addStats(total, t.stats);
    return {
      ...total,
      loopMs: this.loopMs,
      longestLoopMs: this.longestLoopMs,
      restarts: this.restarts,
    };
  }

  /** Every thread places its open hourly files; resolves with them. */
  async close(): Promise<readonly string[]> {
    if (this.closed) return [];
    this.closed = true;
    const placed = await Promise.all(this.threads.map((t) => t?.close() ?? []));
    return placed.flat();
  }

  /**
   * Which thread writes each partition of this batch's table: a partition gets the next thread in
   * turn when first seen in that table, then keeps it (its files in order, from one writer). Round
   * robin per table, not pid % threads: a table's few heavy partitions (raw frames: one per venue)
   * would otherwise land on one thread whenever their pids share a parity.
   */
  private owners(batch: RowBatch): Uint8Array {
    const kind = batch.table.kind;
    let owner = this.ownerByKind.get(kind);
    const n = batch.partitions.length;
    if (!owner || owner.length < n) {
      const grown = new Uint8Array(Math.max(n, 64, (owner?.length ?? 0) * 2)).fill(UNASSIGNED);
      if (owner) grown.set(owner);
      owner = grown;
      this.ownerByKind.set(kind, owner);
    }
    const { rows } = batch;
    for (let i = 0; i < rows.count; i++) {
      const pid = rows.data[rows.index(i) * rows.width + PID_SLOT]!;
      if (owner[pid] === UNASSIGNED) {
        const next = this.nextOwner.get(kind) ?? 0;
        owner[pid] = next % this.threads.length;
        this.nextOwner.set(kind, next + 1);
      }
    }
    return owner.slice(0, n);
  }

  private thread(index: number): SinkThread {
    let thread = this.threads[index];
    if (!thread || thread.dead) {
      thread = new SinkThread(this.start, (dead) => {
        if (this.threads[index] === dead) {
          this.threads[index] = undefined;
          this.restarts++;
          this.retired = addStats({ ...this.retired }, dead.stats);
        }
      });
      this.threads[index] = thread;
    }
    return thread;
  }

  /** Post a thread its shard of the batch: numbers and texts by reference (shared memory). */
  private handOver(
    thread: SinkThread,
    id: number,
    batch: RowBatch,
    rows: WriteRequest['rows'],
    shard: { index: number; owner: Uint8Array },
  ): void {
    const started = performance.now();
    thread.post({
      type: 'write',
      id,
      table: batch.table,
      session: batch.session,
      rows,
      shard,
      partitions: newPartitions(thread, batch.partitions),
    });
    const ms = performance.now() - started;
    this.loopMs += ms;
    if (ms > this.longestLoopMs) this.longestLoopMs = ms;
  }
}

/** The batch in shared memory: the ring's own buffers when they are shared, else a copy in ring order. */
function sharedRows(rows: RowBatch['rows']): WriteRequest['rows'] {
  if (rows instanceof RowRing && rows.shared) {
    return {
      data: rows.data,
      width: rows.width,
      start: rows.start,
      count: rows.count,
      capacity: rows.capacity,
      textColumns: rows.textColumns,
      textBytes: rows.textBytes,
      textStart: rows.textStart,
      textLength: rows.textLength,
    };
  }
  const n = rows.count;
  const w = rows.width;
  const cols = rows.textColumns;
  const data = new Float64Array(new SharedArrayBuffer(Math.max(1, n * w) * 8));
  const textStart = new Int32Array(new SharedArrayBuffer(Math.max(1, n * cols) * 4));
  const textLength = new Int32Array(new SharedArrayBuffer(Math.max(1, n * cols) * 4));
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const slot = rows.index(i);
    for (let c = 0; c < cols; c++) bytes += rows.textLength[slot * cols + c]!;
  }
  const textBytes = new Uint8Array(new SharedArrayBuffer(Math.max(1, bytes)));
  let at = 0;
  for (let i = 0; i < n; i++) {
    const slot = rows.index(i);
    data.set(rows.data.subarray(slot * w, slot * w + w), i * w);
    for (let c = 0; c < cols; c++) {
      const k = slot * cols + c;
      const len = rows.textLength[k]!;
      textBytes.set(rows.textBytes.subarray(rows.textStart[k]!, rows.textStart[k]! + len), at);
      textStart[i * cols + c] = at;
      textLength[i * cols + c] = len;
      at += len;
    }
  }
  return {
    data,
    width: w,
    start: 0,
    count: n,
    capacity: Math.max(1, n),
    textColumns: cols,
    textBytes,
    textStart,
    textLength,
  };
}

/**
 * The batch's outcome when a thread's share failed: every row of a thread that succeeded is stored,
 * plus what a failing thread reported placed; the first failure's message and code.
 */
function storedInPart(
  outcomes: ReadonlyArray<PromiseSettledResult<readonly string[]>>,
  batch: RowBatch,
  owner: Uint8Array,
  copied: boolean,
): PartialWriteError {
  const files: string[] = [];
  let first: unknown;
  const stored: number[] = [];
  const rows = batch.rows;
  outcomes.forEach((o, index) => {
    if (o.status === 'fulfilled') {
      files.push(...o.value);
      for (let i = 0; i < rows.count; i++) {
        const slot = rows.index(i);
        if (owner[rows.data[slot * rows.width + PID_SLOT]!] === index) stored.push(slot);
      }
      return;
    }
    first ??= o.reason;
    if (o.reason instanceof PartialWriteError) {
      files.push(...o.reason.files);
      for (const slot of o.reason.writtenSlots) stored.push(copied ? rows.index(slot) : slot);
    }
  });
  const why = first instanceof Error ? first.message : String(first);
  return new PartialWriteError(why, errorCode(first), files, Int32Array.from(stored));
}

/** Partitions the thread has not been told about, or whose venue spelling changed since. */
function newPartitions(
  thread: SinkThread,
  partitions: readonly RecordingPartition[],
): Array<[number, RecordingPartition]> {
  const out: Array<[number, RecordingPartition]> = [];
  const sent = thread.sentPartitions;
  for (let pid = 0; pid < partitions.length; pid++) {
    const p = partitions[pid]!;
    if (sent[pid] === p.venueSymbol) continue;
    sent[pid] = p.venueSymbol;
    out.push([pid, { exchange: p.exchange, symbol: p.symbol, venueSymbol: p.venueSymbol }]);
  }
  return out;
}

function addStats(into: ParquetSinkStats, s: ParquetSinkStats): ParquetSinkStats {
  into.batches += s.batches;
  into.rows += s.rows;
  into.rowGroups += s.rowGroups;
  into.files += s.files;
  into.openFiles += s.openFiles;
  into.fillMs += s.fillMs;
  into.longestFillMs = Math.max(into.longestFillMs, s.longestFillMs);
  return into;
}
