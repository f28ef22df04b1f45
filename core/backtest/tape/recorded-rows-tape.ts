/**
 * Build a tape from a recording's book and trade rows, for recordings without raw venue frames
 * (history brought in by `cli import`: Tardis CSV, Binance public data).
 *
 * A stored book row is the book's top levels after one update (core/recording/recording-tables.ts,
 * written by the import's L2 book or the live recorder), exact integer units. What goes on the tape:
 * - the first row of a symbol (and the first after the recorder session changes: the book between
 *   two imports is unknown) becomes Clear + Snapshot rows — each symbol starts at a whole book;
 * - every later row becomes the Depth rows that turn the previous row's levels into this row's (a
 *   level gone from the stored top becomes size 0), the last with EOM, so the tape's book is exactly
 *   the stored top of book after every row and queue positions survive unchanged levels;
 * - trades (aggressor side in the flags) once their symbol has a book; earlier ones are counted and
 *   dropped, since nothing could fill against them.
 * Times: receive time from `local_ts`, exchange time from `exchange_ts`, put on the receive clock per
 * venue as for captures (clock-skew.ts). Filters as the capture builder: [from, to) on receive time
 * (books as they stand at `from` open the window as snapshots) and symbols.
 *
 * Design decision: a diff per row rather than a Clear + Snapshot per row. Both give the same book;
 * a Clear resets every simulated queue position, which would make a resting order's place in the
 * queue meaningless on data that has one row per update.
 */
import type { Micros } from '../../market/events.ts';
import type { ExchangeId } from '../../market/exchange.ts';
import type { Instrument } from '../../market/instrument.ts';
import { type FeedCounters, newCounters } from '../../venues/feed-types.ts';
import type { TapeBuildReport } from './capture-tape.ts';
import { type ClockSkewOptions, correctClock } from './clock-skew.ts';
import { EventFlag, EventKind } from './event-kind.ts';
import { mergeSources, type SourceRows } from './merge-sources.ts';
import { symbolFilter } from './symbol-filter.ts';
import type { Tape } from './tape.ts';
import { TapeWriter } from './tape-writer.ts';

export interface RecordedRowsOptions extends ClockSkewOptions {
  /** Keep rows with receive time ≥ from (µs). */
  readonly from?: Micros;
  /** Keep rows with receive time < to (µs). */
  readonly to?: Micros;
  /** Keep only these symbols (unified, venue, or "exchange:symbol"); all when absent or empty. */
  readonly symbols?: readonly string[];
  /** The report's name for a venue's rows (default "recorded rows <exchange>"). */
  readonly sourceName?: (exchange: ExchangeId) => string;
}

/** The levels of one stored book row, best first on each side, in the instrument's units. */
export interface BookRowLevels {
  readonly bidPrice: ArrayLike<number>;
  readonly bidSize: ArrayLike<number>;
  readonly bidCount: number;
  readonly askPrice: ArrayLike<number>;
  readonly askSize: ArrayLike<number>;
  readonly askCount: number;
}

export type RecordedTradeSide = 'buy' | 'sell' | 'unknown';

export interface RecordedRowsReport extends TapeBuildReport {
  /** Trades of a symbol before its first book row (or of a symbol with none): not on the tape. */
  readonly tradesBeforeBook: number;
}

interface SymbolState {
  readonly instrument: Instrument;
  readonly source: VenueRows;
  readonly local: number;
  readonly wanted: boolean;
  session: number;
  /** On the tape since its opening snapshot. */
  opened: boolean;
  /** A book row was seen (before the window too). */
  hasBook: boolean;
  exchangeTs: number;
  bids: Map<number, number>;
  asks: Map<number, number>;
  spare: Map<number, number>;
}

interface VenueRows {
  readonly exchange: ExchangeId;
  readonly writer: TapeWriter;
  readonly instruments: Instrument[];
  readonly counters: FeedCounters;
}

export class RecordedRowsTape {
  private readonly venues = new Map<ExchangeId, VenueRows>();
  private readonly symbols = new Map<string, SymbolState>();
  private readonly wanted: (i: Instrument) => boolean;
  private readonly from: number;
  private readonly to: number;
  private writing: boolean;
  private lastTs = Number.NEGATIVE_INFINITY;
  private tradesBeforeBook = 0;

  constructor(private readonly options: RecordedRowsOptions = {}) {
    this.wanted = symbolFilter(options.symbols);
    this.from = options.from ?? Number.NEGATIVE_INFINITY;
    this.to = options.to ?? Number.POSITIVE_INFINITY;
    this.writing = !(this.from > Number.NEGATIVE_INFINITY);
  }

  /** One stored book row. Rows of all symbols must come in receive-time order; `session` is rec_session. */
  book(
    instrument: Instrument,
    session: number,
    localTs: Micros,
    exchangeTs: Micros,
    levels: BookRowLevels,
  ): void {
    const s = this.accept(instrument, localTs);
    if (!s) return;
    s.source.counters.messages++;
    const x = exchangeTs > 0 ? exchangeTs : Number.NaN;
    const whole = !s.opened || s.session !== session;
    s.session = session;
    s.exchangeTs = x;
    s.hasBook = true;
    const emit = this.writing && s.opened && !whole;
    const w = s.source.writer;
    const before = w.length;
    const bidChanges = this.replaceSide(
      s,
      true,
      levels.bidPrice,
      levels.bidSize,
      levels.bidCount,
      emit,
      localTs,
    );
    const askChanges = this.replaceSide(
      s,
      false,
      levels.askPrice,
      levels.askSize,
      levels.askCount,
      emit,
      localTs,
    );
    s.source.counters.levelChanges += bidChanges + askChanges;
    if (levels.bidCount > 0 && levels.askCount > 0 && levels.bidPrice[0]! >= levels.askPrice[0]!)
      s.source.counters.crossed++;
    if (!this.writing) return;
    if (whole) this.writeSnapshot(s, localTs);
    else if (w.length > before) w.flagLast(EventFlag.Eom);
  }

  /** One stored trade, price and size in the instrument's units. */
  trade(
    instrument: Instrument,
    localTs: Micros,
    exchangeTs: Micros,
    side: RecordedTradeSide,
    price: number,
    size: number,
  ): void {
    const s = this.accept(instrument, localTs);
    if (!s) return;
    s.source.counters.messages++;
    s.source.counters.trades++;
    if (!this.writing) return;
    if (!s.opened) {
      this.tradesBeforeBook++;
      return;
    }
    const flags = (side === 'buy' ? EventFlag.Buy : side === 'sell' ? EventFlag.Sell : 0) | EventFlag.Eom;
    s.source.writer.push(
      EventKind.Trade,
      flags,
      s.local,
      exchangeTs > 0 ? exchangeTs : Number.NaN,
      localTs,
      price,
      size,
    );
  }

  finish(): { tape: Tape; report: RecordedRowsReport } {
    const name = this.options.sourceName ?? ((e: ExchangeId) => `recorded rows ${e}`);
    const built: SourceRows[] = [];
    for (const v of this.venues.values()) {
      const correction = correctClock(v.writer, 0, v.writer.length, this.options);
      built.push({
        name: name(v.exchange),
        exchange: v.exchange,
        writer: v.writer,
        instruments: v.instruments,
        correction,
      });
    }
    return {
      tape: mergeSources(built),
      report: {
        feeds: built.map((b) => ({ name: b.name, counters: this.venues.get(b.exchange)!.counters })),
        staleClears: 0,
        tradesBeforeBook: this.tradesBeforeBook,
      },
    };
  }

  /** The symbol's state when the row is to be read; undefined (counted where it is a fault) otherwise. */
  private accept(instrument: Instrument, localTs: Micros): SymbolState | undefined {
    const s = this.state(instrument);
    if (!s.wanted || !(localTs < this.to)) return undefined;
    if (!(localTs >= this.lastTs)) {
      const c = s.source.counters;
      c.rejected++;
      c.rejectedByReason.out_of_order = (c.rejectedByReason.out_of_order ?? 0) + 1;
      return undefined;
    }
    this.lastTs = localTs;
    if (!this.writing && localTs >= this.from) this.openWindow();
    return s;
  }

  /** The window starts: every book as it stands becomes a snapshot at `from`. */
  private openWindow(): void {
    this.writing = true;
    for (const s of this.symbols.values()) if (s.wanted && s.hasBook) this.writeSnapshot(s, this.from);
  }

  private writeSnapshot(s: SymbolState, t: Micros): void {
    const w = s.source.writer;
    const x = s.exchangeTs;
    w.push(EventKind.Clear, 0, s.local, x, t, 0, 0);
    for (const [p, q] of s.bids) w.push(EventKind.Snapshot, EventFlag.Bid, s.local, x, t, p, q);
    for (const [p, q] of s.asks) w.push(EventKind.Snapshot, 0, s.local, x, t, p, q);
    w.flagLast(EventFlag.Eom);
    s.opened = true;
    s.source.counters.snapshots++;
  }

  /** Make `prices/sizes` the side's levels; with `emit`, write a Depth row per level that changed. */
  private replaceSide(
    s: SymbolState,
    bid: boolean,
    prices: ArrayLike<number>,
    sizes: ArrayLike<number>,
    count: number,
    emit: boolean,
    t: Micros,
  ): number {
    const prev = bid ? s.bids : s.asks;
    const next = s.spare;
    next.clear();
    const w = s.source.writer;
    const flag = bid ? EventFlag.Bid : 0;
    let changes = 0;
    for (let k = 0; k < count; k++) {
      const p = prices[k]!;
      const q = sizes[k]!;
      next.set(p, q);
      if (prev.get(p) !== q) {
        changes++;
        if (emit) w.push(EventKind.Depth, flag, s.local, s.exchangeTs, t, p, q);
      }
    }
    for (const p of prev.keys()) {
      if (next.has(p)) continue;
      changes++;
      if (emit) w.push(EventKind.Depth, flag, s.local, s.exchangeTs, t, p, 0);
    }
    s.spare = prev;
    if (bid) s.bids = next;
    else s.asks = next;
    return changes;
  }

  private state(instrument: Instrument): SymbolState {
    const key = `${instrument.exchange}|${instrument.venueSymbol}`;
    let s = this.symbols.get(key);
    if (s) return s;
    let v = this.venues.get(instrument.exchange);
    if (!v) {
      v = {
        exchange: instrument.exchange,
        writer: new TapeWriter(1 << 12),
        instruments: [],
        counters: newCounters(),
      };
      this.venues.set(instrument.exchange, v);
    }
    s = {
      instrument,
      source: v,
      local: v.instruments.length,
      wanted: this.wanted(instrument),
      session: Number.NaN,
      opened: false,
      hasBook: false,
      exchangeTs: Number.NaN,
      bids: new Map(),
      asks: new Map(),
      spare: new Map(),
    };
    v.instruments.push(instrument);
    this.symbols.set(key, s);
    return s;
  }
}
