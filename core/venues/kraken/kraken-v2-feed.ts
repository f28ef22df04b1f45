/**
 * Kraken spot websocket v2 (wss://ws.kraken.com/v2): `book`, `trade` and `instrument` channels.
 *
 * Sync (see README.md here): `type:"snapshot"` replaces the book, `type:"update"` sets levels in
 * array order (qty 0 removes); after each message the book is truncated to the subscribed depth and
 * the CRC-32 in `checksum` (snapshots and updates) is compared with our top 10 levels, formatted with
 * the pair's price_precision / qty_precision. There are no sequence numbers: the checksum is the only
 * gap detector. A mismatch makes the book stale and asks the caller to resubscribe.
 *
 * Parsing: prices and quantities are JSON numbers. They are never JSON.parse'd: json-scan.ts finds
 * their raw text in the frame and parseDecimalRange reads it into integer units, exactly.
 */
import type { BookChecksum } from '../../book/checksum/book-checksum.ts';
import { krakenV2Checksum } from '../../book/checksum/kraken-checksum.ts';
import type { Micros, Side } from '../../market/events.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { parseDecimalRange } from '../../num/parse-decimal.ts';
import { FeedCore, resubscribeRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, VenueFeed } from '../feed-types.ts';
import { skipJsonSpace } from '../skip-json-value.ts';
import type { SymbolBook } from '../symbol-book.ts';
import { truncateToDepth } from '../truncate-to-depth.ts';
import { isObject, JsonRefusal, parseJson, parseJsonStrict } from '../wire-guards.ts';
import { ArrayCursor, FieldScan, JsonKind } from './json-scan.ts';
import { rfc3339ToMicros } from './kraken-time.ts';
import { readV2Pairs } from './v2-instrument-channel.ts';
import { isV2MethodResponse } from './wire.ts';

export interface KrakenV2FeedOptions {
  instruments: InstrumentRegistry;
  listener?: FeedListener;
  /** Book depth assumed until a subscribe acknowledgement says otherwise (Kraken's default: 10). */
  depth?: number;
  /** Checksum to verify (tests swap it); Kraken v2's by default. */
  checksum?: BookChecksum;
}

// Field indexes of the scanned shapes.
const F_CHANNEL = 0;
const F_TYPE = 1;
const F_DATA = 2;
const F_METHOD = 3;
const TOP_KEYS = ['channel', 'type', 'data', 'method'];

const B_SYMBOL = 0;
const B_BIDS = 1;
const B_ASKS = 2;
const B_CHECKSUM = 3;
const B_TIMESTAMP = 4;
const BOOK_KEYS = ['symbol', 'bids', 'asks', 'checksum', 'timestamp'];

const L_PRICE = 0;
const L_QTY = 1;
const LEVEL_KEYS = ['price', 'qty'];

const T_SYMBOL = 0;
const T_SIDE = 1;
const T_PRICE = 2;
const T_QTY = 3;
const T_ID = 4;
const T_TIMESTAMP = 5;
const TRADE_KEYS = ['symbol', 'side', 'price', 'qty', 'trade_id', 'timestamp'];

export class KrakenV2Feed implements VenueFeed {
  readonly exchange = 'kraken' as const;
  private readonly core: FeedCore;
  private readonly checksumAlgo: BookChecksum;
  private readonly defaultDepth: number;
  private readonly depths = new Map<string, number>();
  /** Symbols seen, to turn a scanned range into a string without allocating per frame. */
  private readonly symbols: string[] = [];

  private readonly top = new FieldScan(TOP_KEYS);
  private readonly entry = new FieldScan(BOOK_KEYS);
  private readonly level = new FieldScan(LEVEL_KEYS);
  private readonly tradeScan = new FieldScan(TRADE_KEYS);
  private readonly dataCursor = new ArrayCursor();
  private readonly levelCursor = new ArrayCursor();

  constructor(options: KrakenV2FeedOptions) {
    this.checksumAlgo = options.checksum ?? krakenV2Checksum;
    this.defaultDepth = options.depth ?? 10;
    this.core = new FeedCore({
      exchange: 'kraken',
      instruments: options.instruments,
      listener: options.listener ?? {},
      requestFor: resubscribeRequests('kraken'),
      // Prices and quantities are JSON numbers; Kraken's serializer writes small ones as "1E-8".
      exponentNumbers: true,
    });
  }

  get counters(): FeedCounters {
    return this.core.counters;
  }

  books(): Iterable<SymbolBook> {
    return this.core.books();
  }

  depthOf(symbol: string): number {
    return this.depths.get(symbol) ?? this.defaultDepth;
  }

  onMessage(raw: string, localTs: Micros): void {
    this.core.counters.messages++;
    const top = this.top;
    const end = top.scan(raw, 0);
    if (end < 0 || skipJsonSpace(raw, end) !== raw.length) {
      if (top.duplicate) this.core.reject('duplicate_key', 'a message key is named twice', raw);
      else
        this.core.reject(
          'malformed',
          parseJson(raw) === undefined ? 'not JSON' : 'not a v2 message object',
          raw,
        );
      return;
    }
    if (top.kind[F_CHANNEL] === JsonKind.String) {
      this.onChannel(raw, localTs);
    } else if (top.kind[F_METHOD] === JsonKind.String) {
      this.onMethodResponse(raw, localTs);
    } else {
      this.core.reject('unknown_message', 'neither channel nor method', raw);
    }
  }

  /** The in-band snapshot frame, when a connector hands it over this way. */
  onSnapshot(_venueSymbol: string, body: string, localTs: Micros): void {
    this.onMessage(body, localTs);
  }

  onDisconnect(localTs: Micros): void {
    this.core.staleAll('disconnected', localTs);
  }

  private onChannel(raw: string, localTs: Micros): void {
    const top = this.top;
    if (top.isString(raw, F_CHANNEL, 'book')) {
      const snapshot = top.isString(raw, F_TYPE, 'snapshot');
      if ((!snapshot && !top.isString(raw, F_TYPE, 'update')) || top.kind[F_DATA] !== JsonKind.Array) {
        this.core.reject('malformed', 'book message without type or data', raw);
        return;
      }
      this.onBook(raw, top.start[F_DATA]!, snapshot, localTs);
    } else if (top.isString(raw, F_CHANNEL, 'trade')) {
      if (top.kind[F_DATA] !== JsonKind.Array) {
        this.core.reject('malformed', 'trade message without data', raw);
        return;
      }
      // The subscription's snapshot repeats recent history (up to 50 trades): not new trades.
      if (top.isString(raw, F_TYPE, 'snapshot')) return;
      this.onTrades(raw, top.start[F_DATA]!, localTs);
    } else if (top.isString(raw, F_CHANNEL, 'instrument')) {
      if (top.kind[F_DATA] !== JsonKind.Object) {
        this.core.reject('malformed', 'instrument message without data', raw);
        return;
      }
      this.onInstruments(raw, top.start[F_DATA]!, localTs);
    } else if (
      top.isString(raw, F_CHANNEL, 'heartbeat') ||
      top.isString(raw, F_CHANNEL, 'status') ||
      top.isString(raw, F_CHANNEL, 'ticker') ||
      top.isString(raw, F_CHANNEL, 'ohlc') ||
      top.isString(raw, F_CHANNEL, 'level3')
    ) {
      // Known; nothing for books or trades.
    } else {
      this.core.reject('unknown_message', `unhandled channel ${top.text(raw, F_CHANNEL)}`, raw);
    }
  }

  private symbolOf(text: string, start: number, end: number): string {
    const len = end - start;
    const list = this.symbols;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.length === len && text.startsWith(s, start)) return s;
    }
    const s = text.slice(start, end);
    list.push(s);
    return s;
  }

  private onBook(raw: string, dataStart: number, snapshot: boolean, localTs: Micros): void {
    const data = this.dataCursor;
    const entry = this.entry;
    data.open(raw, dataStart);
    while (data.next()) {
      const scanned = entry.scan(raw, data.start);
      if (scanned < 0 && entry.duplicate) {
        this.core.reject('duplicate_key', 'a book entry key is named twice', raw);
        continue;
      }
      if (
        scanned < 0 ||
        entry.kind[B_SYMBOL] !== JsonKind.String ||
        (entry.has(B_BIDS) && entry.kind[B_BIDS] !== JsonKind.Array) ||
        (entry.has(B_ASKS) && entry.kind[B_ASKS] !== JsonKind.Array) ||
        (entry.has(B_CHECKSUM) && entry.kind[B_CHECKSUM] !== JsonKind.Number)
      ) {
        this.core.reject('malformed', 'book entry of unexpected shape', raw);
        continue;
      }
      const symbol = this.symbolOf(raw, entry.start[B_SYMBOL]!, entry.end[B_SYMBOL]!);
      if (snapshot) this.onBookSnapshot(symbol, raw, localTs);
      else this.onBookUpdate(symbol, raw, localTs);
    }
    if (data.malformed) this.core.reject('malformed', 'book data array broken', raw);
    data.release();
  }

  /** Raw price and qty texts of a level array (allocates: only to infer an unknown instrument). */
  private levelTexts(raw: string, start: number, prices: string[], sizes: string[]): void {
    const cursor = this.levelCursor;
    cursor.open(raw, start);
    while (cursor.next()) {
      if (this.level.scan(raw, cursor.start) < 0) continue;
      if (this.level.isDecimal(L_PRICE)) prices.push(this.level.text(raw, L_PRICE));
      if (this.level.isDecimal(L_QTY)) sizes.push(this.level.text(raw, L_QTY));
    }
    cursor.release();
  }

  private onBookSnapshot(symbol: string, raw: string, localTs: Micros): void {
    const core = this.core;
    const entry = this.entry;
    let sb = core.book(symbol);
    if (!sb || sb.instrument.source === 'inferred') {
      const prices: string[] = [];
      const sizes: string[] = [];
      if (entry.has(B_BIDS)) this.levelTexts(raw, entry.start[B_BIDS]!, prices, sizes);
      if (entry.has(B_ASKS)) this.levelTexts(raw, entry.start[B_ASKS]!, prices, sizes);
      sb = core.ensureBook(symbol, prices, sizes);
    }
    if (!sb) {
      core.reject('unknown_symbol', `${symbol}: no instrument (no instrument channel, empty snapshot)`, raw);
      return;
    }
    core.begin(sb, true);
    if (!this.applyLevels(sb, raw)) {
      sb.book.clear();
      core.abort(sb, raw, localTs);
      return;
    }
    truncateToDepth(core.changes, sb, this.depthOf(symbol));
    sb.counters.messages++;
    const wasTrusted = sb.trust === 'trusted';
    if (entry.has(B_CHECKSUM) && !this.verify(sb, raw, localTs)) {
      // The snapshot itself is wrong: never commit it. core.checksum asked for a new one only if
      // the book was trusted; otherwise ask here.
      sb.book.clear();
      if (!wasTrusted) core.requestSnapshot(sb, 'snapshot checksum mismatch', localTs);
      return;
    }
    core.commitSnapshot(sb, Number.NaN, this.timestamp(raw), localTs);
  }

  private onBookUpdate(symbol: string, raw: string, localTs: Micros): void {
    const core = this.core;
    const sb = core.book(symbol);
    if (!sb) return; // No snapshot yet: the subscription's snapshot comes first.
    sb.counters.messages++;
    if (sb.trust !== 'trusted') {
      // Waiting for the resubscribe's snapshot; a frame we could not have read is still counted.
      if (!this.wellFormed(raw))
        core.reject('malformed', `${symbol}: book update of unexpected shape`, raw, sb);
      return;
    }
    core.begin(sb, false);
    if (!this.applyLevels(sb, raw)) {
      core.abort(sb, raw, localTs);
      return;
    }
    truncateToDepth(core.changes, sb, this.depthOf(symbol));
    if (this.entry.has(B_CHECKSUM) && !this.verify(sb, raw, localTs)) return;
    core.commitUpdate(sb, Number.NaN, this.timestamp(raw), localTs);
  }

  private timestamp(raw: string): Micros {
    const e = this.entry;
    return e.kind[B_TIMESTAMP] === JsonKind.String
      ? rfc3339ToMicros(raw, e.start[B_TIMESTAMP]!, e.end[B_TIMESTAMP]!)
      : 0;
  }

  /** Compare the entry's checksum with ours; counted either way. */
  private verify(sb: SymbolBook, raw: string, localTs: Micros): boolean {
    const e = this.entry;
    const expected = parseDecimalRange(raw, e.start[B_CHECKSUM]!, e.end[B_CHECKSUM]!, 0);
    const actual = this.checksumAlgo.compute(sb.book, sb.instrument);
    if (actual === expected) {
      this.core.checksum(sb, true, localTs);
      return true;
    }
    this.core.checksum(
      sb,
      false,
      localTs,
      `${sb.venueSymbol}: expected ${e.text(raw, B_CHECKSUM)}, computed ${actual}`,
    );
    return false;
  }

  /** Do the scanned entry's level arrays hold `{price, qty}` objects with numeric values? */
  private wellFormed(raw: string): boolean {
    const e = this.entry;
    return (
      (!e.has(B_BIDS) || this.sideWellFormed(raw, e.start[B_BIDS]!)) &&
      (!e.has(B_ASKS) || this.sideWellFormed(raw, e.start[B_ASKS]!))
    );
  }

  private sideWellFormed(raw: string, start: number): boolean {
    const cursor = this.levelCursor;
    const level = this.level;
    cursor.open(raw, start);
    let ok = true;
    while (cursor.next()) {
      if (level.scan(raw, cursor.start) < 0 || !level.isDecimal(L_PRICE) || !level.isDecimal(L_QTY)) {
        ok = false;
        break;
      }
    }
    ok = ok && !cursor.malformed;
    cursor.release();
    return ok;
  }

  /** Bids then asks of the scanned entry, each in array order. False when a level is refused. */
  private applyLevels(sb: SymbolBook, raw: string): boolean {
    const e = this.entry;
    if (e.has(B_BIDS) && !this.applySide(sb, true, raw, e.start[B_BIDS]!)) return false;
    if (e.has(B_ASKS) && !this.applySide(sb, false, raw, e.start[B_ASKS]!)) return false;
    return true;
  }

  private applySide(sb: SymbolBook, isBid: boolean, raw: string, start: number): boolean {
    const cursor = this.levelCursor;
    const level = this.level;
    cursor.open(raw, start);
    let ok = true;
    while (cursor.next()) {
      if (level.scan(raw, cursor.start) < 0 || !level.isDecimal(L_PRICE) || !level.isDecimal(L_QTY)) {
        this.core.lastReject = level.duplicate ? 'duplicate_key' : 'malformed';
        ok = false;
        break;
      }
      if (
        !this.core.levelRange(
          sb,
          isBid,
          raw,
          level.start[L_PRICE]!,
          level.end[L_PRICE]!,
          level.start[L_QTY]!,
          level.end[L_QTY]!,
        )
      ) {
        ok = false;
        break;
      }
    }
    if (ok && cursor.malformed) {
      this.core.lastReject = 'malformed';
      ok = false;
    }
    cursor.release();
    return ok;
  }

  private onTrades(raw: string, dataStart: number, localTs: Micros): void {
    const data = this.dataCursor;
    const t = this.tradeScan;
    data.open(raw, dataStart);
    while (data.next()) {
      const scanned = t.scan(raw, data.start);
      if (scanned < 0 && t.duplicate) {
        this.core.reject('duplicate_key', 'a trade key is named twice', raw);
        continue;
      }
      if (
        scanned < 0 ||
        t.kind[T_SYMBOL] !== JsonKind.String ||
        !t.isDecimal(T_PRICE) ||
        !t.isDecimal(T_QTY) ||
        !t.has(T_ID)
      ) {
        this.core.reject('malformed', 'trade of unexpected shape', raw);
        continue;
      }
      const side: Side | 'unknown' = t.isString(raw, T_SIDE, 'buy')
        ? 'buy'
        : t.isString(raw, T_SIDE, 'sell')
          ? 'sell'
          : 'unknown';
      const ts =
        t.kind[T_TIMESTAMP] === JsonKind.String
          ? rfc3339ToMicros(raw, t.start[T_TIMESTAMP]!, t.end[T_TIMESTAMP]!)
          : 0;
      this.core.trade(
        this.symbolOf(raw, t.start[T_SYMBOL]!, t.end[T_SYMBOL]!),
        t.text(raw, T_ID),
        t.text(raw, T_PRICE),
        t.text(raw, T_QTY),
        side,
        ts,
        localTs,
        raw,
      );
    }
    if (data.malformed) this.core.reject('malformed', 'trade data array broken', raw);
    data.release();
  }

  /** `instrument` channel: each pair's precisions become its scales AND its checksum decimals. */
  private onInstruments(raw: string, dataStart: number, localTs: Micros): void {
    const read = readV2Pairs(raw, dataStart);
    if (!read) {
      this.core.reject('malformed', 'instrument data of unexpected shape', raw);
      return;
    }
    for (const error of read.errors) this.core.reject('malformed', `instrument: ${error}`, raw);
    for (const instrument of read.instruments) this.definePair(instrument, localTs);
  }

  private definePair(instrument: Instrument, localTs: Micros): void {
    this.core.instruments.add(instrument);
    const sb = this.core.book(instrument.venueSymbol);
    if (!sb) return;
    const old = sb.instrument;
    sb.instrument = instrument;
    // Integers held at another scale mean nothing at the new one: rebuild from a fresh snapshot.
    if (old.priceScale !== instrument.priceScale || old.sizeScale !== instrument.sizeScale) {
      sb.book.clear();
      this.core.markStale(sb, 'instrument precision changed', localTs);
    }
  }

  private onMethodResponse(raw: string, localTs: Micros): void {
    const msg = parseJsonStrict(raw);
    if (msg instanceof JsonRefusal) {
      this.core.reject(msg.reason, msg.detail, raw);
      return;
    }
    if (!isV2MethodResponse(msg)) {
      this.core.reject('malformed', 'method response of unexpected shape', raw);
      return;
    }
    const result = msg.result;
    if (!msg.success || !isObject(result) || result.channel !== 'book' || typeof result.symbol !== 'string')
      return; // pong, errors, other channels: nothing to track
    if (msg.method === 'subscribe' && typeof result.depth === 'number' && result.depth > 0) {
      this.depths.set(result.symbol, result.depth);
    } else if (msg.method === 'unsubscribe') {
      const sb = this.core.book(result.symbol);
      if (sb?.trust === 'trusted') this.core.setTrust(sb, 'stale', 'unsubscribed', localTs);
    }
  }
}
