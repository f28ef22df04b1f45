/**
 * Binance spot and USD-M futures: diff-depth book sync, trades, mark price.
 *
 * Sync (see README.md here): buffer diffs until a REST snapshot arrives; discard diffs the snapshot
 * already contains; the first applied diff must bridge the snapshot id; then spot requires
 * `U == previous u + 1` and futures `pu == previous u`. A snapshot no buffered diff can bridge is
 * re-fetched. Any break marks the book stale, buffers anew and asks for a fresh snapshot. Ids are
 * read exactly (updateId, DepthScan): one that cannot be read is 'bad_sequence', never rounded.
 */
import type { Micros } from '../../market/events.ts';
import type { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { describeFrame, describeValue } from '../describe-frame.ts';
import { FeedCore, restRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, VenueFeed } from '../feed-types.ts';
import { stringAfter } from '../string-after.ts';
import type { SymbolBook } from '../symbol-book.ts';
import {
  isObject,
  type JsonObject,
  JsonRefusal,
  parseJson,
  parseJsonStrict,
  venueTimeToMicros,
} from '../wire-guards.ts';
import { applyFrameLevels, applyLevelArray } from './apply-wire-levels.ts';
import { DepthScan, forEachWireLevel, ScanResult } from './depth-scanner.ts';
import { FlatFrame } from './flat-frame.ts';
import { dispatchFlatFrame } from './flat-frame-dispatch.ts';
import {
  type DepthSnapshot,
  isAggTrade,
  isCombined,
  isDepthSnapshot,
  isDepthUpdate,
  isMarkPriceUpdate,
  isTrade,
  updateId,
} from './wire.ts';

export type BinanceMarket = 'spot' | 'usdm';

export interface BinanceFeedOptions {
  market: BinanceMarket;
  instruments: InstrumentRegistry;
  listener?: FeedListener;
  /** REST snapshot depth to request (spot ≤ 5000, futures ≤ 1000). */
  snapshotLimit?: number;
  /** Diffs kept while waiting for a snapshot; the oldest are dropped beyond this. */
  maxBuffered?: number;
}

interface Buffered {
  readonly raw: string;
  readonly localTs: Micros;
  readonly firstId: number;
  readonly finalId: number;
  /** Futures `pu`; NaN on spot. */
  readonly prevId: number;
}

/** Futures REST snapshot `T` (ms), when it has one. */
function snapshotTime(snap: DepthSnapshot): number {
  const t: unknown = snap.T;
  return typeof t === 'number' && Number.isSafeInteger(t) ? t : Number.NaN;
}

/** Per-symbol sync state beside the book. */
class SyncState {
  buffer: Buffered[] = [];
  requested = false;
  /** The next diff is the first after a snapshot: the bridging rule instead of the chain rule. */
  firstAfterSnapshot = false;
  /** Futures: transaction time (ms) of the snapshot being continued; NaN when unknown. */
  snapshotTime = Number.NaN;
}

const SPOT_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [100, 5],
  [500, 25],
  [1000, 50],
  [5000, 250],
];
const FUTURES_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [50, 2],
  [100, 5],
  [500, 10],
  [1000, 20],
];

const NON_ASCII = /[\u0080-\uffff]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A snapshot request is out for this book (not held back, see FeedCore.requestSnapshot). */
function requestPending(sb: SymbolBook): boolean {
  return sb.trust === 'resyncing' || sb.trust === 'awaiting_snapshot';
}

function weightFor(table: ReadonlyArray<readonly [number, number]>, limit: number): number {
  for (const [max, w] of table) if (limit <= max) return w;
  return table[table.length - 1]![1];
}

export class BinanceFeed implements VenueFeed {
  readonly exchange;
  private readonly core: FeedCore;
  private readonly futures: boolean;
  private readonly maxBuffered: number;
  private readonly scan = new DepthScan();
  private readonly flat = new FlatFrame();
  private readonly sync = new Map<string, SyncState>();
  /** Symbols seen, to match the scanned symbol range without allocating a string per frame. */
  private readonly symbols: string[] = [];
  // Level-callback state (bound once; see applyLevels).
  private text = '';
  private target: SymbolBook | undefined;
  private readonly onBid = (ps: number, pe: number, ss: number, se: number): boolean =>
    this.core.levelRange(this.target!, true, this.text, ps, pe, ss, se);
  private readonly onAsk = (ps: number, pe: number, ss: number, se: number): boolean =>
    this.core.levelRange(this.target!, false, this.text, ps, pe, ss, se);
  /** Applying the diffs buffered before a snapshot arrived (skipping applied ones is normal then). */
  private draining = false;

  constructor(options: BinanceFeedOptions) {
    this.futures = options.market === 'usdm';
    this.exchange = this.futures ? ('binance-futures' as const) : ('binance' as const);
    this.maxBuffered = options.maxBuffered ?? 10_000;
    const limit = options.snapshotLimit ?? (this.futures ? 1000 : 5000);
    const path = this.futures ? '/fapi/v1/depth' : '/api/v3/depth';
    const weight = weightFor(this.futures ? FUTURES_WEIGHTS : SPOT_WEIGHTS, limit);
    const exchange = this.exchange;
    this.core = new FeedCore({
      exchange,
      instruments: options.instruments,
      listener: options.listener ?? {},
      defaultKind: this.futures ? 'perp' : 'spot',
      requestFor: restRequests(
        exchange,
        (venueSymbol) => `${path}?symbol=${venueSymbol}&limit=${limit}`,
        weight,
      ),
    });
  }

  get counters(): FeedCounters {
    return this.core.counters;
  }

  books(): Iterable<SymbolBook> {
    return this.core.books();
  }

  onMessage(raw: string, localTs: Micros): void {
    this.core.counters.messages++;
    const result = this.scan.scanHeader(raw, this.futures);
    if (result === ScanResult.Depth) {
      this.onDepth(raw, localTs);
      return;
    }
    if (result === ScanResult.DuplicateKey) {
      const detail = `depth frame repeats a key: ${describeFrame(raw)}`;
      this.core.refuseFrame('duplicate_key', detail, raw, this.bookNamedIn(raw), localTs);
      return;
    }
    if (!dispatchFlatFrame(this.flat, raw, localTs, this.core)) this.onOther(raw, localTs);
  }

  /** The book a frame refused whole was meant for, read leniently (a repeated key: the last wins). */
  private bookNamedIn(raw: string): SymbolBook | undefined {
    const parsed = parseJson(raw);
    const msg: unknown = isObject(parsed) && isObject(parsed.data) ? parsed.data : parsed;
    if (isObject(msg) && msg.e !== undefined && msg.e !== 'depthUpdate') return undefined;
    // Not JSON at all: a depth frame's symbol field still names the book.
    const symbol =
      isObject(msg) && typeof msg.s === 'string'
        ? msg.s
        : msg === undefined && raw.includes('"e":"depthUpdate"')
          ? stringAfter(raw, '"s":"')
          : undefined;
    return symbol === undefined ? undefined : this.core.book(symbol);
  }

  private symbolOf(text: string): string {
    const s = this.scan;
    const len = s.symbolEnd - s.symbolStart;
    const list = this.symbols;
    for (let i = 0; i < list.length; i++) {
      const sym = list[i]!;
      if (sym.length === len && text.startsWith(sym, s.symbolStart)) return sym;
    }
    const sym = text.slice(s.symbolStart, s.symbolEnd).toUpperCase();
    list.push(sym);
    return sym;
  }

  private state(symbol: string): SyncState {
    let st = this.sync.get(symbol);
    if (!st) {
      st = new SyncState();
      this.sync.set(symbol, st);
    }
    return st;
  }

  /** A scanned depth diff (fields in this.scan). */
  private onDepth(raw: string, localTs: Micros): void {
    const scan = this.scan;
    const symbol = this.symbolOf(raw);
    const sb = this.core.book(symbol);
    if (sb) sb.counters.messages++;
    const U = scan.firstId;
    const u = scan.finalId;
    if (u < U || (this.futures && Number.isNaN(scan.prevFinalId))) {
      const pu = this.futures ? ` pu=${Number.isNaN(scan.prevFinalId) ? 'missing' : scan.prevFinalId}` : '';
      this.refuseIds(symbol, sb, `diff U=${U} u=${u}${pu}`, raw, localTs);
      return;
    }
    if (sb?.trust !== 'trusted') {
      this.buffer(symbol, sb, raw, localTs);
      return;
    }
    const last = sb.sequence;
    const st = this.state(symbol);
    if (st.firstAfterSnapshot) {
      // Diffs the snapshot holds are dropped (futures too: the docs say u < L, but a diff ending
      // at L holds nothing the snapshot lacks); the first one after must bridge it.
      if (u <= last) {
        // Futures: a diff transacted after the snapshot cannot be in it. Every real snapshot holds
        // only diffs up to its own T (equal on 3 of the 5 captured), so its id is wrong: resync.
        if (scan.transactTime > st.snapshotTime) {
          const detail = `diff u=${u} at T=${scan.transactTime} after snapshot ${last} at T=${st.snapshotTime}`;
          this.breakSequence(sb, st, detail, raw, localTs);
          return;
        }
        this.core.skipApplied(sb, localTs, this.draining);
        return;
      }
      if (this.futures ? U > last && scan.prevFinalId !== last : U > last + 1) {
        this.breakSequence(sb, st, `first diff U=${U} after snapshot ${last}`, raw, localTs);
        return;
      }
      st.firstAfterSnapshot = false;
    } else if (this.futures) {
      // pu first: a diff chained to another id is a break even when it looks already applied.
      const pu = scan.prevFinalId;
      if (pu !== last) {
        if (pu > last) this.breakSequence(sb, st, `pu=${pu} expected ${last}`, raw, localTs);
        else this.jump(sb, st, `pu=${pu} behind the book's ${last}`, raw, localTs);
        return;
      }
    } else if (U !== last + 1) {
      if (U > last + 1) this.breakSequence(sb, st, `U=${U} expected ${last + 1}`, raw, localTs);
      else if (u <= last) this.core.skipApplied(sb, localTs, this.draining);
      else this.jump(sb, st, `U=${U} u=${u} overlaps the book's ${last}`, raw, localTs);
      return;
    }
    this.core.begin(sb, false);
    if (!this.applyLevels(sb, raw)) {
      this.core.abort(sb, raw, localTs);
      st.buffer = [];
      st.requested = requestPending(sb);
      return;
    }
    this.core.commitUpdate(sb, u, venueTimeToMicros(scan.eventTime), localTs);
    if (!sb.trusted) {
      // Crossed after this diff: diffs from here on wait for the snapshot (asked for unless held).
      st.buffer = [];
      st.requested = requestPending(sb);
    }
  }

  /** A diff whose ids break the venue's rules by themselves: refused; a trusted book resyncs. */
  private refuseIds(
    symbol: string,
    sb: SymbolBook | undefined,
    detail: string,
    raw: string,
    localTs: Micros,
  ): void {
    if (sb?.trust === 'trusted') {
      const st = this.state(symbol);
      st.buffer = [];
      st.requested = true;
      this.core.sequenceJump(sb, detail, raw, localTs);
    } else this.core.reject('bad_sequence', `${symbol}: ${detail}`, raw, sb);
  }

  private applyLevels(sb: SymbolBook, raw: string): boolean {
    const scan = this.scan;
    const { priceScale, sizeScale } = sb.instrument;
    const changes = this.core.changes;
    const book = sb.book;
    // Fast path: the plain shape Binance sends, parsed and applied in one pass over the bytes.
    if (scan.levelsAt >= 0) {
      // The header scan stopped at the level arrays: read them (and the rest) once, into the book.
      if (applyFrameLevels(scan, book, changes, priceScale, sizeScale)) return true;
      // Unusual: find the arrays the slow way; a frame broken after its header ends here.
      changes.reset();
      const result = scan.scan(raw);
      if (result !== ScanResult.Depth) {
        this.core.lastReject = result === ScanResult.DuplicateKey ? 'duplicate_key' : 'malformed';
        return false;
      }
    } else if (
      applyLevelArray(scan, scan.bidsStart, book.bids, true, changes, priceScale, sizeScale) ===
        scan.bidsEnd &&
      applyLevelArray(scan, scan.asksStart, book.asks, false, changes, priceScale, sizeScale) === scan.asksEnd
    ) {
      return true;
    }
    // Anything unusual: redo the whole frame on the general path, which classifies what is wrong.
    // Levels are absolute sizes, so writing the ones already applied again is harmless.
    this.core.changes.reset();
    this.core.lastReject = 'malformed';
    this.text = raw;
    this.target = sb;
    const ok =
      forEachWireLevel(raw, scan.bidsStart, scan.bidsEnd, this.onBid) &&
      forEachWireLevel(raw, scan.asksStart, scan.asksEnd, this.onAsk);
    this.text = '';
    return ok;
  }

  private breakSequence(sb: SymbolBook, st: SyncState, detail: string, raw: string, localTs: Micros): void {
    st.buffer = [];
    st.requested = true;
    this.core.gap(sb, detail, localTs);
    // The frame that revealed the gap is newer than anything we have: keep it for after the snapshot.
    this.keep(st, raw, localTs);
  }

  /** A backward jump: refused ('bad_sequence'), the book resyncs; the frame waits like a gap's. */
  private jump(sb: SymbolBook, st: SyncState, detail: string, raw: string, localTs: Micros): void {
    st.buffer = [];
    st.requested = true;
    this.core.sequenceJump(sb, detail, raw, localTs);
    this.keep(st, raw, localTs);
  }

  /** Buffer the scanned frame (ids from this.scan). */
  private keep(st: SyncState, raw: string, localTs: Micros): void {
    const scan = this.scan;
    st.buffer.push({ raw, localTs, firstId: scan.firstId, finalId: scan.finalId, prevId: scan.prevFinalId });
    if (st.buffer.length > this.maxBuffered) st.buffer.shift();
  }

  private buffer(symbol: string, sb: SymbolBook | undefined, raw: string, localTs: Micros): void {
    const st = this.state(symbol);
    this.keep(st, raw, localTs);
    if (!st.requested) {
      if (sb) {
        // False while a crossed book's request is held: the next diff asks again.
        st.requested = this.core.requestSnapshot(sb, 'book not trusted', localTs);
      } else {
        st.requested = true;
        this.core.requestFirstSnapshot(symbol, 'no book yet');
      }
    }
  }

  /** Does buffered diff `d` bridge snapshot id `L` (the first diff the book may apply after it)? */
  private bridges(d: Buffered, L: number): boolean {
    return this.futures ? d.finalId > L && (d.firstId <= L || d.prevId === L) : d.firstId <= L + 1;
  }

  onSnapshot(venueSymbol: string, body: string, localTs: Micros): void {
    const symbol = venueSymbol.toUpperCase();
    const parsed = parseJsonStrict(body);
    const st = this.state(symbol);
    const existing = this.core.book(symbol);
    if (parsed instanceof JsonRefusal) {
      this.core.reject(parsed.reason, `${symbol}: depth snapshot refused: ${parsed.detail}`, body, existing);
      st.requested = false; // the next diff asks again
      return;
    }
    if (!isDepthSnapshot(parsed)) {
      this.core.reject('malformed', `${symbol}: depth snapshot of unexpected shape`, body, existing);
      st.requested = false;
      return;
    }
    // Unsolicited snapshot for a healthy book: our book is at least as good; keep it.
    if (existing?.trust === 'trusted') return;
    const L = updateId(parsed.lastUpdateId);
    if (L === undefined) {
      const detail = `${symbol}: snapshot lastUpdateId ${describeValue(parsed.lastUpdateId)} is not an exact id`;
      this.core.reject('bad_sequence', detail, body, existing);
      st.requested = false;
      return;
    }
    if (!this.alignBuffer(symbol, st, existing, L, localTs)) return;
    const sb = this.applySnapshot(symbol, parsed, L, body, localTs);
    if (!sb) {
      st.requested = false; // refused (counted): the next diff asks again
      return;
    }
    // A crossed snapshot leaves the book untrusted; a request is pending unless it is held.
    st.requested = requestPending(sb);
    if (sb.trust !== 'trusted') return;
    st.firstAfterSnapshot = true;
    st.snapshotTime = snapshotTime(parsed);
    const pending = st.buffer;
    st.buffer = [];
    this.draining = true;
    for (let k = 0; k < pending.length; k++) {
      const b = pending[k]!;
      const result = this.scan.scanHeader(b.raw, this.futures);
      if (result === ScanResult.Depth) this.onDepth(b.raw, b.localTs);
      else this.onOther(b.raw, b.localTs);
      if (sb.trust !== 'trusted') {
        // A break inside the buffer: what is left waits for the next snapshot.
        for (let r = k + 1; r < pending.length; r++) st.buffer.push(pending[r]!);
        break;
      }
    }
    this.draining = false;
  }

  /**
   * Before snapshot `L` is applied: can the buffered diffs continue it? Diffs it holds are fine
   * (skipped later). If the first one after it does not bridge it but a later one does, the ones
   * before that bridge are corrupt (a later diff cannot start earlier): dropped, counted. If none
   * bridges, the snapshot is older than the stream: asked for again, false.
   */
  private alignBuffer(
    symbol: string,
    st: SyncState,
    existing: SymbolBook | undefined,
    L: number,
    localTs: Micros,
  ): boolean {
    const buffer = st.buffer;
    let first = 0;
    while (first < buffer.length && buffer[first]!.finalId <= L) first++;
    if (first === buffer.length || this.bridges(buffer[first]!, L)) return true;
    let bridge = first + 1;
    while (bridge < buffer.length && !this.bridges(buffer[bridge]!, L)) bridge++;
    if (bridge === buffer.length) {
      st.requested = true;
      const reason = 'snapshot older than buffered diffs';
      if (existing) {
        if (!this.core.requestSnapshot(existing, reason, localTs)) st.requested = false;
      } else this.core.requestFirstSnapshot(symbol, reason);
      return false;
    }
    for (let k = first; k < bridge; k++) {
      const d = buffer[k]!;
      const detail = `${symbol}: buffered diff U=${d.firstId} u=${d.finalId} cannot follow snapshot ${L}, a later diff bridges it`;
      this.core.reject('bad_sequence', detail, d.raw, existing);
    }
    buffer.splice(first, bridge - first);
    return true;
  }

  private applySnapshot(
    symbol: string,
    snap: DepthSnapshot,
    lastUpdateId: number,
    body: string,
    localTs: Micros,
  ): SymbolBook | undefined {
    const sb = this.core.ensureBook(
      symbol,
      snap.bids.map((l) => l[0]).concat(snap.asks.map((l) => l[0])),
      snap.bids.map((l) => l[1]).concat(snap.asks.map((l) => l[1])),
    );
    if (!sb) {
      this.core.reject('unknown_symbol', `${symbol}: no instrument`, body);
      return undefined;
    }
    this.core.begin(sb, true);
    for (const [p, q] of snap.bids) {
      if (!this.core.level(sb, true, p, q)) return this.refuseSnapshot(sb, body, localTs);
    }
    for (const [p, q] of snap.asks) {
      if (!this.core.level(sb, false, p, q)) return this.refuseSnapshot(sb, body, localTs);
    }
    this.core.commitSnapshot(sb, lastUpdateId, venueTimeToMicros(snap.E), localTs);
    return sb;
  }

  private refuseSnapshot(sb: SymbolBook, body: string, localTs: Micros): undefined {
    sb.book.clear();
    this.core.abort(sb, body, localTs);
    return undefined;
  }

  /** Everything but depth diffs: parsed generically (they are rarer and not on the book path). */
  private onOther(raw: string, localTs: Micros): void {
    const parsed = parseJsonStrict(raw);
    if (parsed === undefined) {
      this.core.refuseFrame('malformed', 'not JSON', raw, this.bookNamedIn(raw), localTs);
      return;
    }
    if (parsed instanceof JsonRefusal) {
      const detail = `${parsed.detail}: ${describeFrame(raw)}`;
      this.core.refuseFrame(parsed.reason, detail, raw, this.bookNamedIn(raw), localTs);
      return;
    }
    if (!isCombined(parsed) && isObject(parsed) && 'stream' in parsed) {
      const detail = 'combined-stream envelope of unexpected shape';
      this.core.refuseFrame('malformed', detail, raw, this.bookNamedIn(raw), localTs);
      return;
    }
    const msg: unknown = isCombined(parsed) ? parsed.data : parsed;
    if (!isObject(msg)) {
      this.core.reject('malformed', 'not an object', raw);
      return;
    }
    this.dispatch(msg, raw, localTs);
  }

  private dispatch(msg: JsonObject, raw: string, localTs: Micros): void {
    const core = this.core;
    if (isTrade(msg)) {
      core.trade(
        msg.s,
        String(msg.t),
        msg.p,
        msg.q,
        msg.m ? 'sell' : 'buy',
        venueTimeToMicros(msg.T),
        localTs,
        raw,
      );
    } else if (isAggTrade(msg)) {
      core.trade(
        msg.s,
        String(msg.a),
        msg.p,
        msg.q,
        msg.m ? 'sell' : 'buy',
        venueTimeToMicros(msg.T),
        localTs,
        raw,
      );
    } else if (isMarkPriceUpdate(msg)) {
      this.onMarkPrice(msg, localTs);
    } else if (msg.e === 'depthUpdate') {
      this.onParsedDepth(msg, raw, localTs);
    } else if (
      msg.e === 'kline' ||
      msg.e === 'bookTicker' ||
      (msg.e === undefined && typeof msg.u === 'number' && typeof msg.b === 'string') || // spot bookTicker
      ('result' in msg && 'id' in msg) // subscription ack
    ) {
      // Known, nothing to do for books (bookTicker is cross-checked by the quality layer if wanted).
    } else {
      core.reject('unknown_message', `unhandled event ${describeValue(msg.e)}`, raw);
    }
  }

  /**
   * A depth diff the scanner did not read (whitespace, escapes, non-ASCII, an id it refused).
   * Ids are checked exactly first; then the frame is rebuilt compactly, in ASCII, from its known
   * fields only (anything else in it is dropped, so no nesting reaches JSON.stringify) and takes
   * the one book path. Slower, equally correct.
   */
  private onParsedDepth(msg: JsonObject, raw: string, localTs: Micros): void {
    const core = this.core;
    const symbol = typeof msg.s === 'string' ? msg.s.toUpperCase() : undefined;
    const U = updateId(msg.U);
    const u = updateId(msg.u);
    const pu = this.futures ? updateId(msg.pu) : 0;
    if (symbol !== undefined && (U === undefined || u === undefined || pu === undefined)) {
      const puText = this.futures ? ` pu=${describeValue(msg.pu)}` : '';
      const detail = `diff ids unreadable: U=${describeValue(msg.U)} u=${describeValue(msg.u)}${puText}`;
      this.refuseIds(symbol, core.book(symbol), detail, raw, localTs);
      return;
    }
    if (!isDepthUpdate(msg)) {
      const sb = symbol === undefined ? undefined : core.book(symbol);
      core.refuseFrame('malformed', 'depthUpdate with missing or mistyped fields', raw, sb, localTs);
      return;
    }
    const prev = this.futures ? `,"pu":${pu}` : '';
    const compact =
      `{"e":"depthUpdate","E":${updateId(msg.E) ?? 0},"s":${JSON.stringify(msg.s)},"U":${U},"u":${u}${prev},` +
      `"b":${JSON.stringify(msg.b)},"a":${JSON.stringify(msg.a)}}`;
    const ascii = compact.replace(NON_ASCII, escapeChar);
    const result = this.scan.scanHeader(ascii, this.futures);
    if (result === ScanResult.Depth) this.onDepth(ascii, localTs);
    else
      core.refuseFrame('malformed', 'unreadable depth frame', raw, core.book(msg.s.toUpperCase()), localTs);
  }

  private onMarkPrice(
    msg: JsonObject & { s: string; p: string; i: string; r: string; T: number; E: number },
    localTs: Micros,
  ): void {
    const sb = this.core.book(msg.s);
    const instrument = sb?.instrument ?? this.core.instruments.get(this.exchange, msg.s);
    if (!instrument) return;
    const mark = this.core.price(instrument, msg.p);
    const index = this.core.price(instrument, msg.i);
    this.core.listener.onEvent?.({
      type: 'derivative_ticker',
      exchange: this.exchange,
      symbol: instrument.symbol,
      exchangeTs: venueTimeToMicros(msg.E),
      localTs,
      markPrice: !Number.isNaN(mark) ? mark : null,
      indexPrice: !Number.isNaN(index) ? index : null,
      lastPrice: null,
      fundingRate: Number.isFinite(Number(msg.r)) ? Number(msg.r) : null,
      nextFundingTs: msg.T ? venueTimeToMicros(msg.T) : null,
      openInterest: null,
    });
  }

  onDisconnect(localTs: Micros): void {
    this.core.staleAll('disconnected', localTs);
    for (const st of this.sync.values()) {
      st.buffer = [];
      st.requested = false;
    }
  }
}
