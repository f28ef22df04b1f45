/**
 * The machinery every venue feed shares: instrument lookup (or inference), exact level writes,
 * counters, trust transitions and snapshot requests. A venue folder adds only what is its own:
 * wire parsing and the sequence rules.
 *
 * Trust rule (the map's correctness rule): a book becomes 'trusted' only through commitSnapshot;
 * any break (gap, checksum mismatch, rejected level inside a book message, a book crossed after a
 * whole message, a run of "already applied" diffs too long to be honest) makes it 'stale' and asks
 * for a new snapshot. Listeners see the trust state on every notification and must not trade on
 * anything but 'trusted'.
 *
 * Wire numbers: only the forms venues send are read ("123", "0.5", "61837.63000000"; exponents
 * only where the venue writes JSON numbers). "-0", "+1", "01.5", ".5", "5." and exponents
 * elsewhere are refused as 'bad_number_form': every venue's real captures are free of them, and
 * a reader that accepted them would silently agree with a corrupted frame.
 */

import { LevelUpdate } from '../book/l2-book.ts';
import { LevelChanges } from '../book/level-changes.ts';
import type { BookTrust, Micros, Side } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import type { Instrument, InstrumentKind } from '../market/instrument.ts';
import type { InstrumentRegistry } from '../market/instrument-registry.ts';
import { parseVenueSymbol } from '../market/symbols.ts';
import { significantFractionDigits } from '../num/fraction-digits.ts';
import { parseDecimalRange } from '../num/parse-decimal.ts';
import { MAX_SCALE } from '../num/pow10.ts';
import { describeValue } from './describe-frame.ts';
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
  /** The venue writes prices and sizes as JSON numbers, which serializers put in exponent form ("1E-8"). */
  exponentNumbers?: boolean;
}

/**
 * Diffs in a row a trusted book may skip as already applied (outside the drain of the diffs
 * buffered before its snapshot) before its sequence is judged wrong. Measured on the real
 * captures: after the first diff that bridges the snapshot, no book ever skips one (Binance spot
 * and USD-M, KuCoin); between the snapshot and that bridge, diffs still older than the snapshot
 * keep arriving when the stream lags the REST response — at most 5 in a row (cryptofeed Binance
 * USD-M, 2021). 32 leaves six times that (about 3 s of a 100 ms stream). A snapshot id read too
 * high, or a diff's final id corrupted upwards, shows as an endless run: a gap after 32.
 */
export const MAX_SKIPPED_RUN = 32;

/**
 * A book crossed after a whole message asks for a snapshot at most this often (µs of localTs): a
 * venue whose snapshots come back crossed too must not be asked again at network speed.
 */
export const CROSSED_RESYNC_INTERVAL_US = 5_000_000;

const DECIMAL_SHAPE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;

/**
 * True when `text[start, end)` is written in a form no venue sends: a leading '+', a leading zero
 * before another digit ("01.5"), a dot with no digit before or after it (".5", "5."), an exponent
 * (unless `exponents`), or a negative zero ("-0", "-0.000"). One pass, no allocation.
 */
export function oddNumberForm(text: string, start: number, end: number, exponents: boolean): boolean {
  if (start >= end) return false; // not a number at all: the parser refuses it
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === MINUS;
  if (negative) c = text.charCodeAt(++i);
  if (c === PLUS || c === DOT || text.charCodeAt(end - 1) === DOT) return true;
  if (c === ZERO && i + 1 < end) {
    const d = text.charCodeAt(i + 1);
    if (d >= ZERO && d <= NINE) return true;
  }
  let digits = false;
  let nonZero = false;
  for (; i < end; i++) {
    // `| 0x20` folds 'E' onto 'e' and leaves digits, '.', '+' and '-' unchanged.
    const d = text.charCodeAt(i) | 0x20;
    if (d === LOWER_E) {
      if (!exponents) return true;
      break;
    }
    if (d >= ZERO && d <= NINE) {
      digits = true;
      if (d !== ZERO) nonZero = true;
    }
  }
  return negative && digits && !nonZero;
}

/** Why a wire decimal did not parse at `scale`: an odd form, not a decimal, too many digits, or too large. */
function classify(
  text: string | undefined,
  scale: number,
  exponents: boolean,
): 'bad_number_form' | 'bad_decimal' | 'precision' | 'overflow' {
  if (text === undefined) return 'bad_decimal';
  if (text.length > 0 && oddNumberForm(text, 0, text.length, exponents)) return 'bad_number_form';
  if (!DECIMAL_SHAPE.test(text)) return 'bad_decimal';
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
  private readonly exponents: boolean;
  private readonly bySymbol = new Map<string, SymbolBook>();
  /** Crossed books whose snapshot request waits out CROSSED_RESYNC_INTERVAL_US (see retryHeld). */
  private readonly held: SymbolBook[] = [];
  /** Why the last level write failed (valid until the next write). */
  lastReject: RejectReason | undefined;

  constructor(options: FeedCoreOptions) {
    this.exchange = options.exchange;
    this.instruments = options.instruments;
    this.listener = options.listener;
    this.requestFor = options.requestFor;
    this.defaultKind = options.defaultKind;
    this.exponents = options.exponentNumbers ?? false;
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

  /** Parse a price wire string for `instrument`; NaN when not exact (see parseDecimal) or of an odd form. */
  price(instrument: Instrument, text: string): number {
    return this.wireNumber(text, 0, text.length, instrument.priceScale);
  }

  size(instrument: Instrument, text: string): number {
    return this.wireNumber(text, 0, text.length, instrument.sizeScale);
  }

  /** `text[start, end)` in units of 10^-scale; NaN when not exact or of a form the venue never sends. */
  private wireNumber(text: string, start: number, end: number, scale: number): number {
    const v = parseDecimalRange(text, start, end, scale);
    return !Number.isNaN(v) && oddNumberForm(text, start, end, this.exponents) ? Number.NaN : v;
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
      this.wireNumber(priceText, 0, priceText.length, i.priceScale),
      this.wireNumber(sizeText, 0, sizeText.length, i.sizeScale),
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
    const price = this.wireNumber(text, priceStart, priceEnd, i.priceScale);
    const size = this.wireNumber(text, sizeStart, sizeEnd, i.sizeScale);
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
      const pc = Number.isNaN(price) ? classify(priceText, sb.instrument.priceScale, this.exponents) : 'ok';
      const sc = Number.isNaN(size) ? classify(sizeText, sb.instrument.sizeScale, this.exponents) : 'ok';
      const tooFine = pc === 'precision' || sc === 'precision';
      this.lastReject =
        pc === 'bad_number_form' || sc === 'bad_number_form'
          ? 'bad_number_form'
          : pc === 'bad_decimal' || sc === 'bad_decimal'
            ? 'bad_decimal'
            : tooFine
              ? 'precision'
              : 'overflow';
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
    if (size <= 0 && (size < 0 || 1 / size < 0)) {
      // 1/-0 is -Infinity: a "-0" parsed by the venue's own reader.
      this.lastReject = size < 0 ? 'negative_size' : 'bad_number_form';
      return false;
    }
    if (price <= 0) {
      this.lastReject = 'bad_decimal';
      return false;
    }
    return this.apply(sb, isBid, price, size);
  }

  private apply(sb: SymbolBook, isBid: boolean, price: number, size: number): boolean {
    const side = isBid ? sb.book.bids : sb.book.asks;
    if (side.set(price, size) === LevelUpdate.Rejected) {
      this.lastReject = 'bad_decimal';
      return false;
    }
    // Counters are added per message (commit*), not per level.
    this.changes.push(isBid, price, size, side.previousSize);
    return true;
  }

  /**
   * A snapshot has been written: the book is trusted from here on — unless it is crossed, which no
   * sound venue book is: then it stays stale and another snapshot is asked for (rate-limited).
   */
  commitSnapshot(sb: SymbolBook, sequence: number, exchangeTs: Micros, localTs: Micros): void {
    this.countLevels(sb);
    this.counters.snapshots++;
    sb.counters.snapshots++;
    sb.sequence = sequence;
    sb.exchangeTs = exchangeTs;
    sb.localTs = localTs;
    sb.skippedRun = 0;
    if (sb.book.isCrossed()) {
      this.crossed(sb, 'crossed snapshot', localTs);
    } else {
      if (sb.everTrusted && sb.trust !== 'trusted') {
        this.counters.resyncs++;
        sb.counters.resyncs++;
      }
      sb.everTrusted = true;
      sb.crossedStale = false;
      this.setTrust(sb, 'trusted', 'snapshot applied', localTs);
    }
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

  /** An update has been written. A book crossed after it is no longer trusted. */
  commitUpdate(sb: SymbolBook, sequence: number, exchangeTs: Micros, localTs: Micros): void {
    this.countLevels(sb);
    sb.sequence = sequence;
    if (exchangeTs > 0) sb.exchangeTs = exchangeTs;
    sb.localTs = localTs;
    sb.skippedRun = 0;
    if (sb.book.isCrossed()) this.crossed(sb, 'crossed after update', localTs);
    if (this.held.length !== 0) this.retryHeld(localTs);
    this.listener.onBook?.(sb, this.changes);
  }

  private countLevels(sb: SymbolBook): void {
    const n = this.changes.count;
    this.counters.levelChanges += n;
    sb.counters.levelChanges += n;
  }

  /**
   * The book is crossed after a whole message: a missed or corrupted update, or a bad snapshot.
   * Counted, made stale, and a snapshot asked for — at most once per CROSSED_RESYNC_INTERVAL_US per
   * symbol; a held request is made by the venue's next request or by retryHeld.
   */
  private crossed(sb: SymbolBook, reason: string, localTs: Micros): void {
    this.counters.crossed++;
    sb.counters.crossed++;
    sb.crossedStale = true;
    if (sb.trust === 'trusted' || sb.trust === 'resyncing' || sb.trust === 'awaiting_snapshot') {
      this.setTrust(sb, 'stale', reason, localTs);
    }
    this.requestSnapshot(sb, reason, localTs);
  }

  /** Make the snapshot requests of crossed books whose wait is over (cheap when none waits). */
  retryHeld(localTs: Micros): void {
    const held = this.held;
    for (let k = held.length - 1; k >= 0; k--) {
      const sb = held[k]!;
      if (!sb.crossedStale || sb.trust === 'trusted') held.splice(k, 1);
      else if (localTs - sb.crossedRequestAt >= CROSSED_RESYNC_INTERVAL_US) {
        held.splice(k, 1);
        this.requestSnapshot(sb, 'crossed book', localTs);
      }
    }
  }

  /** Record a sequence break. */
  gap(sb: SymbolBook, detail: string, localTs: Micros): void {
    this.counters.gaps++;
    sb.counters.gaps++;
    this.markStale(sb, `gap: ${detail}`, localTs);
  }

  /**
   * A sequence the venue's rules forbid (a backward jump, an overlap, an id that cannot be read):
   * the frame is refused ('bad_sequence') and, like any break, the book resyncs.
   */
  sequenceJump(sb: SymbolBook, detail: string, raw: string, localTs: Micros): void {
    this.reject('bad_sequence', `${sb.venueSymbol}: ${detail}`, raw, sb);
    this.gap(sb, detail, localTs);
  }

  /**
   * A diff the book already holds was skipped. `draining`: it was buffered before the snapshot
   * arrived, where such diffs are the normal case. Outside the drain a trusted book that skips more
   * than MAX_SKIPPED_RUN diffs in a row holds a sequence the feed will not reach soon (an id read
   * too high): that is a gap.
   */
  skipApplied(sb: SymbolBook, localTs: Micros, draining: boolean): void {
    this.counters.skippedApplied++;
    sb.counters.skippedApplied++;
    if (draining || sb.trust !== 'trusted') return;
    if (++sb.skippedRun > MAX_SKIPPED_RUN) {
      sb.skippedRun = 0;
      this.gap(
        sb,
        `${MAX_SKIPPED_RUN + 1} diffs in a row already applied: book sequence ahead of the feed`,
        localTs,
      );
    }
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

  /**
   * A frame refused whole (a duplicated key, nesting too deep) that a lenient read still attributes
   * to `sb`: the book now lacks an update the venue sent, so it stops being trusted and resyncs.
   */
  refuseFrame(
    reason: RejectReason,
    detail: string,
    raw: string,
    sb: SymbolBook | undefined,
    localTs: Micros,
  ): void {
    if (!sb) {
      this.reject(reason, detail, raw);
      return;
    }
    this.reject(reason, `${sb.venueSymbol}: ${detail}`, raw, sb);
    if (sb.trust === 'trusted') this.markStale(sb, `refused message (${reason})`, localTs);
  }

  /** Stop trusting the book and ask for a snapshot (once per stale episode). */
  markStale(sb: SymbolBook, reason: string, localTs: Micros): void {
    if (sb.trust === 'stale' || sb.trust === 'resyncing') return;
    const wasWaiting = sb.trust === 'awaiting_snapshot';
    this.setTrust(sb, 'stale', reason, localTs);
    if (!wasWaiting) this.requestSnapshot(sb, reason, localTs);
  }

  /**
   * Ask the caller for a snapshot; the book shows 'resyncing' until it arrives. False when held:
   * a crossed book asks at most once per CROSSED_RESYNC_INTERVAL_US and stays 'stale' meanwhile
   * (the request is made by a later call, or by retryHeld, once the wait is over).
   */
  requestSnapshot(sb: SymbolBook, reason: string, localTs: Micros): boolean {
    if (sb.trust === 'trusted') this.setTrust(sb, 'stale', reason, localTs);
    if (sb.crossedStale) {
      if (localTs - sb.crossedRequestAt < CROSSED_RESYNC_INTERVAL_US) {
        this.setTrust(sb, 'stale', reason, localTs);
        if (!this.held.includes(sb)) this.held.push(sb);
        return false;
      }
      sb.crossedRequestAt = localTs;
    }
    this.setTrust(sb, sb.everTrusted ? 'resyncing' : 'awaiting_snapshot', reason, localTs);
    this.listener.onSnapshotRequest?.(this.requestFor(sb.venueSymbol, sb.symbol, reason));
    return true;
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
      this.reject('unknown_symbol', `trade for unknown symbol ${describeValue(venueSymbol)}`, raw);
      return false;
    }
    let price = this.price(sb.instrument, priceText);
    let size = this.size(sb.instrument, sizeText);
    if ((Number.isNaN(price) || Number.isNaN(size)) && sb.instrument.source === 'inferred') {
      // A finer trade than the inferred tick: widen, and rebuild the book held at the old scale.
      const before = sb.instrument;
      this.widenToFit(sb, [priceText], [sizeText]);
      if (sb.instrument !== before) {
        if (sb.book.bids.count + sb.book.asks.count > 0)
          this.markStale(sb, 'instrument scale widened', localTs);
        price = this.price(sb.instrument, priceText);
        size = this.size(sb.instrument, sizeText);
      }
    }
    if (!(price > 0) || !(size > 0)) {
      const odd =
        oddNumberForm(priceText, 0, priceText.length, this.exponents) ||
        oddNumberForm(sizeText, 0, sizeText.length, this.exponents);
      const reason: RejectReason = odd
        ? 'bad_number_form'
        : size < 0
          ? 'negative_size'
          : size === 0 && price > 0
            ? 'zero_size'
            : 'bad_decimal';
      this.reject(
        reason,
        `${venueSymbol}: trade ${describeValue(tradeId)} price=${describeValue(priceText)} size=${describeValue(sizeText)}`,
        raw,
        sb,
      );
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
