/**
 * The machinery every venue feed shares: instrument lookup (or inference), exact level writes,
 * counters, trust transitions and snapshot requests. A venue folder adds only what is its own:
 * wire parsing and the sequence rules.
 *
 * Trust rule (the map's correctness rule): a book becomes 'trusted' only through commitSnapshot;
 * any break (gap, checksum mismatch, rejected level inside a book message) makes it 'stale' and asks
 * for a new snapshot. Listeners see the trust state on every notification and must not trade on
 * anything but 'trusted'.
 */

import { LevelUpdate } from '../book/l2-book.ts';
import { LevelChanges } from '../book/level-changes.ts';
import type { BookTrust, Micros, Side } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import type { Instrument, InstrumentKind } from '../market/instrument.ts';
import type { InstrumentRegistry } from '../market/instrument-registry.ts';
import { parseVenueSymbol } from '../market/symbols.ts';
import { significantFractionDigits } from '../num/fraction-digits.ts';
import { parseDecimal, parseDecimalRange } from '../num/parse-decimal.ts';
import { MAX_SCALE } from '../num/pow10.ts';
import {
  type FeedCounters,
  type FeedListener,
  newCounters,
  type RejectReason,
  type SnapshotRequest,
} from './feed-types.ts';
import { SymbolBook } from './symbol-book.ts';

/** How a venue asks for a snapshot of `venueSymbol` (the book may not exist yet: no metadata before the first snapshot). */
export type SnapshotRequestFactory = (venueSymbol: string, symbol: string, reason: string) => SnapshotRequest;

/** For venues that re-send a book in-band when its channel is subscribed again (Kraken, Bybit, Coinbase). */
export function resubscribeRequests(exchange: ExchangeId): SnapshotRequestFactory {
  return (venueSymbol, symbol, reason) => ({ exchange, venueSymbol, symbol, method: 'resubscribe', reason });
}

/** Snapshots from a REST endpoint: `pathFor(venueSymbol)`, costing `weight` of the venue's rate limit. */
export function restRequests(
  exchange: ExchangeId,
  pathFor: (venueSymbol: string) => string,
  weight: number,
): SnapshotRequestFactory {
  return (venueSymbol, symbol, reason) => ({
    exchange,
    venueSymbol,
    symbol,
    method: 'rest',
    path: pathFor(venueSymbol),
    weight,
    reason,
  });
}

export interface FeedCoreOptions {
  exchange: ExchangeId;
  instruments: InstrumentRegistry;
  listener: FeedListener;
  /** How this venue re-obtains a snapshot. */
  requestFor: SnapshotRequestFactory;
  /** Instrument kind to assume for symbols without metadata (Bybit linear vs spot). */
  defaultKind?: InstrumentKind;
}

const DECIMAL_SHAPE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Why a wire decimal did not parse at `scale`: not a decimal, too many digits, or too large. */
function classify(text: string | undefined, scale: number): 'bad_decimal' | 'precision' | 'overflow' {
  if (text === undefined || !DECIMAL_SHAPE.test(text)) return 'bad_decimal';
  return significantFractionDigits(text) > scale ? 'precision' : 'overflow';
}

export class FeedCore {
  readonly exchange: ExchangeId;
  readonly counters: FeedCounters = newCounters();
  /** Changes applied by the message being processed. Reused; see LevelChanges. */
  readonly changes = new LevelChanges();
  readonly listener: FeedListener;
  readonly instruments: InstrumentRegistry;
  private readonly requestFor: SnapshotRequestFactory;
  private readonly defaultKind: InstrumentKind | undefined;
  private readonly bySymbol = new Map<string, SymbolBook>();
  /** Why the last level write failed (valid until the next write). */
  lastReject: RejectReason | undefined;

  constructor(options: FeedCoreOptions) {
    this.exchange = options.exchange;
    this.instruments = options.instruments;
    this.listener = options.listener;
    this.requestFor = options.requestFor;
    this.defaultKind = options.defaultKind;
  }

  books(): IterableIterator<SymbolBook> {
    return this.bySymbol.values();
  }

  /** The book for a venue symbol, if one exists. */
  book(venueSymbol: string): SymbolBook | undefined {
    return this.bySymbol.get(venueSymbol);
  }

  /**
   * The book for a venue symbol, created on first sight. Without metadata the instrument is inferred
   * from `prices`/`sizes` (wire strings); an inferred instrument is widened when they need more digits.
   * Undefined (and counted) when nothing is known and nothing can be inferred.
   */
  ensureBook(
    venueSymbol: string,
    prices?: readonly string[],
    sizes?: readonly string[],
  ): SymbolBook | undefined {
    let sb = this.bySymbol.get(venueSymbol);
    if (sb) {
      if (sb.instrument.source === 'inferred' && prices && sizes) this.widenToFit(sb, prices, sizes);
      return sb;
    }
    let instrument = this.instruments.get(this.exchange, venueSymbol);
    if (!instrument && prices && sizes && prices.length > 0) {
      instrument = this.instruments.infer(this.exchange, venueSymbol, prices, sizes, this.defaultKind);
    }
    if (!instrument) return undefined;
    sb = new SymbolBook(instrument);
    this.bySymbol.set(venueSymbol, sb);
    return sb;
  }

  private widenToFit(sb: SymbolBook, prices: readonly string[], sizes: readonly string[]): void {
    let p = sb.instrument.priceScale;
    let s = sb.instrument.sizeScale;
    for (const x of prices) p = Math.max(p, significantFractionDigits(x));
    for (const x of sizes) s = Math.max(s, significantFractionDigits(x));
    if (p !== sb.instrument.priceScale || s !== sb.instrument.sizeScale) {
      sb.instrument = this.instruments.widen(sb.instrument, Math.min(p, MAX_SCALE), Math.min(s, MAX_SCALE));
    }
  }

  /** Count a refused input; `book` gets it too when the input belonged to one. */
  reject(reason: RejectReason, detail: string, raw: string, book?: SymbolBook): void {
    this.counters.rejected++;
    this.counters.rejectedByReason[reason] = (this.counters.rejectedByReason[reason] ?? 0) + 1;
    if (book) {
      book.counters.rejected++;
      book.counters.rejectedByReason[reason] = (book.counters.rejectedByReason[reason] ?? 0) + 1;
    }
    this.listener.onReject?.(reason, detail, raw);
  }

  /** Parse a price wire string for `instrument`; NaN when not exact (see parseDecimal). */
  price(instrument: Instrument, text: string): number {
    return parseDecimal(text, instrument.priceScale);
  }

  size(instrument: Instrument, text: string): number {
    return parseDecimal(text, instrument.sizeScale);
  }

  /** Start a message that edits `sb` (clears the change buffer). */
  begin(sb: SymbolBook, snapshot: boolean): void {
    this.changes.reset();
    if (snapshot) sb.book.clear();
  }

  /** Write one level from wire strings. False (and lastReject set) when the strings are refused. */
  level(sb: SymbolBook, isBid: boolean, priceText: string, sizeText: string): boolean {
    const i = sb.instrument;
    return this.levelUnits(
      sb,
      isBid,
      parseDecimalRange(priceText, 0, priceText.length, i.priceScale),
      parseDecimalRange(sizeText, 0, sizeText.length, i.sizeScale),
      priceText,
      sizeText,
    );
  }

  /** Write one level from wire text ranges (hand-written scanners). */
  levelRange(
    sb: SymbolBook,
    isBid: boolean,
    text: string,
    priceStart: number,
    priceEnd: number,
    sizeStart: number,
    sizeEnd: number,
  ): boolean {
    const i = sb.instrument;
    const price = parseDecimalRange(text, priceStart, priceEnd, i.priceScale);
    const size = parseDecimalRange(text, sizeStart, sizeEnd, i.sizeScale);
    if (size >= 0 && price > 0) {
      return this.apply(sb, isBid, price, size);
    }
    return this.levelUnits(
      sb,
      isBid,
      price,
      size,
      text.slice(priceStart, priceEnd),
      text.slice(sizeStart, sizeEnd),
    );
  }

  /** Write one already-parsed level; the texts (when given) make rejections precise. */
  levelUnits(
    sb: SymbolBook,
    isBid: boolean,
    price: number,
    size: number,
    priceText?: string,
    sizeText?: string,
  ): boolean {
    if (Number.isNaN(price) || Number.isNaN(size)) {
      const pc = Number.isNaN(price) ? classify(priceText, sb.instrument.priceScale) : 'ok';
      const sc = Number.isNaN(size) ? classify(sizeText, sb.instrument.sizeScale) : 'ok';
      const tooFine = pc === 'precision' || sc === 'precision';
      this.lastReject =
        pc === 'bad_decimal' || sc === 'bad_decimal' ? 'bad_decimal' : tooFine ? 'precision' : 'overflow';
      if (
        tooFine &&
        sb.instrument.source === 'inferred' &&
        priceText !== undefined &&
        sizeText !== undefined
      ) {
        // Our guess of the tick was too coarse: widen now, the rebuild from the next snapshot uses it.
        this.widenToFit(sb, [priceText], [sizeText]);
      }
      return false;
    }
    if (size < 0) {
      this.lastReject = 'negative_size';
      return false;
    }
    if (price <= 0) {
      this.lastReject = 'bad_decimal';
      return false;
    }
    return this.apply(sb, isBid, price, size);
  }

  private apply(sb: SymbolBook, isBid: boolean, price: number, size: number): boolean {
    const r = sb.book.set(isBid, price, size);
    if (r === LevelUpdate.Rejected) {
      this.lastReject = 'bad_decimal';
      return false;
    }
    // Counters are added per message (commit*), not per level.
    this.changes.push(isBid, price, size);
    return true;
  }

  /** A snapshot has been written: the book is trusted from here on. */
  commitSnapshot(sb: SymbolBook, sequence: number, exchangeTs: Micros, localTs: Micros): void {
    this.countLevels(sb);
    this.counters.snapshots++;
    sb.counters.snapshots++;
    if (sb.everTrusted && sb.trust !== 'trusted') {
      this.counters.resyncs++;
      sb.counters.resyncs++;
    }
    sb.sequence = sequence;
    sb.exchangeTs = exchangeTs;
    sb.localTs = localTs;
    sb.everTrusted = true;
    this.setTrust(sb, 'trusted', 'snapshot applied', localTs);
    this.notifyCrossed(sb);
    const l = this.listener;
    if (l.onEvent) {
      const { bids, asks } = sb.book.snapshot();
      l.onEvent({
        type: 'book_snapshot',
        exchange: this.exchange,
        symbol: sb.symbol,
        exchangeTs,
        localTs,
        sequence: Number.isNaN(sequence) ? null : sequence,
        bids,
        asks,
      });
    }
    l.onBook?.(sb, this.changes);
  }

  /** An update has been written. */
  commitUpdate(sb: SymbolBook, sequence: number, exchangeTs: Micros, localTs: Micros): void {
    this.countLevels(sb);
    sb.sequence = sequence;
    if (exchangeTs > 0) sb.exchangeTs = exchangeTs;
    sb.localTs = localTs;
    this.notifyCrossed(sb);
    this.listener.onBook?.(sb, this.changes);
  }

  private countLevels(sb: SymbolBook): void {
    const n = this.changes.count;
    this.counters.levelChanges += n;
    sb.counters.levelChanges += n;
  }

  private notifyCrossed(sb: SymbolBook): void {
    if (sb.book.isCrossed()) {
      this.counters.crossed++;
      sb.counters.crossed++;
    }
  }

  /** Record a sequence break. */
  gap(sb: SymbolBook, detail: string, localTs: Micros): void {
    this.counters.gaps++;
    sb.counters.gaps++;
    this.markStale(sb, `gap: ${detail}`, localTs);
  }

  /** Record a checksum result; a mismatch makes the book stale. */
  checksum(sb: SymbolBook, ok: boolean, localTs: Micros, detail = ''): void {
    if (ok) {
      this.counters.checksumsVerified++;
      sb.counters.checksumsVerified++;
      return;
    }
    this.counters.checksumsFailed++;
    sb.counters.checksumsFailed++;
    this.markStale(sb, `checksum mismatch${detail ? `: ${detail}` : ''}`, localTs);
  }

  /** A book message could not be applied whole: count the rejection and rebuild the book. */
  abort(sb: SymbolBook, raw: string, localTs: Micros): void {
    this.countLevels(sb);
    this.changes.reset();
    const reason = this.lastReject ?? 'malformed';
    this.reject(reason, `${sb.venueSymbol}: book message refused (${reason})`, raw, sb);
    this.markStale(sb, `refused message (${reason})`, localTs);
  }

  /** Stop trusting the book and ask for a snapshot (once per stale episode). */
  markStale(sb: SymbolBook, reason: string, localTs: Micros): void {
    if (sb.trust === 'stale' || sb.trust === 'resyncing') return;
    const wasWaiting = sb.trust === 'awaiting_snapshot';
    this.setTrust(sb, 'stale', reason, localTs);
    if (!wasWaiting) this.requestSnapshot(sb, reason, localTs);
  }

  /** Ask the caller for a snapshot; the book shows 'resyncing' until it arrives. */
  requestSnapshot(sb: SymbolBook, reason: string, localTs: Micros): void {
    if (sb.trust === 'trusted') this.setTrust(sb, 'stale', reason, localTs);
    this.setTrust(sb, sb.everTrusted ? 'resyncing' : 'awaiting_snapshot', reason, localTs);
    this.listener.onSnapshotRequest?.(this.requestFor(sb.venueSymbol, sb.symbol, reason));
  }

  /** Ask for a snapshot of a symbol that has no book yet. */
  requestFirstSnapshot(venueSymbol: string, reason: string): void {
    const known = this.instruments.get(this.exchange, venueSymbol);
    const symbol =
      known?.symbol ?? parseVenueSymbol(this.exchange, venueSymbol, this.defaultKind)?.symbol ?? venueSymbol;
    this.listener.onSnapshotRequest?.(this.requestFor(venueSymbol, symbol, reason));
  }

  /** Every book becomes stale (disconnect). */
  staleAll(reason: string, localTs: Micros): void {
    for (const sb of this.bySymbol.values()) {
      if (sb.trust === 'trusted') this.setTrust(sb, 'stale', reason, localTs);
    }
  }

  setTrust(sb: SymbolBook, trust: BookTrust, reason: string, localTs: Micros): void {
    if (sb.trust === trust) return;
    sb.trust = trust;
    this.listener.onEvent?.({
      type: 'book_state',
      exchange: this.exchange,
      symbol: sb.symbol,
      exchangeTs: sb.exchangeTs,
      localTs,
      state: trust,
      reason,
    });
  }

  /**
   * Normalize and emit a trade. Instruments without metadata are inferred from the trade's strings.
   * Returns false (counted) when the trade is refused.
   */
  trade(
    venueSymbol: string,
    tradeId: string,
    priceText: string,
    sizeText: string,
    side: Side | 'unknown',
    exchangeTs: Micros,
    localTs: Micros,
    raw: string,
  ): boolean {
    const sb = this.bySymbol.get(venueSymbol) ?? this.ensureBook(venueSymbol, [priceText], [sizeText]);
    if (!sb) {
      this.reject('unknown_symbol', `trade for unknown symbol ${venueSymbol}`, raw);
      return false;
    }
    let price = parseDecimal(priceText, sb.instrument.priceScale);
    let size = parseDecimal(sizeText, sb.instrument.sizeScale);
    if ((Number.isNaN(price) || Number.isNaN(size)) && sb.instrument.source === 'inferred') {
      // A finer trade than the inferred tick: widen, and rebuild the book held at the old scale.
      const before = sb.instrument;
      this.widenToFit(sb, [priceText], [sizeText]);
      if (sb.instrument !== before) {
        if (sb.book.bids.count + sb.book.asks.count > 0)
          this.markStale(sb, 'instrument scale widened', localTs);
        price = parseDecimal(priceText, sb.instrument.priceScale);
        size = parseDecimal(sizeText, sb.instrument.sizeScale);
      }
    }
    if (!(price > 0) || !(size >= 0)) {
      const reason: RejectReason = size < 0 ? 'negative_size' : 'bad_decimal';
      this.reject(reason, `${venueSymbol}: trade ${tradeId} price=${priceText} size=${sizeText}`, raw, sb);
      return false;
    }
    this.counters.trades++;
    sb.counters.trades++;
    this.listener.onTrade?.({
      type: 'trade',
      exchange: this.exchange,
      symbol: sb.symbol,
      exchangeTs,
      localTs,
      tradeId,
      price,
      size,
      side,
    });
    return true;
  }
}
