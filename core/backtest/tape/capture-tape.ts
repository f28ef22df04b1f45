/**
 * Build a tape from recorded captures by running the real venue feeds over them: the tape holds
 * exactly what a live strategy would have been shown, book sync rules included.
 *
 * What goes on the tape (per capture, then merged across captures by receive time):
 * - book output only while the book is TRUSTED: a snapshot becomes Clear + Snapshot rows, an update
 *   Depth rows, one row per changed level, the last with EOM;
 * - a book going stale (gap, checksum, disconnect) becomes a Clear row, so the simulator never
 *   matches against a book the venue feed itself does not believe;
 * - trades (aggressor side in the flags), order-level events (trusted books only) and derivative
 *   tickers (funding rate, mark price).
 * Rows are stamped with the receive time of the capture record being replayed (diffs a feed
 * buffered until its snapshot arrived become visible when the snapshot does, as live).
 *
 * Filters: [from, to) on receive time — the feed still sees everything before `from`, and the tape
 * opens with a snapshot of every trusted book at `from`; symbols by unified or venue name
 * ("BTC/USDT", "BTCUSDT", "binance-futures:BTCUSDT").
 */

import type { LevelChanges } from '../../book/level-changes.ts';
import type { CaptureRecord } from '../../capture/capture-record.ts';
import { replayCapture } from '../../capture/replay-capture.ts';
import type { MarketEvent, Micros, TradeEvent } from '../../market/events.ts';
import type { ExchangeId } from '../../market/exchange.ts';
import type { Instrument } from '../../market/instrument.ts';
import { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { createFeed } from '../../venues/create-feed.ts';
import type { FeedCounters, VenueFeed } from '../../venues/feed-types.ts';
import type { SymbolBook } from '../../venues/symbol-book.ts';
import { type ClockSkewOptions, correctClock } from './clock-skew.ts';
import { EventFlag, EventKind } from './event-kind.ts';
import { mergeSources, type SourceRows } from './merge-sources.ts';
import { symbolFilter } from './symbol-filter.ts';
import type { Tape } from './tape.ts';
import { TapeWriter } from './tape-writer.ts';

/** A capture's identity: what its feed is built from. */
export interface CaptureSourceInfo {
  /** A label for reports (the file path). */
  readonly name: string;
  readonly exchange: ExchangeId;
  /** Protocol variant (core/venues/create-feed.ts `variantOfUrl`). */
  readonly variant?: string;
}

export interface CaptureSource extends CaptureSourceInfo {
  /** Records in receive-time order (local/capture/read-capture.ts `readCapture(path).records`). */
  readonly records: readonly CaptureRecord[];
}

export interface TapeBuildOptions extends ClockSkewOptions {
  /** Instrument metadata (config + reference data); unknown symbols are inferred by the feeds. */
  readonly instruments?: InstrumentRegistry | Iterable<Instrument>;
  /** Keep rows with receive time ≥ from (µs). */
  readonly from?: Micros;
  /** Keep rows with receive time < to (µs). */
  readonly to?: Micros;
  /** Keep only these symbols (unified, venue, or "exchange:symbol"); all when absent or empty. */
  readonly symbols?: readonly string[];
}

/** What a build saw besides the rows (for logs and tests). */
export interface TapeBuildReport {
  readonly feeds: ReadonlyArray<{ readonly name: string; readonly counters: FeedCounters }>;
  /** Clear rows written because a book went stale. */
  readonly staleClears: number;
}

export function buildTape(sources: readonly CaptureSource[], options: TapeBuildOptions = {}): Tape {
  return buildTapeWithReport(sources, options).tape;
}

export function buildTapeWithReport(
  sources: readonly CaptureSource[],
  options: TapeBuildOptions = {},
): { tape: Tape; report: TapeBuildReport } {
  const builder = new CaptureTapeBuilder(options);
  for (const source of sources) {
    builder.begin(source);
    builder.replay(source.records);
  }
  return builder.finish();
}

/**
 * The same build, fed one source at a time in record batches, so a capture never has to be held
 * whole (a day of one venue is gigabytes of JSON): `begin` a source, `replay` its batches in
 * receive-time order, then the next source; `finish` merges them. Batches of one source replay
 * exactly as one array would, given the stream's symbol for single-symbol captures
 * (core/capture/replay-capture.ts `singleSymbolOf` over the first records).
 */
export class CaptureTapeBuilder {
  private readonly registry: InstrumentRegistry;
  private readonly l3Ids = new Map<string, number>();
  private readonly built: SourceRows[] = [];
  private readonly feeds: Array<{ name: string; counters: FeedCounters }> = [];
  private staleClears = 0;
  private current: SourceBuilder | undefined;
  private streamSymbol: string | undefined;

  constructor(private readonly options: TapeBuildOptions = {}) {
    this.registry =
      options.instruments instanceof InstrumentRegistry
        ? options.instruments
        : new InstrumentRegistry(options.instruments ?? []);
  }

  /** Start the next source (the previous one is complete). */
  begin(source: CaptureSourceInfo, streamSymbol?: string): void {
    this.end();
    this.current = new SourceBuilder(source, this.registry, this.options, this.l3Ids);
    this.streamSymbol = streamSymbol;
  }

  /** The current source's next records, in receive-time order. */
  replay(records: readonly CaptureRecord[]): void {
    if (!this.current) throw new Error('CaptureTapeBuilder.replay before begin');
    this.current.replay(records, this.streamSymbol);
  }

  finish(): { tape: Tape; report: TapeBuildReport } {
    this.end();
    return {
      tape: mergeSources(this.built),
      report: { feeds: this.feeds, staleClears: this.staleClears },
    };
  }

  private end(): void {
    const b = this.current;
    if (!b) return;
    this.current = undefined;
    this.staleClears += b.staleClears;
    this.feeds.push({ name: b.source.name, counters: b.counters() });
    const correction = correctClock(b.writer, 0, b.writer.length, this.options);
    this.built.push({
      name: b.source.name,
      exchange: b.source.exchange,
      writer: b.writer,
      instruments: b.instruments,
      correction,
    });
  }
}

/** Replays one capture through its venue feed and writes the tape rows. */
class SourceBuilder {
  readonly writer = new TapeWriter(1 << 16);
  /** Local instrument table (index = tape inst within this source). */
  readonly instruments: Instrument[] = [];
  staleClears = 0;
  private readonly feed: VenueFeed;
  private readonly bySymbol = new Map<string, number>();
  private readonly books = new Map<string, SymbolBook>();
  private readonly included: boolean[] = [];
  private readonly trusted: boolean[] = [];
  private readonly pendingSnapshot: boolean[] = [];
  private readonly wanted: (i: Instrument) => boolean;
  private readonly from: number;
  private readonly to: number;
  private clock = 0;
  private writing: boolean;

  private readonly clocked: VenueFeed;

  constructor(
    readonly source: CaptureSourceInfo,
    registry: InstrumentRegistry,
    options: TapeBuildOptions,
    private readonly l3Ids: Map<string, number>,
  ) {
    this.wanted = symbolFilter(options.symbols);
    this.from = options.from ?? Number.NEGATIVE_INFINITY;
    this.to = options.to ?? Number.POSITIVE_INFINITY;
    this.writing = !(this.from > Number.NEGATIVE_INFINITY);
    this.feed = createFeed({
      exchange: source.exchange,
      instruments: registry,
      ...(source.variant !== undefined ? { variant: source.variant } : {}),
      listener: {
        onBook: (sb, changes) => this.onBook(sb, changes),
        onTrade: (t) => this.onTrade(t),
        onEvent: (e) => this.onEvent(e),
      },
    });
    this.clocked = this.clockedFeed();
  }

  counters(): FeedCounters {
    return this.feed.counters;
  }

  replay(records: readonly CaptureRecord[], streamSymbol: string | undefined): void {
    replayCapture(records, this.clocked, streamSymbol);
  }

  /** The feed as the replay drives it: every row stamped with its record's time, the window applied. */
  private clockedFeed(): VenueFeed {
    const inner = this.feed;
    return {
      exchange: inner.exchange,
      counters: inner.counters,
      books: () => inner.books(),
      onMessage: (raw, ts) => {
        if (this.tick(ts)) inner.onMessage(raw, ts);
      },
      onSnapshot: (sym, body, ts) => {
        if (this.tick(ts)) inner.onSnapshot(sym, body, ts);
      },
      onDisconnect: (ts) => {
        if (this.tick(ts)) inner.onDisconnect(ts);
      },
    };
  }

  /** Advance the clock; false when the record is past the window. */
  private tick(ts: Micros): boolean {
    if (ts >= this.to) return false;
    if (!this.writing && ts >= this.from) {
      // The book as it stands after everything before `from` is the window's opening state.
      this.clock = Math.max(this.clock, this.from);
      this.writing = true;
      this.openingSnapshots();
    }
    if (ts > this.clock) this.clock = ts;
    return true;
  }

  /** The window starts: every trusted book as it stands becomes a snapshot. */
  private openingSnapshots(): void {
    for (const sb of this.feed.books()) {
      const idx = this.index(sb.instrument);
      if (!this.included[idx] || !this.trusted[idx]) continue;
      const w = this.writer;
      const t = this.clock;
      const x = sb.exchangeTs > 0 ? sb.exchangeTs : Number.NaN;
      w.push(EventKind.Clear, 0, idx, x, t, 0, 0);
      const b = sb.book;
      for (let i = 0; i < b.bids.count; i++)
        w.push(EventKind.Snapshot, EventFlag.Bid, idx, x, t, b.bids.priceAt(i), b.bids.sizeAt(i));
      for (let i = 0; i < b.asks.count; i++)
        w.push(EventKind.Snapshot, 0, idx, x, t, b.asks.priceAt(i), b.asks.sizeAt(i));
      w.flagLast(EventFlag.Eom);
    }
  }

  private index(instrument: Instrument): number {
    const key = instrument.symbol;
    let idx = this.bySymbol.get(key);
    if (idx === undefined) {
      idx = this.instruments.length;
      this.instruments.push(instrument);
      this.bySymbol.set(key, idx);
      this.included.push(this.wanted(instrument));
      this.trusted.push(false);
      this.pendingSnapshot.push(false);
    } else if (this.instruments[idx] !== instrument) {
      this.adopt(idx, instrument);
    }
    return idx;
  }

  /** An inferred instrument was widened by the feed: rescale the rows already written. */
  private adopt(idx: number, next: Instrument): void {
    const prev = this.instruments[idx]!;
    this.instruments[idx] = next;
    const dp = next.priceScale - prev.priceScale;
    const ds = next.sizeScale - prev.sizeScale;
    if (dp === 0 && ds === 0) return;
    rescaleRows(this.writer, 0, this.writer.length, idx, dp, ds);
  }

  private indexOfSymbol(symbol: string): number {
    const sb = this.bookOf(symbol);
    return sb ? this.index(sb.instrument) : -1;
  }

  private bookOf(symbol: string): SymbolBook | undefined {
    let sb = this.books.get(symbol);
    if (sb) return sb;
    for (const b of this.feed.books()) if (b.symbol === symbol) sb = b;
    if (sb) this.books.set(symbol, sb);
    return sb;
  }

  private onEvent(e: MarketEvent): void {
    switch (e.type) {
      case 'book_state': {
        const idx = this.indexOfSymbol(e.symbol);
        if (idx < 0) return;
        const was = this.trusted[idx]!;
        this.trusted[idx] = e.state === 'trusted';
        if (was && e.state !== 'trusted' && this.writing && this.included[idx]) {
          this.writer.push(EventKind.Clear, EventFlag.Eom, idx, Number.NaN, this.clock, 0, 0);
          this.staleClears++;
        }
        return;
      }
      case 'book_snapshot': {
        const idx = this.indexOfSymbol(e.symbol);
        if (idx >= 0) this.pendingSnapshot[idx] = true;
        return;
      }
      case 'derivative_ticker': {
        const idx = this.indexOfSymbol(e.symbol);
        if (idx < 0 || !this.writing || !this.included[idx]) return;
        this.writer.push(
          EventKind.Funding,
          EventFlag.Eom,
          idx,
          e.exchangeTs > 0 ? e.exchangeTs : Number.NaN,
          this.clock,
          e.markPrice ?? Number.NaN,
          e.fundingRate ?? Number.NaN,
          e.nextFundingTs ?? Number.NaN,
        );
        return;
      }
      case 'l3_order': {
        const idx = this.indexOfSymbol(e.symbol);
        if (idx < 0 || !this.writing || !this.included[idx] || !this.trusted[idx]) return;
        const kind =
          e.action === 'open'
            ? EventKind.L3Add
            : e.action === 'done'
              ? EventKind.L3Cancel
              : e.action === 'match'
                ? EventKind.L3Fill
                : e.action === 'change'
                  ? EventKind.L3Modify
                  : 0;
        if (kind === 0) return;
        let id = this.l3Ids.get(e.orderId);
        if (id === undefined) {
          id = this.l3Ids.size + 1;
          this.l3Ids.set(e.orderId, id);
        }
        const flags = (e.side === 'buy' ? EventFlag.Bid : 0) | EventFlag.Eom;
        const x = e.exchangeTs > 0 ? e.exchangeTs : Number.NaN;
        this.writer.push(kind, flags, idx, x, this.clock, e.price, e.size, id);
        return;
      }
      default:
        return;
    }
  }

  private onBook(sb: SymbolBook, changes: LevelChanges): void {
    const idx = this.index(sb.instrument);
    if (!sb.trusted) return;
    this.trusted[idx] = true;
    const snapshot = this.pendingSnapshot[idx]!;
    this.pendingSnapshot[idx] = false;
    if (!this.writing || !this.included[idx]) return;
    const w = this.writer;
    const t = this.clock;
    const x = sb.exchangeTs > 0 ? sb.exchangeTs : Number.NaN;
    const before = w.length;
    if (snapshot) w.push(EventKind.Clear, 0, idx, x, t, 0, 0);
    const kind = snapshot ? EventKind.Snapshot : EventKind.Depth;
    for (let i = 0; i < changes.count; i++) {
      w.push(kind, changes.sideAt(i) ? EventFlag.Bid : 0, idx, x, t, changes.priceAt(i), changes.sizeAt(i));
    }
    if (w.length > before) w.flagLast(EventFlag.Eom);
  }

  private onTrade(trade: TradeEvent): void {
    const sb = this.bookOf(trade.symbol);
    if (!sb) return;
    const idx = this.index(sb.instrument);
    if (!this.writing || !this.included[idx]) return;
    const flags =
      (trade.side === 'buy' ? EventFlag.Buy : trade.side === 'sell' ? EventFlag.Sell : 0) | EventFlag.Eom;
    const x = trade.exchangeTs > 0 ? trade.exchangeTs : Number.NaN;
    this.writer.push(EventKind.Trade, flags, idx, x, this.clock, trade.price, trade.size);
  }
}

/** Multiply prices/sizes of `inst`'s rows by 10^dp / 10^ds (funding rows: the rate is not a size). */
export function rescaleRows(
  w: TapeWriter,
  start: number,
  end: number,
  inst: number,
  dp: number,
  ds: number,
): void {
  const fp = 10 ** dp;
  const fs = 10 ** ds;
  for (let r = start; r < end; r++) {
    if (w.inst[r] !== inst) continue;
    w.price[r] = w.price[r]! * fp;
    if (w.kind[r] !== EventKind.Funding) w.size[r] = w.size[r]! * fs;
  }
}
