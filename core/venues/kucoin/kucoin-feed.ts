/**
 * KuCoin spot: `/market/level2` book calibration, `/market/match` trades.
 *
 * Calibration (see README.md here): buffer level-2 messages until a REST snapshot arrives; drop the
 * buffered messages the snapshot already contains (`sequenceEnd <= sequence`); if the first one left
 * starts after `sequence + 1` the snapshot is too old and is fetched again; otherwise apply the
 * snapshot, then the buffer, then live messages. Each message must chain onto the book:
 * `sequenceStart <= book + 1` and `sequenceEnd > book` (a message ending at or below the book is
 * already in it and is skipped). Inside a message, a change whose own sequence is at or below the
 * book's was in the snapshot and is skipped; price "0" changes nothing but still advances the
 * sequence; size "0" removes the level. Any break marks the book stale, buffers anew and asks for a
 * fresh snapshot.
 */
import type { Micros } from '../../market/events.ts';
import { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { FeedCore, restRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, VenueFeed } from '../feed-types.ts';
import type { SymbolBook } from '../symbol-book.ts';
import { isObject, type JsonObject, parseJson, venueTimeToMicros } from '../wire-guards.ts';
import {
  isEnvelope,
  isL2Update,
  isMatch,
  isOrderbookSnapshot,
  isRestResponse,
  kucoinTimeToMicros,
  type L2Update,
  type OrderbookSnapshot,
  REST_OK,
  type WireChange,
  wireSequence,
} from './wire.ts';

export interface KucoinFeedOptions {
  instruments: InstrumentRegistry;
  listener?: FeedListener;
  /** Level-2 messages kept per symbol while waiting for a snapshot; the oldest are dropped beyond this. */
  maxBuffered?: number;
}

/** What KuCoin's rules make the feed skip on purpose (not errors; visible for monitoring and tests). */
export interface KucoinStats {
  /** Price "0" entries: they advanced the sequence and touched no level. */
  zeroPriceChanges: number;
  /** Changes at or below the book's sequence inside a message that straddles it (already in the snapshot). */
  staleChanges: number;
  /** Whole messages ending at or below the book's sequence (duplicates, or older than the snapshot). */
  skippedMessages: number;
}

/** A level-2 message waiting for its book's snapshot (or being applied). */
interface Pending {
  readonly update: L2Update;
  readonly start: number;
  readonly end: number;
  readonly raw: string;
  readonly localTs: Micros;
}

/** Per-symbol calibration state beside the book. */
class SyncState {
  buffer: Pending[] = [];
  requested = false;
  /** Snapshot responses refused in a row; past MAX_REFUSED_SNAPSHOTS the feed stops asking. */
  refused = 0;
}

/**
 * Why a cap: a book that cannot be represented (a size too large for its scale, see README) would
 * otherwise be re-fetched after every refusal, spending the REST budget of every other symbol.
 * Two refusals are normal when the first one taught an inferred instrument a finer scale.
 */
const MAX_REFUSED_SNAPSHOTS = 3;

/** Subjects the feed recognises and has no use for (the quality layer may read them elsewhere). */
const SILENT_SUBJECTS = new Set([
  'trade.ticker',
  'trade.snapshot',
  'trade.candles.add',
  'trade.candles.update',
  'level1',
  'level2',
]);
/** Control frames: connection welcome, subscribe acks, pongs. */
const SILENT_TYPES = new Set(['welcome', 'ack', 'pong']);

/** `GET /api/v3/market/orderbook/level2` — the full book (KuCoin rate-limit weight 3). */
const SNAPSHOT_PATH = '/api/v3/market/orderbook/level2';
const SNAPSHOT_WEIGHT = 3;

export class KucoinFeed implements VenueFeed {
  readonly exchange = 'kucoin' as const;
  readonly stats: KucoinStats = { zeroPriceChanges: 0, staleChanges: 0, skippedMessages: 0 };
  private readonly core: FeedCore;
  private readonly maxBuffered: number;
  private readonly sync = new Map<string, SyncState>();

  constructor(options: KucoinFeedOptions) {
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.core = new FeedCore({
      exchange: 'kucoin',
      instruments: options.instruments,
      listener: options.listener ?? {},
      defaultKind: 'spot',
      requestFor: restRequests(
        'kucoin',
        (venueSymbol) => `${SNAPSHOT_PATH}?symbol=${venueSymbol}`,
        SNAPSHOT_WEIGHT,
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
    const core = this.core;
    core.counters.messages++;
    const msg = parseJson(raw);
    if (msg === undefined) {
      core.reject('malformed', 'not JSON', raw);
      return;
    }
    if (!isObject(msg)) {
      core.reject('malformed', 'not an object', raw);
      return;
    }
    if (isEnvelope(msg)) {
      this.onData(msg.subject, msg.data, raw, localTs);
    } else if (typeof msg.type === 'string' && SILENT_TYPES.has(msg.type)) {
      // Nothing to do.
    } else if (msg.type === 'error') {
      core.reject('unknown_message', `venue error ${String(msg.code)}: ${String(msg.data)}`, raw);
    } else {
      core.reject('unknown_message', `unhandled frame type ${String(msg.type)}`, raw);
    }
  }

  private onData(subject: string, data: unknown, raw: string, localTs: Micros): void {
    const core = this.core;
    if (subject === 'trade.l2update') {
      if (isL2Update(data)) this.onL2Update(data, raw, localTs);
      else core.reject('malformed', 'trade.l2update with missing or mistyped fields', raw);
    } else if (subject === 'trade.l3match' || subject === 'trade.l2match') {
      if (isMatch(data))
        core.trade(
          data.symbol,
          data.tradeId,
          data.price,
          data.size,
          data.side,
          kucoinTimeToMicros(data.time),
          localTs,
          raw,
        );
      else core.reject('malformed', `${subject} with missing or mistyped fields`, raw);
    } else if (!SILENT_SUBJECTS.has(subject)) {
      core.reject('unknown_message', `unhandled subject ${subject}`, raw);
    }
  }

  private state(symbol: string): SyncState {
    let st = this.sync.get(symbol);
    if (!st) {
      st = new SyncState();
      this.sync.set(symbol, st);
    }
    return st;
  }

  private onL2Update(update: JsonObject & L2Update, raw: string, localTs: Micros): void {
    const start = wireSequence(update.sequenceStart);
    const end = wireSequence(update.sequenceEnd);
    if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
      this.core.reject(
        'malformed',
        `${update.symbol}: bad sequence range`,
        raw,
        this.core.book(update.symbol),
      );
      return;
    }
    const pending: Pending = { update, start, end, raw, localTs };
    const sb = this.core.book(update.symbol);
    if (sb) sb.counters.messages++;
    if (sb?.trust !== 'trusted') {
      this.buffer(update.symbol, pending, sb);
      return;
    }
    this.apply(sb, pending);
  }

  /** Apply one message to a trusted book, enforcing the chain. */
  private apply(sb: SymbolBook, p: Pending): void {
    const last = sb.sequence;
    if (p.end <= last) {
      this.stats.skippedMessages++;
      return;
    }
    if (p.start > last + 1) {
      const st = this.state(sb.venueSymbol);
      // The message that revealed the gap is newer than the book: keep it for after the snapshot.
      st.buffer = [p];
      st.requested = true;
      this.core.gap(sb, `sequenceStart=${p.start} expected ≤ ${last + 1}`, p.localTs);
      return;
    }
    const core = this.core;
    core.begin(sb, false);
    if (
      !this.applyChanges(sb, true, p.update.changes.bids, last) ||
      !this.applyChanges(sb, false, p.update.changes.asks, last)
    ) {
      // Its content is lost; the chain check catches any snapshot older than it.
      const st = this.state(sb.venueSymbol);
      st.buffer = [];
      st.requested = true;
      core.abort(sb, p.raw, p.localTs);
      return;
    }
    core.commitUpdate(sb, p.end, venueTimeToMicros(p.update.time), p.localTs);
  }

  private applyChanges(
    sb: SymbolBook,
    isBid: boolean,
    changes: readonly WireChange[],
    last: number,
  ): boolean {
    const core = this.core;
    const instrument = sb.instrument;
    for (const c of changes) {
      const seq = wireSequence(c[2]);
      if (Number.isNaN(seq)) {
        core.lastReject = 'malformed';
        return false;
      }
      if (seq <= last) {
        this.stats.staleChanges++;
        continue;
      }
      const priceText = c[0];
      const price = core.price(instrument, priceText);
      if (price === 0) {
        this.stats.zeroPriceChanges++;
        continue;
      }
      const sizeText = c[1];
      if (!core.levelUnits(sb, isBid, price, core.size(instrument, sizeText), priceText, sizeText))
        return false;
    }
    return true;
  }

  private buffer(symbol: string, p: Pending, sb: SymbolBook | undefined): void {
    const st = this.state(symbol);
    st.buffer.push(p);
    if (st.buffer.length > this.maxBuffered) st.buffer.shift();
    if (st.requested || st.refused >= MAX_REFUSED_SNAPSHOTS) return;
    st.requested = true;
    if (sb) this.core.requestSnapshot(sb, 'book not trusted', p.localTs);
    else this.core.requestFirstSnapshot(symbol, 'no book yet');
  }

  onSnapshot(venueSymbol: string, body: string, localTs: Micros): void {
    const core = this.core;
    const st = this.state(venueSymbol);
    const parsed = parseJson(body);
    if (!isRestResponse(parsed)) {
      this.refused(st); // the next message asks again
      core.reject('malformed', `${venueSymbol}: snapshot response of unexpected shape`, body);
      return;
    }
    if (parsed.code !== REST_OK) {
      this.refused(st);
      core.reject('unknown_message', `${venueSymbol}: REST error ${parsed.code} ${parsed.msg ?? ''}`, body);
      return;
    }
    const snap = parsed.data;
    const sequence = isOrderbookSnapshot(snap) ? wireSequence(snap.sequence) : Number.NaN;
    if (!isOrderbookSnapshot(snap) || Number.isNaN(sequence)) {
      this.refused(st);
      core.reject('malformed', `${venueSymbol}: snapshot of unexpected shape`, body);
      return;
    }
    const existing = core.book(venueSymbol);
    // Unsolicited snapshot for a healthy book: our book is at least as current; keep it.
    if (existing?.trust === 'trusted') return;
    // Drop what the snapshot already contains.
    const pending = st.buffer.filter((p) => p.end > sequence);
    this.stats.skippedMessages += st.buffer.length - pending.length;
    st.buffer = pending;
    const first = pending[0];
    if (first && first.start > sequence + 1) {
      // Older than everything buffered: the changes in between are in neither. Fetch again.
      st.requested = true;
      const reason = `snapshot ${sequence} older than buffered sequenceStart ${first.start}`;
      if (existing) core.requestSnapshot(existing, reason, localTs);
      else core.requestFirstSnapshot(venueSymbol, reason);
      return;
    }
    const sb = this.applySnapshot(venueSymbol, snap, sequence, body, localTs);
    if (!sb) {
      this.refused(st);
      return;
    }
    st.requested = false;
    st.refused = 0;
    st.buffer = [];
    for (let i = 0; i < pending.length; i++) {
      this.apply(sb, pending[i]!);
      if (sb.trust !== 'trusted') {
        // A break inside the buffer: what is left waits for the next snapshot.
        st.buffer.push(...pending.slice(i + 1));
        break;
      }
    }
  }

  /** A snapshot response could not be used: let the next message ask again (up to the cap). */
  private refused(st: SyncState): void {
    st.requested = false;
    st.refused++;
  }

  private applySnapshot(
    venueSymbol: string,
    snap: OrderbookSnapshot,
    sequence: number,
    body: string,
    localTs: Micros,
  ): SymbolBook | undefined {
    const core = this.core;
    const sb = core.ensureBook(
      venueSymbol,
      snap.bids.map((l) => l[0]).concat(snap.asks.map((l) => l[0])),
      snap.bids.map((l) => l[1]).concat(snap.asks.map((l) => l[1])),
    );
    if (!sb) {
      core.reject('unknown_symbol', `${venueSymbol}: no instrument and an empty snapshot`, body);
      return undefined;
    }
    core.begin(sb, true);
    for (const [p, q] of snap.bids) if (!core.level(sb, true, p, q)) return this.refuse(sb, body, localTs);
    for (const [p, q] of snap.asks) if (!core.level(sb, false, p, q)) return this.refuse(sb, body, localTs);
    core.commitSnapshot(sb, sequence, venueTimeToMicros(snap.time), localTs);
    return sb;
  }

  private refuse(sb: SymbolBook, body: string, localTs: Micros): undefined {
    sb.book.clear();
    this.core.abort(sb, body, localTs);
    return undefined;
  }

  onDisconnect(localTs: Micros): void {
    this.core.staleAll('disconnected', localTs);
    for (const st of this.sync.values()) {
      st.buffer = [];
      st.requested = false;
      st.refused = 0;
    }
  }
}

export interface CreateKucoinFeedOptions {
  instruments?: InstrumentRegistry;
  listener?: FeedListener;
  maxBuffered?: number;
}

/** A KuCoin spot feed (level-2 books calibrated from REST snapshots, match trades). */
export function createKucoinFeed(options: CreateKucoinFeedOptions = {}): KucoinFeed {
  return new KucoinFeed({ ...options, instruments: options.instruments ?? new InstrumentRegistry() });
}
