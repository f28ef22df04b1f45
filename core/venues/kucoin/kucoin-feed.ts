/**
 * KuCoin spot: `/market/level2` book calibration, `/market/match` trades.
 *
 * Calibration (see README.md here): buffer level-2 messages until a REST snapshot arrives; the
 * buffered messages the snapshot already contains (`sequenceEnd <= sequence`) are skipped; if the
 * first one after it starts after `sequence + 1` the snapshot is too old and is fetched again;
 * otherwise apply the snapshot, then the buffer, then live messages. Each message must chain onto
 * the book: `sequenceStart == book + 1`, except the first message after the snapshot, which may
 * straddle it (`sequenceStart <= book + 1 < sequenceEnd`). A message ending at or below the book is
 * already in it and is skipped (FeedCore.skipApplied: a trusted book that keeps skipping goes stale).
 * Inside a message, a change whose own sequence is at or below the book's was in the snapshot and is
 * skipped; price "0" changes nothing but still advances the sequence; size "0" removes the level.
 *
 * Every message's sequences are checked before it is used: `sequenceStart <= sequenceEnd`, every
 * change's `seq` inside that range, increasing along each side, never on both sides, the highest
 * one equal to `sequenceEnd`. A message that fails could make the next genuine one look old (or a
 * change look already applied): it is refused ('bad_sequence') and its book rebuilt.
 */

import type { Micros } from '../../market/events.ts';
import { InstrumentRegistry } from '../../market/instrument-registry.ts';
import { describeValue } from '../describe-frame.ts';
import { FeedCore, restRequests } from '../feed-core.ts';
import type { FeedCounters, FeedListener, RejectReason, VenueFeed } from '../feed-types.ts';
import { sequenceId } from '../sequence-id.ts';
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
  /**
   * Buffered messages dropped because a later one does not chain onto them (a message in between
   * was lost or refused): no snapshot can bridge both, so the buffer restarts from the later one.
   */
  unbridgeable: number;
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
  /** The book's sequence is its snapshot's: the next message may straddle it. */
  atSnapshot = false;
  /** localTs of the snapshot the book was built from. */
  snapshotAt = 0;
}

/**
 * Why a cap: a book that cannot be represented (a size too large for its scale, see README) would
 * otherwise be re-fetched after every refusal, spending the REST budget of every other symbol.
 * Two refusals are normal when the first one taught an inferred instrument a finer scale.
 */
const MAX_REFUSED_SNAPSHOTS = 3;

/**
 * How long after its snapshot (µs of localTs) a book may keep skipping live messages the snapshot
 * already holds as the normal catch-up: the websocket often lags the REST response (on the capture
 * BCHSV-USDT skips 18 live messages in the 220 ms after its snapshot). Past this, skips count
 * towards FeedCore's run limit, so a snapshot whose sequence is too high does not hold the book for good.
 */
const CATCH_UP_US = 2_000_000;

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
  readonly stats: KucoinStats = { zeroPriceChanges: 0, staleChanges: 0, skippedMessages: 0, unbridgeable: 0 };
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
    const msg = parseJsonStrict(raw);
    if (msg === undefined) {
      core.refuseFrame('malformed', 'not JSON', raw, this.bookNamedIn(raw), localTs);
      return;
    }
    if (msg instanceof JsonRefusal) {
      core.refuseFrame(msg.reason, msg.detail, raw, this.bookNamedIn(raw), localTs);
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
      core.reject(
        'unknown_message',
        `venue error ${describeValue(msg.code)}: ${describeValue(msg.data)}`,
        raw,
      );
    } else if (isObject(msg.data) && typeof msg.data.symbol === 'string' && 'changes' in msg.data) {
      // A level2 update whose envelope lost a field: the book it names missed an update.
      const detail = 'level2 update with an envelope of unexpected shape';
      core.refuseFrame('malformed', detail, raw, core.book(msg.data.symbol), localTs);
    } else {
      core.reject('unknown_message', `unhandled frame type ${describeValue(msg.type)}`, raw);
    }
  }

  /** The book a frame refused whole was meant for, read leniently (a repeated key: the last wins). */
  private bookNamedIn(raw: string): SymbolBook | undefined {
    const msg = parseJson(raw);
    if (msg === undefined && raw.includes('"subject":"trade.l2update"')) {
      const symbol = stringAfter(raw, '"symbol":"');
      return symbol === undefined ? undefined : this.core.book(symbol);
    }
    if (!isObject(msg) || msg.subject !== 'trade.l2update' || !isObject(msg.data)) return undefined;
    return typeof msg.data.symbol === 'string' ? this.core.book(msg.data.symbol) : undefined;
  }

  private onData(subject: string, data: unknown, raw: string, localTs: Micros): void {
    const core = this.core;
    if (subject === 'trade.l2update') {
      if (isL2Update(data)) this.onL2Update(data, raw, localTs);
      else {
        const symbol = isObject(data) && typeof data.symbol === 'string' ? data.symbol : undefined;
        this.refuseUpdate(
          symbol,
          'malformed',
          'trade.l2update with missing or mistyped fields',
          raw,
          localTs,
        );
      }
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
    const symbol = update.symbol;
    const start = sequenceId(update.sequenceStart);
    const end = sequenceId(update.sequenceEnd);
    const fault =
      start === undefined || end === undefined
        ? 'sequenceStart/sequenceEnd not a sequence'
        : end < start
          ? 'sequenceEnd before sequenceStart'
          : changesFault(update.changes.asks, update.changes.bids, start, end);
    if (fault !== undefined) {
      this.refuseUpdate(
        symbol,
        'bad_sequence',
        `${fault} (sequenceStart ${describeValue(update.sequenceStart)}, sequenceEnd ${describeValue(update.sequenceEnd)})`,
        raw,
        localTs,
      );
      return;
    }
    const pending: Pending = { update, start: start!, end: end!, raw, localTs };
    const sb = this.core.book(symbol);
    if (sb) sb.counters.messages++;
    if (sb?.trust !== 'trusted') {
      this.buffer(symbol, pending, sb);
      return;
    }
    const st = this.state(symbol);
    this.apply(sb, st, pending, st.atSnapshot && localTs - st.snapshotAt <= CATCH_UP_US);
  }

  /**
   * A level-2 message that cannot be used (`detail` without the symbol). Its changes are lost, so a
   * trusted book it belonged to is rebuilt; a buffered run gets a hole, which the next buffered
   * message reveals (see buffer).
   */
  private refuseUpdate(
    symbol: string | undefined,
    reason: RejectReason,
    detail: string,
    raw: string,
    localTs: Micros,
  ): void {
    const core = this.core;
    const sb = symbol === undefined ? undefined : core.book(symbol);
    if (symbol === undefined || sb?.trust !== 'trusted') {
      core.reject(reason, symbol === undefined ? detail : `${symbol}: ${detail}`, raw, sb);
      return;
    }
    const st = this.state(symbol);
    st.buffer = [];
    st.requested = true;
    if (reason === 'bad_sequence') {
      core.sequenceJump(sb, detail, raw, localTs);
    } else {
      core.reject(reason, `${symbol}: ${detail}`, raw, sb);
      core.markStale(sb, `refused message (${reason})`, localTs);
    }
  }

  /**
   * Apply one message to a trusted book, enforcing the chain. `draining`: it was buffered before the
   * snapshot, or arrived in the catch-up right after it (see CATCH_UP_US).
   */
  private apply(sb: SymbolBook, st: SyncState, p: Pending, draining: boolean): void {
    const core = this.core;
    const last = sb.sequence;
    if (p.end <= last) {
      this.stats.skippedMessages++;
      core.skipApplied(sb, p.localTs, draining);
      if (sb.trust !== 'trusted') st.requested = true;
      return;
    }
    if (p.start > last + 1) {
      // The message that revealed the gap is newer than the book: keep it for after the snapshot.
      st.buffer = [p];
      st.requested = true;
      core.gap(sb, `sequenceStart=${p.start} expected ≤ ${last + 1}`, p.localTs);
      return;
    }
    const straddles = p.start <= last;
    if (straddles && !st.atSnapshot) {
      // Consecutive messages never overlap: one of the two carries a wrong sequence.
      st.buffer = [];
      st.requested = true;
      core.sequenceJump(sb, `sequenceStart=${p.start} overlaps the book at ${last}`, p.raw, p.localTs);
      return;
    }
    core.begin(sb, false);
    // Only a message straddling the snapshot holds changes the book already has.
    const applied = straddles ? last : -1;
    if (
      !this.applyChanges(sb, true, p.update.changes.bids, applied) ||
      !this.applyChanges(sb, false, p.update.changes.asks, applied)
    ) {
      // Its content is lost; the chain check catches any snapshot older than it.
      st.buffer = [];
      st.requested = true;
      core.abort(sb, p.raw, p.localTs);
      return;
    }
    st.atSnapshot = false;
    core.commitUpdate(sb, p.end, venueTimeToMicros(p.update.time), p.localTs);
  }

  /** Changes with a sequence at or below `applied` are skipped (read only when `applied` ≥ 0). */
  private applyChanges(
    sb: SymbolBook,
    isBid: boolean,
    changes: readonly WireChange[],
    applied: number,
  ): boolean {
    const core = this.core;
    const instrument = sb.instrument;
    for (const c of changes) {
      // The sequences were checked by changesFault.
      if (applied >= 0 && sequenceId(c[2])! <= applied) {
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
    const previous = st.buffer[st.buffer.length - 1];
    if (previous !== undefined && p.end <= previous.end) {
      this.stats.skippedMessages++; // a re-delivery of what is buffered already
      return;
    }
    if (previous !== undefined && p.start !== previous.end + 1) {
      // A message in between was lost or refused: no snapshot can bridge the buffer to this one.
      this.stats.unbridgeable += st.buffer.length;
      st.buffer = [];
    }
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
    const parsed = parseJsonStrict(body);
    if (parsed instanceof JsonRefusal) {
      this.refused(st);
      core.reject(parsed.reason, `${venueSymbol}: snapshot response: ${parsed.detail}`, body);
      return;
    }
    if (!isRestResponse(parsed)) {
      this.refused(st); // the next message asks again
      core.reject('malformed', `${venueSymbol}: snapshot response of unexpected shape`, body);
      return;
    }
    if (parsed.code !== REST_OK) {
      this.refused(st);
      const msg = parsed.msg === undefined ? '' : describeValue(parsed.msg);
      core.reject('unknown_message', `${venueSymbol}: REST error ${parsed.code} ${msg}`, body);
      return;
    }
    const snap = parsed.data;
    if (!isOrderbookSnapshot(snap)) {
      this.refused(st);
      core.reject('malformed', `${venueSymbol}: snapshot of unexpected shape`, body);
      return;
    }
    const sequence = sequenceId(snap.sequence);
    if (sequence === undefined) {
      this.refused(st);
      core.reject(
        'bad_sequence',
        `${venueSymbol}: snapshot sequence ${describeValue(snap.sequence)} is not a sequence`,
        body,
      );
      return;
    }
    const existing = core.book(venueSymbol);
    // Unsolicited snapshot for a healthy book: our book is at least as current; keep it.
    if (existing?.trust === 'trusted') return;
    const pending = st.buffer;
    const first = pending.find((p) => p.end > sequence);
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
    st.atSnapshot = true;
    st.snapshotAt = localTs;
    st.buffer = [];
    for (let i = 0; i < pending.length; i++) {
      this.apply(sb, st, pending[i]!, true);
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
      st.atSnapshot = false;
    }
  }
}

/**
 * Why a level-2 message's change sequences cannot be right (undefined when they can): each `seq`
 * a sequence inside [start, end], increasing along each side and never on both sides (one merge
 * walk over the two sides), the highest equal to `end` — the change carrying `end` is the last
 * modification of its price, so aggregation never removes it. Constant strings: no allocation.
 */
export function changesFault(
  asks: readonly WireChange[],
  bids: readonly WireChange[],
  start: number,
  end: number,
): string | undefined {
  let i = 0;
  let j = 0;
  let a = seqAt(asks, 0);
  let b = seqAt(bids, 0);
  let previous = -1;
  while (i < asks.length || j < bids.length) {
    if (Number.isNaN(a) || Number.isNaN(b)) return 'a change seq is not a sequence';
    let seq: number;
    if (a < b) {
      seq = a;
      a = seqAt(asks, ++i);
    } else if (b < a) {
      seq = b;
      b = seqAt(bids, ++j);
    } else {
      return 'one seq on both sides';
    }
    if (seq <= previous) return 'change seqs not increasing';
    if (seq < start || seq > end) return 'a change seq outside [sequenceStart, sequenceEnd]';
    previous = seq;
  }
  return previous >= 0 && previous !== end ? 'highest change seq is not sequenceEnd' : undefined;
}

/** The k-th change's sequence; NaN when unreadable, +Infinity past the last change. */
function seqAt(changes: readonly WireChange[], k: number): number {
  if (k >= changes.length) return Number.POSITIVE_INFINITY;
  return sequenceId(changes[k]![2]) ?? Number.NaN;
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
