/**
 * Coinbase Exchange `full` channel → one L3 (order-level) book per product, with the SymbolBook's
 * L2 book kept equal to its aggregate, so everything downstream sees an ordinary L2 book.
 *
 * Sync (README.md here): messages of a product without a trusted book are buffered and one REST
 * snapshot `/products/<id>/book?level=3` is requested. Snapshot sequence S: buffered messages with
 * `sequence ≤ S` are discarded, the rest applied; if the first buffered message is newer than S + 1
 * the snapshot cannot bridge to it and is fetched again. Live: `sequence` must be the last + 1;
 * lower or equal is a duplicate (dropped), higher is a gap (stale, buffer, new snapshot). A message
 * that contradicts the book (a match or an open for an order we do not hold / already hold) is
 * treated like a gap: the only way it can happen on an unbroken sequence is a message we never saw.
 */
import { L3Book, L3Result } from '../../book/l3-book.ts';
import type { L3OrderEvent, Micros, Side } from '../../market/events.ts';
import { parseDecimal } from '../../num/parse-decimal.ts';
import type { FeedCore } from '../feed-core.ts';
import type { SymbolBook } from '../symbol-book.ts';
import { JsonRefusal, parseJsonStrict } from '../wire-guards.ts';
import { isoToMicros } from './iso-time.ts';
import { type FullMessage, isL3Snapshot, isSide, type L3Snapshot, str } from './wire.ts';

interface Buffered {
  readonly msg: FullMessage;
  readonly raw: string;
  readonly localTs: Micros;
}

class ProductState {
  l3: L3Book | undefined;
  buffer: Buffered[] = [];
  /** A snapshot has been asked for and not yet applied. */
  requested = false;
}

const DECIMAL_SHAPE = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Does a buffered message from index `from` on carry sequence `seq`? */
function chainsLater(pending: readonly Buffered[], from: number, seq: number): boolean {
  for (let k = from; k < pending.length; k++) if (pending[k]!.msg.sequence === seq) return true;
  return false;
}

export class FullChannelBooks {
  private readonly core: FeedCore;
  private readonly maxBuffered: number;
  private readonly states = new Map<string, ProductState>();
  /** Messages dropped because their sequence was already applied (duplicates, out of order). */
  duplicates = 0;
  /** Change/done messages for orders not on the book (received-only orders): ignored, as documented. */
  ignored = 0;
  /** Buffered messages dropped because a later one continued the book without them (a wrong sequence). */
  unbridgeable = 0;

  constructor(core: FeedCore, maxBuffered: number) {
    this.core = core;
    this.maxBuffered = maxBuffered;
  }

  /** The L3 book of a product (its aggregate is the product's SymbolBook.book). */
  l3(productId: string): L3Book | undefined {
    return this.states.get(productId)?.l3;
  }

  private state(productId: string): ProductState {
    let st = this.states.get(productId);
    if (!st) {
      st = new ProductState();
      this.states.set(productId, st);
    }
    return st;
  }

  onMessage(msg: FullMessage, raw: string, localTs: Micros): void {
    const st = this.state(msg.product_id);
    const sb = this.core.book(msg.product_id);
    if (sb) sb.counters.messages++;
    if (!sb || !st.l3 || sb.trust !== 'trusted') {
      this.buffer(st, msg, raw, localTs, sb);
      return;
    }
    this.sequenced(sb, st, st.l3, msg, raw, localTs, false);
  }

  /** A sequenced message whose `sequence` cannot be read: lost, so its product's book is rebuilt. */
  badSequence(productId: string, detail: string, raw: string, localTs: Micros): void {
    const sb = this.core.book(productId);
    if (sb?.trust !== 'trusted') {
      this.core.reject('bad_sequence', `${productId}: ${detail}`, raw, sb);
      return;
    }
    const st = this.state(productId);
    st.buffer = [];
    st.requested = true;
    this.core.sequenceJump(sb, detail, raw, localTs);
  }

  private sequenced(
    sb: SymbolBook,
    st: ProductState,
    l3: L3Book,
    msg: FullMessage,
    raw: string,
    localTs: Micros,
    draining: boolean,
  ): void {
    const last = sb.sequence;
    const seq = msg.sequence;
    if (seq <= last) {
      // A duplicate (the same match also comes on the matches channel); a run of them means the
      // book's sequence is ahead of the feed (FeedCore.skipApplied).
      this.duplicates++;
      this.core.skipApplied(sb, localTs, draining);
      if (sb.trust !== 'trusted') st.requested = true;
      return;
    }
    if (seq !== last + 1) {
      this.breakSequence(sb, st, `sequence ${seq}, expected ${last + 1}`, msg, raw, localTs);
      return;
    }
    this.apply(sb, st, l3, msg, raw, localTs);
  }

  private breakSequence(
    sb: SymbolBook,
    st: ProductState,
    detail: string,
    msg: FullMessage,
    raw: string,
    localTs: Micros,
  ): false {
    st.buffer = [];
    st.requested = true;
    this.core.gap(sb, detail, localTs);
    // Newer than anything applied: keep it for after the snapshot.
    this.buffer(st, msg, raw, localTs, sb);
    return false;
  }

  private buffer(
    st: ProductState,
    msg: FullMessage,
    raw: string,
    localTs: Micros,
    sb: SymbolBook | undefined,
  ): void {
    st.buffer.push({ msg, raw, localTs });
    if (st.buffer.length > this.maxBuffered) st.buffer.shift();
    if (st.requested) return;
    st.requested = true;
    if (sb) this.core.requestSnapshot(sb, 'no L3 book yet', localTs);
    else this.core.requestFirstSnapshot(msg.product_id, 'no L3 book yet');
  }

  /** REST `/products/<id>/book?level=3` body. */
  onSnapshot(productId: string, body: string, localTs: Micros): void {
    const parsed = parseJsonStrict(body);
    if (parsed instanceof JsonRefusal) {
      this.core.reject(parsed.reason, `${productId}: level 3 snapshot: ${parsed.detail}`, body);
      return;
    }
    if (!isL3Snapshot(parsed)) {
      this.core.reject('malformed', `${productId}: level 3 snapshot of unexpected shape`, body);
      return;
    }
    const st = this.state(productId);
    const existing = this.core.book(productId);
    // Unsolicited snapshot for a healthy book: ours is at least as fresh.
    if (existing?.trust === 'trusted' && st.l3) return;
    const S = parsed.sequence;
    // It bridges when nothing newer is buffered or a buffered message follows it directly (a newer
    // first one without that is either after a loss or itself wrong; the rest decides which).
    let newest = Number.NEGATIVE_INFINITY;
    let follows = false;
    for (const b of st.buffer) {
      newest = Math.max(newest, b.msg.sequence);
      if (b.msg.sequence === S + 1) follows = true;
    }
    if (newest > S && !follows) {
      st.requested = true;
      const reason = `snapshot ${S} older than buffered sequence ${st.buffer[0]!.msg.sequence}`;
      if (existing) this.core.requestSnapshot(existing, reason, localTs);
      else this.core.requestFirstSnapshot(productId, reason);
      return;
    }
    const sb = this.load(productId, st, parsed, body, localTs);
    st.requested = false;
    if (!sb) return;
    const pending = st.buffer;
    st.buffer = [];
    const l3 = st.l3!;
    for (let i = 0; i < pending.length; i++) {
      if (sb.trust !== 'trusted') {
        // A break inside the buffer: what is left waits for the next snapshot.
        for (let k = i; k < pending.length; k++) st.buffer.push(pending[k]!);
        break;
      }
      const b = pending[i]!;
      if (b.msg.sequence <= sb.sequence) {
        this.core.skipApplied(sb, b.localTs, true); // already in the snapshot (not a duplicate)
        continue;
      }
      if (b.msg.sequence > sb.sequence + 1 && chainsLater(pending, i + 1, sb.sequence + 1)) {
        // A later buffered message continues the book: this one carries a wrong sequence.
        this.unbridgeable++;
        continue;
      }
      this.sequenced(sb, st, l3, b.msg, b.raw, b.localTs, true);
    }
  }

  private load(
    productId: string,
    st: ProductState,
    snap: L3Snapshot,
    body: string,
    localTs: Micros,
  ): SymbolBook | undefined {
    const core = this.core;
    const known = core.book(productId)?.instrument ?? core.instruments.get(core.exchange, productId);
    const sb =
      known && known.source !== 'inferred'
        ? core.ensureBook(productId)
        : core.ensureBook(
            productId,
            snap.bids.map((o) => o[0]).concat(snap.asks.map((o) => o[0])),
            snap.bids.map((o) => o[1]).concat(snap.asks.map((o) => o[1])),
          );
    if (!sb) {
      core.reject('unknown_symbol', `${productId}: no instrument`, body);
      return undefined;
    }
    st.l3 ??= new L3Book({ l2: sb.book, changes: core.changes });
    const l3 = st.l3;
    core.begin(sb, false);
    l3.beginLoad();
    if (!this.loadSide(sb, l3, snap.bids, true) || !this.loadSide(sb, l3, snap.asks, false)) {
      l3.clear();
      core.abort(sb, body, localTs);
      return undefined;
    }
    l3.endLoad();
    core.commitSnapshot(sb, snap.sequence, 0, localTs);
    return sb;
  }

  private loadSide(sb: SymbolBook, l3: L3Book, orders: L3Snapshot['bids'], isBid: boolean): boolean {
    for (const [p, s, id] of orders) {
      const price = this.units(sb, p, true);
      const size = this.units(sb, s, false);
      if (Number.isNaN(price) || Number.isNaN(size)) return false;
      const r = l3.add(id, isBid, price, size);
      if (r !== L3Result.Ok) {
        this.core.lastReject = r === L3Result.Duplicate ? 'malformed' : 'bad_decimal';
        return false;
      }
    }
    return true;
  }

  /**
   * Parse a price or size wire string at the instrument's scale; NaN (and core.lastReject set) when
   * refused. A value finer than an inferred instrument widens it (the rebuild uses the new scale).
   */
  private units(sb: SymbolBook, text: unknown, isPrice: boolean): number {
    const core = this.core;
    if (typeof text !== 'string') {
      core.lastReject = 'malformed';
      return Number.NaN;
    }
    const i = sb.instrument;
    const v = parseDecimal(text, isPrice ? i.priceScale : i.sizeScale);
    if (v >= 0) return v;
    if (v < 0) {
      core.lastReject = 'negative_size';
      return Number.NaN;
    }
    const tooFine = DECIMAL_SHAPE.test(text);
    core.lastReject = tooFine ? 'precision' : 'bad_decimal';
    if (tooFine && i.source === 'inferred') {
      core.ensureBook(sb.venueSymbol, isPrice ? [text] : ['0'], isPrice ? ['0'] : [text]);
    }
    return Number.NaN;
  }

  /** Apply one in-sequence message; false when it was refused (the book is then stale). */
  private apply(
    sb: SymbolBook,
    st: ProductState,
    l3: L3Book,
    msg: FullMessage,
    raw: string,
    localTs: Micros,
  ): boolean {
    const core = this.core;
    core.begin(sb, false);
    const seq = msg.sequence;
    const exchangeTs = isoToMicros(msg.time);
    const wantEvents = core.listener.onEvent !== undefined;
    let event: L3OrderEvent | undefined;
    switch (msg.type) {
      case 'received': {
        // Not on the book yet (an `open` follows if any of it rests): event only. Checked like every
        // sequenced message all the same, so trust never depends on who listens.
        const side = msg.side;
        const orderId = str(msg, 'order_id');
        if (!isSide(side) || orderId === undefined) return this.refuse(sb, st, 'malformed', raw, localTs);
        const priceText = str(msg, 'price');
        const sizeText = str(msg, 'size');
        const price = priceText === undefined ? 0 : this.units(sb, priceText, true);
        const size = sizeText === undefined ? 0 : this.units(sb, sizeText, false);
        if (Number.isNaN(price) || Number.isNaN(size)) return this.refuse(sb, st, undefined, raw, localTs);
        if (wantEvents)
          event = this.event(sb, msg, 'received', exchangeTs, localTs, orderId, side, price, size);
        break;
      }
      case 'open': {
        const side = msg.side;
        const orderId = str(msg, 'order_id');
        if (!isSide(side) || orderId === undefined) return this.refuse(sb, st, 'malformed', raw, localTs);
        const price = this.units(sb, msg.price, true);
        const size = this.units(sb, msg.remaining_size, false);
        if (Number.isNaN(price) || Number.isNaN(size)) return this.refuse(sb, st, undefined, raw, localTs);
        const r = l3.add(orderId, side === 'buy', price, size);
        if (r === L3Result.Duplicate) {
          return this.breakSequence(
            sb,
            st,
            `open for order ${orderId} already on the book`,
            msg,
            raw,
            localTs,
          );
        }
        if (r !== L3Result.Ok) return this.refuse(sb, st, 'bad_decimal', raw, localTs);
        if (wantEvents) event = this.event(sb, msg, 'open', exchangeTs, localTs, orderId, side, price, size);
        break;
      }
      case 'done': {
        const orderId = str(msg, 'order_id');
        if (orderId === undefined) return this.refuse(sb, st, 'malformed', raw, localTs);
        if (!l3.has(orderId)) {
          // Orders that never rested (market orders, fully filled on arrival): nothing to remove.
          this.ignored++;
          break;
        }
        const isBid = l3.isBidOf(orderId)!;
        const price = l3.priceOf(orderId);
        l3.remove(orderId);
        if (wantEvents) {
          const remainingText = str(msg, 'remaining_size');
          // Informational only (the order is gone either way): parsed without side effects.
          const remaining =
            remainingText === undefined ? 0 : parseDecimal(remainingText, sb.instrument.sizeScale);
          const reason = msg.reason === 'filled' || msg.reason === 'canceled' ? msg.reason : undefined;
          event = {
            ...this.event(sb, msg, 'done', exchangeTs, localTs, orderId, isBid ? 'buy' : 'sell', price, 0),
            size: Number.isNaN(remaining) ? 0 : remaining,
            ...(reason ? { reason } : {}),
          };
        }
        break;
      }
      case 'match': {
        const makerId = str(msg, 'maker_order_id');
        const side = msg.side;
        if (makerId === undefined || !isSide(side)) return this.refuse(sb, st, 'malformed', raw, localTs);
        const price = this.units(sb, msg.price, true);
        const size = this.units(sb, msg.size, false);
        if (Number.isNaN(price) || Number.isNaN(size)) return this.refuse(sb, st, undefined, raw, localTs);
        const r = l3.fill(makerId, size);
        if (r === L3Result.Unknown) {
          return this.breakSequence(
            sb,
            st,
            `match against order ${makerId} not on the book`,
            msg,
            raw,
            localTs,
          );
        }
        if (r !== L3Result.Ok) {
          return this.breakSequence(sb, st, `match of ${size} exceeds order ${makerId}`, msg, raw, localTs);
        }
        if (wantEvents) {
          const takerOrderId = str(msg, 'taker_order_id');
          const tradeId = msg.trade_id;
          event = {
            ...this.event(sb, msg, 'match', exchangeTs, localTs, makerId, side, price, size),
            ...(takerOrderId !== undefined ? { takerOrderId } : {}),
            ...(typeof tradeId === 'number' || typeof tradeId === 'string'
              ? { tradeId: String(tradeId) }
              : {}),
          };
        }
        break;
      }
      case 'change': {
        const orderId = str(msg, 'order_id');
        if (orderId === undefined) return this.refuse(sb, st, 'malformed', raw, localTs);
        if (!l3.has(orderId)) {
          // Received-but-not-open orders and market-order funds changes do not touch the book.
          this.ignored++;
          break;
        }
        const newSizeText = str(msg, 'new_size');
        const newPriceText = str(msg, 'new_price');
        const size = newSizeText === undefined ? l3.sizeOf(orderId) : this.units(sb, newSizeText, false);
        const price = newPriceText === undefined ? l3.priceOf(orderId) : this.units(sb, newPriceText, true);
        if (Number.isNaN(price) || Number.isNaN(size)) return this.refuse(sb, st, undefined, raw, localTs);
        const isBid = l3.isBidOf(orderId)!;
        if (l3.change(orderId, size, price) !== L3Result.Ok) {
          return this.refuse(sb, st, 'bad_decimal', raw, localTs);
        }
        if (wantEvents) {
          event = this.event(
            sb,
            msg,
            'change',
            exchangeTs,
            localTs,
            orderId,
            isBid ? 'buy' : 'sell',
            price,
            size,
          );
        }
        break;
      }
      case 'activate':
        // A stop order was accepted; it enters the book later through received/open.
        break;
    }
    if (core.changes.count > 0) {
      core.commitUpdate(sb, seq, exchangeTs, localTs);
    } else {
      sb.sequence = seq;
      sb.skippedRun = 0;
      if (exchangeTs > 0) sb.exchangeTs = exchangeTs;
      sb.localTs = localTs;
    }
    if (event) core.listener.onEvent!(event);
    return true;
  }

  private event(
    sb: SymbolBook,
    msg: FullMessage,
    action: L3OrderEvent['action'],
    exchangeTs: Micros,
    localTs: Micros,
    orderId: string,
    side: Side,
    price: number,
    size: number,
  ): L3OrderEvent {
    return {
      type: 'l3_order',
      exchange: this.core.exchange,
      symbol: sb.symbol,
      exchangeTs,
      localTs,
      action,
      sequence: msg.sequence,
      orderId,
      side,
      price,
      size,
    };
  }

  /** A sequenced message we cannot apply: count it, drop the book's trust, wait for a snapshot. */
  private refuse(
    sb: SymbolBook,
    st: ProductState,
    reason: 'malformed' | 'bad_decimal' | undefined,
    raw: string,
    localTs: Micros,
  ): false {
    if (reason) this.core.lastReject = reason;
    st.buffer = [];
    st.requested = true;
    this.core.abort(sb, raw, localTs);
    return false;
  }

  /** The connection dropped: buffers are void, the next message asks for a new snapshot. */
  onDisconnect(): void {
    for (const st of this.states.values()) {
      st.buffer = [];
      st.requested = false;
    }
  }
}
