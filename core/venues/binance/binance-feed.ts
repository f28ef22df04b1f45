/**
 * Binance spot and USD-M futures: diff-depth book sync, trades, mark price.
 *
 * Sync (see README.md here): buffer diffs until a REST snapshot arrives; discard diffs the snapshot
 * already contains; the first applied diff must bridge the snapshot id; then spot requires
 * `U == previous u + 1` and futures `pu == previous u`. A snapshot older than the first buffered
 * diff is re-fetched. Any break marks the book stale, buffers anew and asks for a fresh snapshot.
 */
import type { Micros } from '../../market/events.ts';
import type { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { FeedCore, restRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, VenueFeed } from '../feed-types.ts';
import type { SymbolBook } from '../symbol-book.ts';
import { isObject, type JsonObject, parseJson, venueTimeToMicros } from '../wire-guards.ts';
import { applyFrameLevels, applyLevelArray } from './apply-wire-levels.ts';
import { DepthScan, forEachWireLevel, ScanResult } from './depth-scanner.ts';
import {
  type DepthSnapshot,
  isAggTrade,
  isCombined,
  isDepthSnapshot,
  isDepthUpdate,
  isMarkPriceUpdate,
  isTrade,
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
}

/** Per-symbol sync state beside the book. */
class SyncState {
  buffer: Buffered[] = [];
  requested = false;
  /** Futures: the next diff is the first after a snapshot (bridging rule instead of pu). */
  firstAfterSnapshot = false;
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
    if (this.scan.scanHeader(raw, this.futures) === ScanResult.Depth) {
      this.onDepth(raw, localTs);
      return;
    }
    this.onOther(raw, localTs);
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
    if (sb?.trust !== 'trusted') {
      this.buffer(symbol, raw, localTs, scan.firstId);
      return;
    }
    const U = scan.firstId;
    const u = scan.finalId;
    const last = sb.sequence;
    const st = this.state(symbol);
    if (this.futures) {
      // u == last: everything in the frame is already in the book (the snapshot's lastUpdateId
      // includes it), so it is dropped like older frames; the next one then chains by pu.
      if (u <= last) return;
      if (st.firstAfterSnapshot) {
        if (U > last && scan.prevFinalId !== last) {
          this.breakSequence(sb, st, `first diff U=${U} after snapshot ${last}`, raw, localTs);
          return;
        }
        st.firstAfterSnapshot = false;
      } else if (scan.prevFinalId !== last) {
        this.breakSequence(sb, st, `pu=${scan.prevFinalId} expected ${last}`, raw, localTs);
        return;
      }
    } else {
      if (u <= last) return; // already in the book
      if (U > last + 1) {
        this.breakSequence(sb, st, `U=${U} expected ≤ ${last + 1}`, raw, localTs);
        return;
      }
    }
    this.core.begin(sb, false);
    if (!this.applyLevels(sb, raw)) {
      this.core.abort(sb, raw, localTs);
      this.buffer(symbol, raw, localTs, U);
      return;
    }
    this.core.commitUpdate(sb, u, venueTimeToMicros(scan.eventTime), localTs);
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
      if (scan.scan(raw) !== ScanResult.Depth) {
        this.core.lastReject = 'malformed';
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
    this.buffer(sb.venueSymbol, raw, localTs, this.scan.firstId);
  }

  private buffer(symbol: string, raw: string, localTs: Micros, firstId: number): void {
    const st = this.state(symbol);
    st.buffer.push({ raw, localTs, firstId });
    if (st.buffer.length > this.maxBuffered) st.buffer.shift();
    if (!st.requested) {
      st.requested = true;
      this.core.requestFirstSnapshot(symbol, 'no book yet');
    }
  }

  onSnapshot(venueSymbol: string, body: string, localTs: Micros): void {
    const symbol = venueSymbol.toUpperCase();
    const parsed = parseJson(body);
    const st = this.state(symbol);
    if (!isDepthSnapshot(parsed)) {
      this.core.reject('malformed', `${symbol}: depth snapshot of unexpected shape`, body);
      st.requested = false; // the next diff asks again
      return;
    }
    const existing = this.core.book(symbol);
    // Unsolicited snapshot for a healthy book: our book is at least as good; keep it.
    if (existing?.trust === 'trusted') return;
    const L = parsed.lastUpdateId;
    const first = st.buffer[0];
    if (first && (this.futures ? L < first.firstId : L + 1 < first.firstId)) {
      // Snapshot older than everything buffered: the bridge is missing, fetch again.
      st.requested = true;
      if (existing) this.core.requestSnapshot(existing, 'snapshot older than buffered diffs', localTs);
      else this.core.requestFirstSnapshot(symbol, 'snapshot older than buffered diffs');
      return;
    }
    const sb = this.applySnapshot(symbol, parsed, body, localTs);
    if (!sb) {
      st.requested = false; // refused (counted): the next diff asks again
      return;
    }
    st.requested = false;
    st.firstAfterSnapshot = true;
    const pending = st.buffer;
    st.buffer = [];
    for (const b of pending) {
      if (this.scan.scanHeader(b.raw, this.futures) === ScanResult.Depth) this.onDepth(b.raw, b.localTs);
      else this.onOther(b.raw, b.localTs);
      if (sb.trust !== 'trusted') {
        // A gap inside the buffer: what is left waits for the next snapshot.
        const rest = pending.slice(pending.indexOf(b) + 1);
        st.buffer.push(...rest);
        break;
      }
    }
  }

  private applySnapshot(
    symbol: string,
    snap: DepthSnapshot,
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
    this.core.commitSnapshot(sb, snap.lastUpdateId, venueTimeToMicros(snap.E), localTs);
    return sb;
  }

  private refuseSnapshot(sb: SymbolBook, body: string, localTs: Micros): undefined {
    sb.book.clear();
    this.core.abort(sb, body, localTs);
    return undefined;
  }

  /** Everything but depth diffs: parsed generically (they are rarer and not on the book path). */
  private onOther(raw: string, localTs: Micros): void {
    const parsed = parseJson(raw);
    if (parsed === undefined) {
      this.core.reject('malformed', 'not JSON', raw);
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
    } else if (isDepthUpdate(msg)) {
      // Valid depth JSON in a layout the scanner does not read (whitespace, escapes, non-ASCII):
      // re-serialize compactly, in ASCII, and take the one book path. Slower, equally correct.
      const compact = JSON.stringify(msg).replace(NON_ASCII, escapeChar);
      if (this.scan.scanHeader(compact, this.futures) === ScanResult.Depth) this.onDepth(compact, localTs);
      else core.reject('malformed', `${msg.s}: unreadable depth frame`, raw);
    } else if (msg.e === 'depthUpdate') {
      core.reject('malformed', 'depthUpdate with missing or mistyped fields', raw);
    } else if (
      msg.e === 'kline' ||
      msg.e === 'bookTicker' ||
      (msg.e === undefined && typeof msg.u === 'number' && typeof msg.b === 'string') || // spot bookTicker
      ('result' in msg && 'id' in msg) // subscription ack
    ) {
      // Known, nothing to do for books (bookTicker is cross-checked by the quality layer if wanted).
    } else {
      core.reject('unknown_message', `unhandled event ${String(msg.e)}`, raw);
    }
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
