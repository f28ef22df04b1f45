/**
 * The recorder: raw frames (with receive time) and normalized rows (top-N book levels after every
 * applied message, every trade, book-state and quality events) buffered per table and written in the
 * background by a RecordingSink (Parquet, partitioned exchange=/symbol=/date=/hour=).
 *
 * The feed never waits for it: every `record…` call is synchronous, O(1) (O(depth) for a book row)
 * and allocates nothing once the buffers have grown. Flushing happens later, on the event loop: when
 * `maxRows` rows wait, or the oldest has waited `maxDelayMs` (core/recording/batch-policy.ts). The
 * buffer is bounded: when the sink is slower than the feed, the OLDEST waiting rows are dropped,
 * counted, and reported through `onWarning` (rate-limited; never console output). Rows handed to the
 * sink are never dropped, and `close()` writes everything still waiting.
 *
 * A failed write (disk full, read-only folder, I/O error) loses nothing: the rows the sink did not
 * store (all of them, or what a PartialWriteError leaves out) go back to the front of the table's
 * buffer and are retried with exponential backoff (`retry`), together with the rows recorded
 * meanwhile. While the fault lasts the buffer fills; only past its bound are the oldest rows dropped
 * (counted). Failure warnings are rate-limited across tables (one per `warnIntervalMs`, with the
 * number held back), and one 'write_recovered' warning ends the outage.
 *
 * `close()` is bounded by `closeTimeoutMs`: it keeps writing (retrying failures) until everything
 * is stored or the time is up, then counts what it could not store — `failed` (not on disk) and
 * `unsettled` (a write still running: outcome unknown) — so that, per table,
 * `accepted = written + dropped + failed + unsettled`.
 */

import type { CaptureRecord, CaptureRecordKind } from '../../core/capture/capture-record.ts';
import type { MarketEvent, Micros, TradeEvent } from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { type BatchPolicy, batchPolicy, flushDue } from '../../core/recording/batch-policy.ts';
import { PartialWriteError } from '../../core/recording/partial-write.ts';
import { ALL_SYMBOLS, parsePartitionPath, pathSafeSymbol } from '../../core/recording/partition-path.ts';
import type { RecordingSink, RowBatch } from '../../core/recording/recording-sink.ts';
import {
  BOOK,
  bookTable,
  DEFAULT_BOOK_DEPTH,
  EVENT,
  EVENT_TABLE,
  ISSUE_SEPARATOR,
  LOCAL_TS_SLOT,
  PID_SLOT,
  RAW,
  RAW_TABLE,
  REC_SEQ_SLOT,
  type RecordingKind,
  type RecordingTable,
  TRADE,
  TRADE_TABLE,
} from '../../core/recording/recording-tables.ts';
import { RowRing } from '../../core/recording/row-ring.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';
import { Backoff, type BackoffPolicy } from '../connectors/backoff.ts';
import { LogThrottle } from '../rate-limit/log-throttle.ts';

/** One side of a book as the recorder reads it (BookSide fits): level i counted from the touch. */
export interface LevelsView {
  readonly count: number;
  priceAt(i: number): number;
  sizeAt(i: number): number;
  /** The best `levels` levels in one walk (BookSide has it): price at out[at + k·stride], size next to it; returns the count. */
  copyLevels?(levels: number, out: Float64Array, at: number, stride: number): number;
}

export type RecorderWarning =
  | {
      readonly type: 'dropped';
      readonly kind: RecordingKind;
      readonly dropped: number;
      readonly totalDropped: number;
    }
  | {
      readonly type: 'write_failed';
      readonly kind: RecordingKind;
      /** Rows of the batch not stored (kept, retried). */
      readonly rows: number;
      readonly error: string;
      /** The file system's error code, when there is one (ENOSPC, EROFS, EACCES, EIO…). */
      readonly code: string | undefined;
      /** When this table's next attempt is due (ms), or -1 while closing gives up. */
      readonly retryInMs: number;
      /** Failed writes (any table) not warned about since the last such warning. */
      readonly heldBack: number;
    }
  | {
      /** Every table writes again after failed writes: nothing was lost to them (drops are reported apart). */
      readonly type: 'write_recovered';
      /** Failed write attempts during the outage, all tables. */
      readonly failedAttempts: number;
      readonly outageMs: number;
    };

/** Retries of a failed write: 250 ms, doubling to 5 s, plus 0–20 % jitter. */
export const DEFAULT_WRITE_RETRY: BackoffPolicy = {
  initialMs: 250,
  maxMs: 5_000,
  multiplier: 2,
  jitter: 0.2,
};
/** How long close() keeps writing before it gives up on what is left (ms). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 3_000;

export interface RecorderOptions {
  sink: RecordingSink;
  /** Book levels per side in a book row (default 20). */
  depth?: number;
  policy?: Partial<BatchPolicy>;
  /** Millisecond clock for the time trigger and warning rate limit (default performance.now). */
  clock?: () => number;
  /** Session id stored with every row (default: now in µs). */
  session?: number;
  onWarning?: (warning: RecorderWarning) => void;
  /** How often the time trigger is checked (ms); 0 = no timer (call poll() yourself, e.g. in tests). */
  pollIntervalMs?: number;
  /** At most one drop warning per table, and one write-failure warning, per this many ms (default 5000). */
  warnIntervalMs?: number;
  /** Backoff between attempts to write a failed batch again (DEFAULT_WRITE_RETRY). */
  retry?: Partial<BackoffPolicy>;
  /** Jitter for the retry backoff, uniform in [0, 1) (default Math.random). */
  random?: () => number;
  /** close() gives up writing after this many ms (DEFAULT_CLOSE_TIMEOUT_MS). */
  closeTimeoutMs?: number;
  /** One-shot timer for close()'s deadline (default setTimeout; tests drive their own). */
  setTimer?: (ms: number, fn: () => void) => () => void;
}

export interface TableStats {
  /** Rows taken by record…() calls. */
  accepted: number;
  /** Rows the sink confirmed written. */
  written: number;
  /** Rows dropped (oldest first) because the buffer was full. */
  dropped: number;
  /** Rows close() gave up on: never stored (writes kept failing until its deadline). */
  failed: number;
  /** Rows whose write was still running when close() gave up: stored or not, unknown. */
  unsettled: number;
  /** Rows waiting for a flush (rows of failed writes among them, waiting for their retry). */
  waiting: number;
  /** Rows in the batch the sink is writing now. */
  inFlight: number;
  batches: number;
  files: number;
  /** Write attempts that failed (their rows kept and retried). */
  writeFailures: number;
  /** Whether the table's last write failed and its retry is pending. */
  retrying: boolean;
}

export type RecorderStats = Record<RecordingKind, TableStats> & { ignoredAfterClose: number };

/** How long a closing sink may take once close() has given up on its writes (ms). */
const SINK_CLOSE_GRACE_MS = 500;

const RAW_CODE: Record<CaptureRecordKind, number> = { message: 0, rest: 1, open: 2, sent: 3 };
const SIDE_CODE = { buy: 0, sell: 1, unknown: 2 } as const;
const EVENT_CODE = { book_state: 0, quality: 1, connection: 2 } as const;

class TableState {
  filling: RowRing;
  /** The other buffer: empty, or the batch in flight. */
  spare: RowRing;
  flight: Promise<void> | undefined;
  inFlight = 0;
  waitingSince = 0;
  accepted = 0;
  written = 0;
  failed = 0;
  unsettled = 0;
  batches = 0;
  files = 0;
  writeFailures = 0;
  /** Failed attempts in a row; the retry is due at retryAt. */
  streak = 0;
  retrying = false;
  retryAt = 0;
  /** Drops counted by buffers no longer in use. */
  retiredDrops = 0;
  reportedDrops = 0;
  lastWarnAt = Number.NEGATIVE_INFINITY;
  // The row being written (beginRow → endRow): what the ring looked like before its push.
  droppedBeforeRow = 0;
  wasEmptyBeforeRow = false;

  readonly backoff: Backoff;
  readonly newRing: () => RowRing;

  constructor(
    readonly table: RecordingTable,
    policy: BatchPolicy,
    shared: boolean,
    retry: BackoffPolicy,
    random: () => number,
  ) {
    const weight = table.kind === 'raw' ? policy.maxBufferedChars : Number.POSITIVE_INFINITY;
    this.newRing = () =>
      new RowRing(table.numbers.length, table.texts.length, policy.maxBufferedRows, weight, 1024, shared);
    this.filling = this.newRing();
    this.spare = this.newRing();
    this.backoff = new Backoff(retry, random);
  }

  get dropped(): number {
    return this.filling.dropped + this.spare.dropped + this.retiredDrops;
  }
}

export class Recorder {
  readonly session: number;
  readonly depth: number;
  readonly policy: BatchPolicy;
  private readonly sink: RecordingSink;
  private readonly clock: () => number;
  private readonly onWarning: (warning: RecorderWarning) => void;
  private readonly warnIntervalMs: number;
  private readonly tables: Record<RecordingKind, TableState>;
  private readonly states: TableState[];
  private readonly partitions: Array<{ exchange: string; symbol: string; venueSymbol: string }> = [];
  private readonly pidByName = new Map<string, Map<string, number>>();
  private readonly pidByInstrument = new WeakMap<Instrument, number>();
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private kickScheduled = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** close() ran out of time: no new attempts. */
  private expired = false;
  /** close() has counted what it could not write. */
  private finalized = false;
  /** Wakes close() when a write settles. */
  private notify: (() => void) | undefined;
  private ignoredAfterClose = 0;
  private readonly closeTimeoutMs: number;
  private readonly setTimer: (ms: number, fn: () => void) => () => void;
  private readonly failureLog: LogThrottle;
  /** When the first of the current run of failed writes happened (-1: none failing). */
  private outageSince = -1;
  private outageFailures = 0;

  constructor(options: RecorderOptions) {
    this.sink = options.sink;
    this.depth = options.depth ?? DEFAULT_BOOK_DEPTH;
    this.policy = batchPolicy(options.policy);
    this.clock = options.clock ?? (() => performance.now());
    this.session = options.session ?? Date.now() * 1000;
    this.onWarning = options.onWarning ?? (() => {});
    this.warnIntervalMs = options.warnIntervalMs ?? 5_000;
    this.failureLog = new LogThrottle(this.warnIntervalMs);
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.setTimer =
      options.setTimer ??
      ((ms, fn) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      });
    const shared = this.sink.sharedRows === true;
    const retry = { ...DEFAULT_WRITE_RETRY, ...options.retry };
    const random = options.random ?? Math.random;
    const table = (t: RecordingTable) => new TableState(t, this.policy, shared, retry, random);
    this.tables = {
      raw: table(RAW_TABLE),
      book: table(bookTable(this.depth)),
      trade: table(TRADE_TABLE),
      event: table(EVENT_TABLE),
    };
    this.states = Object.values(this.tables);
    const interval =
      options.pollIntervalMs ?? Math.max(10, Math.min(250, Math.floor(this.policy.maxDelayMs / 4)));
    if (interval > 0) {
      this.timer = setInterval(() => this.poll(), interval);
      this.timer.unref?.();
    }
  }

  // ── raw frames ────────────────────────────────────────────────────────────

  /** A WebSocket text frame as received. */
  recordMessage(exchange: ExchangeId, connection: string, localTs: Micros, raw: string): void {
    this.raw(exchange, RAW_CODE.message, connection, '', raw, localTs);
  }

  /** A REST response body (a snapshot), with the URL it was fetched from (replay routes it by `symbol=`). */
  recordRest(exchange: ExchangeId, url: string, localTs: Micros, body: string): void {
    this.raw(exchange, RAW_CODE.rest, '', url, body, localTs);
  }

  /** A connection opened to `url` (replay picks the protocol variant from it). */
  recordOpen(exchange: ExchangeId, connection: string, localTs: Micros, url: string): void {
    this.raw(exchange, RAW_CODE.open, connection, url, '', localTs);
  }

  /** A frame we sent (subscriptions, pings). */
  recordSent(exchange: ExchangeId, connection: string, localTs: Micros, body: string): void {
    this.raw(exchange, RAW_CODE.sent, connection, '', body, localTs);
  }

  /** A capture line as read back from a file or recording (kind, url and body kept verbatim). */
  recordCapture(exchange: ExchangeId, record: CaptureRecord, connection = ''): void {
    this.raw(exchange, RAW_CODE[record.kind], connection, record.url, record.body, record.localTs);
  }

  private raw(exchange: ExchangeId, type: number, connection: string, url: string, body: string, ts: Micros) {
    const t = this.tables.raw;
    const weight = body.length + url.length + connection.length;
    const slot = this.beginRow(t, weight, this.pidOf(exchange, ALL_SYMBOLS, ''), ts);
    if (slot < 0) return;
    const ring = t.filling;
    ring.data[slot * ring.width + RAW.type] = type;
    ring.setText(slot, RAW.connection, connection);
    ring.setText(slot, RAW.url, url);
    ring.setText(slot, RAW.body, body);
    this.endRow(t);
  }

  // ── normalized rows ───────────────────────────────────────────────────────

  /** The book's top `depth` levels per side now (call from FeedListener.onBook). */
  recordBook(book: SymbolBook): void {
    this.recordBookLevels(
      book.instrument,
      book.localTs,
      book.exchangeTs,
      book.sequence,
      book.book.bids,
      book.book.asks,
    );
  }

  /** A book row from any level source; `sequence` NaN when the venue has none. Units are the instrument's. */
  recordBookLevels(
    instrument: Instrument,
    localTs: Micros,
    exchangeTs: Micros,
    sequence: number,
    bids: LevelsView,
    asks: LevelsView,
  ): void {
    const t = this.tables.book;
    const slot = this.beginRow(t, 0, this.pidOfInstrument(instrument), localTs);
    if (slot < 0) return;
    const ring = t.filling;
    const d = ring.data;
    const row = slot * ring.width;
    d[row + BOOK.exchangeTs] = exchangeTs;
    d[row + BOOK.sequence] = sequence;
    d[row + BOOK.priceScale] = instrument.priceScale;
    d[row + BOOK.sizeScale] = instrument.sizeScale;
    const nb = bids.count;
    const na = asks.count;
    d[row + BOOK.bidLevels] = nb;
    d[row + BOOK.askLevels] = na;
    const depth = this.depth;
    copySide(bids, Math.min(nb, depth), depth, d, row + BOOK.levels);
    copySide(asks, Math.min(na, depth), depth, d, row + BOOK.levels + 2);
    this.endRow(t);
  }

  /** A trade; `instrument` gives the scales of its integer price and size. */
  recordTrade(trade: TradeEvent, instrument: Instrument): void {
    const t = this.tables.trade;
    const slot = this.beginRow(t, 0, this.pidOfInstrument(instrument), trade.localTs);
    if (slot < 0) return;
    const ring = t.filling;
    const d = ring.data;
    const at = slot * ring.width;
    d[at + TRADE.exchangeTs] = trade.exchangeTs;
    d[at + TRADE.side] = SIDE_CODE[trade.side];
    d[at + TRADE.price] = trade.price;
    d[at + TRADE.size] = trade.size;
    d[at + TRADE.priceScale] = instrument.priceScale;
    d[at + TRADE.sizeScale] = instrument.sizeScale;
    ring.setText(slot, TRADE.tradeId, trade.tradeId);
    this.endRow(t);
  }

  /**
   * Book-state, quality and connection events; returns false for other event types (books and
   * trades have their own rows).
   */
  recordEvent(event: MarketEvent): boolean {
    if (event.type !== 'book_state' && event.type !== 'quality' && event.type !== 'connection') return false;
    const t = this.tables.event;
    const pid = this.pidOf(event.exchange, event.symbol || ALL_SYMBOLS, '');
    const slot = this.beginRow(t, 0, pid, event.localTs);
    if (slot < 0) return true;
    const ring = t.filling;
    const d = ring.data;
    const at = slot * ring.width;
    d[at + EVENT.exchangeTs] = event.exchangeTs;
    d[at + EVENT.type] = EVENT_CODE[event.type];
    if (event.type === 'quality') {
      d[at + EVENT.score] = event.score;
      ring.setText(slot, EVENT.issues, event.issues.join(ISSUE_SEPARATOR)); // state, detail: ''
    } else {
      d[at + EVENT.score] = Number.NaN;
      ring.setText(slot, EVENT.state, event.state);
      ring.setText(slot, EVENT.detail, event.type === 'book_state' ? event.reason : event.detail);
    }
    this.endRow(t);
    return true;
  }

  // ── flushing ──────────────────────────────────────────────────────────────

  /** Start the flushes (and retries) that are due (the timer calls this; tests with a fake clock call it directly). */
  poll(): void {
    if (this.finalized) return;
    const now = this.clock();
    for (const t of this.states) {
      if (!t.flight && !this.expired && t.filling.count > 0) {
        const due = t.retrying
          ? now >= t.retryAt
          : this.closed || flushDue(t.filling.count, t.waitingSince, now, this.policy);
        if (due) this.startFlush(t);
      }
      if (t.dropped > t.reportedDrops && now - t.lastWarnAt >= this.warnIntervalMs) this.warnDrops(t, now);
    }
  }

  /**
   * Write everything waiting now, one attempt (a table retrying a failed write tries at once);
   * resolves when every row accepted so far is written, or its attempt failed (the rows are kept for
   * the retry). Rows recorded meanwhile are not waited for.
   */
  async flush(): Promise<void> {
    await Promise.all(
      this.states.map(async (t) => {
        const target = t.accepted;
        const failures = t.writeFailures;
        // A finished batch may itself start the next one.
        while (this.settled(t) < target && (t.flight || t.filling.count > 0)) {
          if (!t.flight) {
            if (t.writeFailures > failures || this.finalized) break;
            this.startFlush(t);
          }
          await t.flight;
        }
      }),
    );
  }

  /**
   * Stop accepting rows, write everything accepted (retrying failed writes) for at most
   * closeTimeoutMs, count what could not be written, close the sink. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  stats(): RecorderStats {
    const of = (t: TableState): TableStats => ({
      accepted: t.accepted,
      written: t.written,
      dropped: t.dropped,
      failed: t.failed,
      unsettled: t.unsettled,
      waiting: t.filling.count,
      inFlight: this.finalized ? 0 : t.inFlight,
      batches: t.batches,
      files: t.files,
      writeFailures: t.writeFailures,
      retrying: t.retrying,
    });
    const x = this.tables;
    return {
      raw: of(x.raw),
      book: of(x.book),
      trade: of(x.trade),
      event: of(x.event),
      ignoredAfterClose: this.ignoredAfterClose,
    };
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    let wake: () => void = () => {};
    const cancel = this.setTimer(this.closeTimeoutMs, () => {
      this.expired = true;
      wake();
    });
    // Everything waiting goes now, retries included; later retries follow their backoff (poll).
    for (const t of this.states) if (!t.flight && t.filling.count > 0) this.startFlush(t);
    while (!this.expired && this.states.some((t) => t.flight || t.filling.count > 0)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        this.notify = resolve;
      });
    }
    cancel();
    this.expired = true;
    this.notify = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.finalized = true;
    const now = this.clock();
    for (const t of this.states) {
      t.failed += t.filling.count;
      t.filling.clear();
      t.retrying = false;
      t.unsettled += t.inFlight;
      if (t.dropped > t.reportedDrops) this.warnDrops(t, now);
    }
    // A sink stuck in a write would hold close() forever: it gets a moment, not more.
    let stopWaiting: () => void = () => {};
    const gaveUp = new Promise<void>((resolve) => {
      stopWaiting = this.setTimer(SINK_CLOSE_GRACE_MS, resolve);
    });
    const closing = this.sink.close().then(
      (placed) => this.countPlacedAtClose(placed || undefined),
      () => undefined,
    );
    await Promise.race([closing, gaveUp]);
    stopWaiting();
  }

  /** Files a sink placed while closing (its open hourly files) count with their table's files. */
  private countPlacedAtClose(placed: readonly string[] | undefined): void {
    for (const path of placed ?? []) {
      const kind = parsePartitionPath(path.split('\\').join('/'))?.kind;
      if (kind !== undefined && kind in this.tables) this.tables[kind as RecordingKind].files++;
    }
  }

  private settled(t: TableState): number {
    return t.written + t.dropped + t.failed + t.unsettled;
  }

  /**
   * Start a row in table `t` (dropping the oldest rows if the buffer is full) with the columns every
   * table has, and return its slot; -1 after close() (counted, nothing recorded). Finish with endRow.
   */
  private beginRow(t: TableState, weight: number, pid: number, localTs: Micros): number {
    if (this.closed) {
      this.ignoredAfterClose++;
      return -1;
    }
    const ring = t.filling;
    t.droppedBeforeRow = ring.dropped;
    t.wasEmptyBeforeRow = ring.count === 0;
    const slot = ring.push(weight);
    const at = slot * ring.width;
    ring.data[at + PID_SLOT] = pid;
    ring.data[at + REC_SEQ_SLOT] = this.seq++;
    ring.data[at + LOCAL_TS_SLOT] = localTs;
    return slot;
  }

  /** The row begun in `t` is complete: count it, start its wait, warn of drops, flush when full. */
  private endRow(t: TableState): void {
    const ring = t.filling;
    t.accepted++;
    if (t.wasEmptyBeforeRow) t.waitingSince = this.clock();
    if (ring.dropped !== t.droppedBeforeRow) {
      const now = this.clock();
      if (now - t.lastWarnAt >= this.warnIntervalMs) this.warnDrops(t, now);
    }
    if (ring.count >= this.policy.maxRows && !t.flight && !t.retrying) this.kick();
  }

  /** Flush the tables that reached maxRows, soon (never inside the caller's record… call). */
  private kick(): void {
    if (this.kickScheduled) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      for (const t of this.states) {
        if (!t.flight && !t.retrying && t.filling.count >= this.policy.maxRows) this.startFlush(t);
      }
    });
  }

  private startFlush(t: TableState): void {
    const rows = t.filling;
    t.filling = t.spare;
    t.spare = rows;
    const n = rows.count;
    t.inFlight = n;
    t.batches++;
    t.retrying = false;
    const batch: RowBatch = { table: t.table, session: this.session, rows, partitions: this.partitions };
    let write: Promise<readonly string[]>;
    try {
      write = this.sink.write(batch);
    } catch (error) {
      write = Promise.reject(error);
    }
    t.flight = write
      .then(
        (files) => this.onWritten(t, rows, n, files.length),
        (error: unknown) => this.onWriteFailed(t, rows, n, error),
      )
      .then(() => {
        t.flight = undefined;
        this.afterFlight(t);
      });
  }

  private onWritten(t: TableState, rows: RowRing, n: number, files: number): void {
    rows.clear();
    t.inFlight = 0;
    t.written += n;
    t.files += files;
    if (this.finalized) t.unsettled -= n; // close() gave up on it, but it made it
    if (t.streak > 0) {
      t.streak = 0;
      t.backoff.reset();
      this.endOutageIfOver();
    }
  }

  /** Keep what the sink did not store, ahead of the rows recorded meanwhile, and schedule the retry. */
  private onWriteFailed(t: TableState, rows: RowRing, n: number, error: unknown): void {
    const partial = error instanceof PartialWriteError ? error : undefined;
    const stored = partial ? partial.writtenSlots.length : 0;
    if (stored >= n) {
      this.onWritten(t, rows, n, partial?.files.length ?? 0);
      return;
    }
    t.inFlight = 0;
    t.written += stored;
    t.files += partial?.files.length ?? 0;
    t.writeFailures++;
    if (this.finalized) {
      t.unsettled -= n;
      t.failed += n - stored;
      rows.clear();
      return;
    }
    let kept = rows;
    if (stored > 0) {
      const done = new Uint8Array(rows.capacity);
      for (const slot of partial!.writtenSlots) done[slot] = 1;
      kept = t.newRing();
      appendRows(rows, kept, done);
      t.retiredDrops += rows.dropped;
      rows.clear();
    }
    // The oldest rows first: past the bound, they are the ones dropped (counted by the ring).
    appendRows(t.filling, kept, undefined);
    t.filling.clear();
    t.spare = t.filling;
    t.filling = kept;
    const now = this.clock();
    t.waitingSince = now;
    const delay = t.backoff.next();
    t.streak++;
    t.retrying = true;
    t.retryAt = now + delay;
    if (this.outageSince < 0) {
      this.outageSince = now;
      this.outageFailures = 0;
    }
    this.outageFailures++;
    const heldBack = this.failureLog.admit('write_failed', now);
    if (heldBack >= 0) {
      this.onWarning({
        type: 'write_failed',
        kind: t.table.kind,
        rows: n - stored,
        error: error instanceof Error ? error.message : String(error),
        code: (error as { code?: string } | null)?.code,
        retryInMs: this.expired ? -1 : delay,
        heldBack,
      });
    }
  }

  private afterFlight(t: TableState): void {
    if (this.finalized) return;
    if (this.closed) {
      if (!this.expired && !t.retrying && t.filling.count > 0) this.startFlush(t);
      this.notify?.();
      return;
    }
    // Rows that arrived meanwhile may be due already.
    if (!t.retrying && flushDue(t.filling.count, t.waitingSince, this.clock(), this.policy))
      this.startFlush(t);
  }

  /** The last failing table wrote again: one line for the whole outage. */
  private endOutageIfOver(): void {
    if (this.outageSince < 0 || this.states.some((t) => t.streak > 0)) return;
    const now = this.clock();
    this.failureLog.takeHeld('write_failed');
    this.onWarning({
      type: 'write_recovered',
      failedAttempts: this.outageFailures,
      outageMs: now - this.outageSince,
    });
    this.outageSince = -1;
  }

  private warnDrops(t: TableState, now: number): void {
    const total = t.dropped;
    const delta = total - t.reportedDrops;
    if (delta <= 0) return;
    t.reportedDrops = total;
    t.lastWarnAt = now;
    this.onWarning({ type: 'dropped', kind: t.table.kind, dropped: delta, totalDropped: total });
  }

  private pidOfInstrument(instrument: Instrument): number {
    let pid = this.pidByInstrument.get(instrument);
    if (pid === undefined) {
      pid = this.pidOf(instrument.exchange, instrument.symbol, instrument.venueSymbol);
      this.pidByInstrument.set(instrument, pid);
    }
    return pid;
  }

  private pidOf(exchange: string, symbol: string, venueSymbol: string): number {
    let bySymbol = this.pidByName.get(exchange);
    if (!bySymbol) {
      bySymbol = new Map();
      this.pidByName.set(exchange, bySymbol);
    }
    let pid = bySymbol.get(symbol);
    if (pid === undefined) {
      pid = this.partitions.length;
      this.partitions.push({ exchange, symbol: pathSafeSymbol(symbol), venueSymbol });
      bySymbol.set(symbol, pid);
    } else if (venueSymbol && !this.partitions[pid]!.venueSymbol) {
      // First seen through an event (no venue spelling); a book or trade brings it.
      this.partitions[pid]!.venueSymbol = venueSymbol;
    }
    return pid;
  }
}

/**
 * Copy `from`'s rows (oldest first; those marked in `skip` by slot left out) to the newest end of
 * `to`, which drops its oldest rows past its bound. Only on a failed write, never per row recorded.
 */
function appendRows(from: RowRing, to: RowRing, skip: Uint8Array | undefined): void {
  const w = from.width;
  const cols = from.textColumns;
  const weighted = Number.isFinite(to.maxWeight);
  for (let i = 0; i < from.count; i++) {
    const s = from.index(i);
    if (skip?.[s] === 1) continue;
    let weight = 0;
    // A raw row's weight is its texts' length (as recorded: Recorder.raw).
    if (weighted) for (let c = 0; c < cols; c++) weight += from.text(s, c).length;
    const slot = to.push(weight);
    to.data.set(from.data.subarray(s * w, s * w + w), slot * w);
    for (let c = 0; c < cols; c++) to.setText(slot, c, from.text(s, c));
  }
}

/** Levels 0…n−1 of a side into a book row (4 numbers apart: bid and ask pairs interleave), NULLs to `depth`. */
function copySide(side: LevelsView, n: number, depth: number, d: Float64Array, at: number): void {
  let k = 0;
  if (side.copyLevels) {
    k = side.copyLevels(n, d, at, 4);
    at += k * 4;
  } else {
    for (; k < n; k++, at += 4) {
      d[at] = side.priceAt(k);
      d[at + 1] = side.sizeAt(k);
    }
  }
  for (; k < depth; k++, at += 4) {
    d[at] = Number.NaN;
    d[at + 1] = Number.NaN;
  }
}
