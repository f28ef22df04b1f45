/**
 * The simulated exchange: the venue's side of hftbacktest's two views (docs/backtest-models.md, Two
 * views). It replays the tape at EXCHANGE time into its own books and matches our orders against
 * them; the strategy sees the same tape at receive time through its own books
 * (core/backtest/engine), and orders and responses travel between the two with the latency model's
 * delays.
 *
 * Matching rules (every one a documented choice; see sim-config.ts for the switches):
 * - A resting buy fills WHOLE when the best ask reaches its price, or a sell-aggressor trade prints
 *   below its price (the aggressor swept our level). Sells mirror. Trades with unknown aggressor
 *   are applied to both sides.
 * - A trade AT our price advances our queue position (queue model); when the queue releases size
 *   to us we fill min(released, leaves, trade volume not yet given to our earlier orders at that
 *   price) with partialFills, or whole without.
 * - A marketable order (market, or limit crossing the book) walks the opposite levels from the
 *   best, taking the displayed size minus what our earlier taker fills took from that level
 *   (liquidity consumption); a market order's unfilled rest is canceled, a limit's rests at its
 *   price (IOC: canceled). Fills are whole lots.
 * - Post-only orders that would cross on arrival are rejected (post_only_cross); market orders
 *   meeting an empty book are rejected (no_liquidity).
 * - Amend: a size decrease at the same price keeps the queue position; any other change is
 *   cancel-and-replace (back of the queue, may execute if it now crosses). A post-only amend that
 *   would cross is refused and the order stays as it was.
 * - A Clear (snapshot or stale book) empties the book; resting orders stay (the real venue still
 *   has them). With L3 FIFO, their place is lost: they are re-queued at the back after the message.
 *
 * Design decisions (hot path): per instrument our resting orders are two small arrays (buys,
 * sells) scanned linearly — a handful of orders, where a price-keyed map would cost more than it
 * saves; the queue model is the only call through an interface, and only for rows at a price
 * where we rest.
 */
import { EventFlag, EventKind } from '../../backtest/tape/event-kind.ts';
import type { Tape } from '../../backtest/tape/tape.ts';
import type { LevelChanges } from '../../book/level-changes.ts';
import type { Micros } from '../../market/events.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { CheckedAmend, CheckedOrder } from '../../risk/order-check.ts';
import type { RejectReason } from '../../strategy/reject-reason.ts';
import type { SimBook } from '../book/sim-book.ts';
import type { L3FifoQueue } from '../queue/l3-fifo.ts';
import type { QueueModel } from '../queue/queue-model.ts';
import { ConsumedLiquidity } from './consumed-liquidity.ts';
import { ExchOrder } from './exch-order.ts';

export interface ExchangeListener {
  /** A new order is live (resting, or about to execute on arrival). */
  accepted(o: ExchOrder, t: Micros): void;
  filled(o: ExchOrder, price: number, size: number, maker: boolean, t: Micros): void;
  /** Canceled by request, or the unfilled rest of an IOC/market order. */
  canceled(o: ExchOrder, t: Micros): void;
  /** A new order refused by the exchange. */
  rejected(o: ExchOrder, reason: RejectReason, t: Micros): void;
  amended(o: ExchOrder, t: Micros): void;
  /** A cancel or amend refused (the order, if it still exists, is unchanged). */
  requestRejected(orderId: number, reason: RejectReason, isAmend: boolean, t: Micros): void;
  /** A derivative ticker row (funding rate, next funding time, mark price; NaN unknown). */
  ticker(inst: number, rate: number, nextTs: number, markUnits: number, t: Micros): void;
}

export interface SimExchangeOptions {
  readonly instruments: readonly Instrument[];
  readonly queue: QueueModel;
  readonly partialFills: boolean;
  readonly liquidityConsumption: boolean;
  /** The exchange's books, one per instrument (fast mode passes the strategy's). */
  readonly books: readonly SimBook[];
}

/** Per-instrument state. */
class Venue {
  readonly buys: ExchOrder[] = [];
  readonly sells: ExchOrder[] = [];
  readonly consumed = new ConsumedLiquidity();
  constructor(
    public book: SimBook,
    readonly lot: number,
  ) {}
}

export class SimExchange {
  private readonly venues: Venue[];
  private readonly byId = new Map<number, ExchOrder>();
  private readonly queue: QueueModel;
  private readonly l3: L3FifoQueue | null;
  private readonly partial: boolean;
  private readonly consume: boolean;

  constructor(
    options: SimExchangeOptions,
    private readonly out: ExchangeListener,
  ) {
    this.queue = options.queue;
    this.l3 = options.queue.kind === 'l3' ? (options.queue as L3FifoQueue) : null;
    this.partial = options.partialFills;
    this.consume = options.liquidityConsumption;
    this.venues = options.instruments.map(
      (inst, i) => new Venue(options.books[i]!, Math.max(1, inst.lotSize)),
    );
  }

  book(inst: number): SimBook {
    return this.venues[inst]!.book;
  }

  /**
   * Swap an instrument's (empty or about to be cleared) book for another, e.g. one whose price
   * region is known only once live data arrives. The next message must rebuild it (a Clear).
   */
  replaceBook(inst: number, book: SimBook): void {
    this.venues[inst]!.book = book;
  }

  /** Orders resting (or being executed) at the exchange. */
  get openOrders(): number {
    return this.byId.size;
  }

  order(id: number): ExchOrder | undefined {
    return this.byId.get(id);
  }

  /**
   * Apply one tape message at exchange time: rows from `order[pos]` to its end-of-message row.
   * Returns the position after it. `order` maps positions to rows (tape.exchOrder, or identity);
   * `times` is the clock the exchange runs on (tape.exchTs; tape.localTs in fast mode).
   */
  processMessage(tape: Tape, order: Int32Array, pos: number, times: Float64Array): number {
    let r = order[pos]!;
    const k0 = tape.kind[r]!;
    const v = this.venues[tape.inst[r]!]!;
    const t = times[r]!;
    if (k0 === EventKind.Trade) {
      if (v.buys.length + v.sells.length > 0)
        this.onTrade(v, tape.flags[r]!, tape.price[r]!, tape.size[r]!, t);
      return pos + 1;
    }
    if (k0 === EventKind.Funding) {
      this.out.ticker(tape.inst[r]!, tape.size[r]!, tape.aux[r]!, tape.price[r]!, t);
      return pos + 1;
    }
    if (k0 >= EventKind.L3Add && k0 <= EventKind.L3Fill) {
      if (this.l3) this.onL3(v, k0, tape.flags[r]!, tape.price[r]!, tape.size[r]!, tape.aux[r]!, t);
      return pos + 1;
    }
    const { kind, flags, price, size } = tape;
    const n = tape.length;
    const book = v.book;
    const queue = this.queue;
    let cleared = false;
    for (;;) {
      r = order[pos]!;
      const f = flags[r]!;
      if (kind[r] === EventKind.Clear) {
        book.clear();
        v.consumed.clear();
        cleared = true;
      } else {
        const isBid = (f & EventFlag.Bid) !== 0;
        const p = price[r]!;
        const q = size[r]!;
        const mine = isBid ? v.buys : v.sells;
        if (v.consumed.count > 0) v.consumed.release(isBid, p);
        const side = isBid ? book.bids : book.asks;
        if (mine.length === 0) side.set(p, q);
        else {
          const prev = side.sizeAtPrice(p);
          side.set(p, q);
          if (prev !== q)
            for (let j = 0; j < mine.length; j++) if (mine[j]!.price === p) queue.depth(mine[j]!, prev, q);
        }
      }
      pos++;
      if ((f & EventFlag.Eom) !== 0 || pos >= n) break;
    }
    if (cleared && this.l3) this.l3.clear();
    if (v.buys.length + v.sells.length > 0) {
      if (cleared && this.l3) this.requeue(v);
      this.fillCrossed(v, t);
    }
    return pos;
  }

  /**
   * Paper trading: the exchange's book IS the live book, and the feed has already written one
   * message's `changes` into it; only our side of it follows — liquidity consumption, queue
   * positions (the size each resting order last saw at its price stands in for the level's
   * previous size), and fills of orders the book moved through. `rebuilt`: the book was emptied
   * first (a snapshot, or a book attached or lost), as a tape's Clear row does.
   */
  bookApplied(inst: number, changes: LevelChanges, rebuilt: boolean, t: Micros): void {
    const v = this.venues[inst]!;
    const queue = this.queue;
    if (rebuilt) {
      v.consumed.clear();
      for (let j = 0; j < v.buys.length; j++) v.buys[j]!.levelSize = 0;
      for (let j = 0; j < v.sells.length; j++) v.sells[j]!.levelSize = 0;
    }
    const n = changes.count;
    // Consumed liquidity and queue positions are independent: two passes, each skipped when idle
    // (most messages meet neither taker fills to release nor a resting order).
    for (let i = 0; i < n && v.consumed.count > 0; i++)
      v.consumed.release(changes.sideAt(i), changes.priceAt(i));
    if (v.buys.length + v.sells.length > 0)
      for (let i = 0; i < n; i++) {
        const mine = changes.sideAt(i) ? v.buys : v.sells;
        if (mine.length === 0) continue;
        const p = changes.priceAt(i);
        for (let j = 0; j < mine.length; j++) {
          const o = mine[j]!;
          if (o.price !== p) continue;
          const q = changes.sizeAt(i);
          if (o.levelSize !== q) queue.depth(o, o.levelSize, q);
          o.levelSize = q;
        }
      }
    if (rebuilt && this.l3) this.l3.clear();
    if (v.buys.length + v.sells.length > 0) {
      if (rebuilt && this.l3) this.requeue(v);
      this.fillCrossed(v, t);
    }
  }

  /** A new order reaches the matching engine. */
  submit(checked: CheckedOrder, t: Micros): void {
    const o = new ExchOrder(checked.request);
    const v = this.venues[o.inst];
    if (!v) {
      this.out.rejected(o, 'unknown_instrument', t);
      return;
    }
    const book = v.book;
    if (o.isMarket) {
      const opposite = o.isBuy ? book.asks : book.bids;
      if (opposite.count === 0) {
        this.out.rejected(o, 'no_liquidity', t);
        return;
      }
      this.byId.set(o.id, o);
      this.out.accepted(o, t);
      this.take(v, o, t);
      if (o.leaves > 0) this.finish(o, t, true);
      return;
    }
    const crosses = o.isBuy ? o.price >= book.bestAsk() : o.price <= book.bestBid();
    if (crosses && o.postOnly) {
      this.out.rejected(o, 'post_only_cross', t);
      return;
    }
    this.byId.set(o.id, o);
    this.out.accepted(o, t);
    if (crosses) this.take(v, o, t);
    if (o.leaves > 0) {
      if (o.ioc) this.finish(o, t, true);
      else this.rest(v, o);
    }
  }

  cancel(orderId: number, t: Micros): void {
    const o = this.byId.get(orderId);
    if (!o) {
      this.out.requestRejected(orderId, 'unknown_order', false, t);
      return;
    }
    this.unrest(this.venues[o.inst]!, o);
    this.finish(o, t, true);
  }

  amend(checked: CheckedAmend, t: Micros): void {
    const a = checked.request;
    const o = this.byId.get(a.id);
    if (!o) {
      this.out.requestRejected(a.id, 'unknown_order', true, t);
      return;
    }
    if (a.size <= o.filled) {
      this.out.requestRejected(a.id, 'amend_too_small', true, t);
      return;
    }
    const v = this.venues[o.inst]!;
    if (a.price === o.price && a.size <= o.size) {
      // Shrinking in place keeps priority.
      o.size = a.size;
      o.leaves = a.size - o.filled;
      this.out.amended(o, t);
      return;
    }
    const book = v.book;
    const crosses = o.isBuy ? a.price >= book.bestAsk() : a.price <= book.bestBid();
    if (crosses && o.postOnly) {
      this.out.requestRejected(a.id, 'post_only_cross', true, t);
      return;
    }
    this.unrest(v, o);
    o.price = a.price;
    o.size = a.size;
    o.leaves = a.size - o.filled;
    this.out.amended(o, t);
    if (crosses) this.take(v, o, t);
    if (o.leaves > 0) this.rest(v, o);
  }

  // --- internals -------------------------------------------------------------------------------

  private rest(v: Venue, o: ExchOrder): void {
    const own = o.isBuy ? v.book.bids : v.book.asks;
    o.levelSize = own.sizeAtPrice(o.price);
    this.queue.newOrder(o, o.levelSize);
    (o.isBuy ? v.buys : v.sells).push(o);
  }

  private unrest(v: Venue, o: ExchOrder): void {
    const list = o.isBuy ? v.buys : v.sells;
    const j = list.indexOf(o);
    if (j >= 0) list.splice(j, 1);
  }

  /** Leave the exchange: canceled (rest of IOC/market, or by request) — or fully filled (no event). */
  private finish(o: ExchOrder, t: Micros, canceled: boolean): void {
    this.byId.delete(o.id);
    if (canceled) this.out.canceled(o, t);
  }

  private fill(o: ExchOrder, price: number, size: number, maker: boolean, t: Micros): void {
    o.leaves -= size;
    o.filled += size;
    this.out.filled(o, price, size, maker, t);
    if (o.leaves <= 0) this.finish(o, t, false);
  }

  /** Walk the opposite side as a taker (limit price bounds it; NaN for market). */
  private take(v: Venue, o: ExchOrder, t: Micros): void {
    const side = o.isBuy ? v.book.asks : v.book.bids;
    const lot = v.lot;
    const limit = o.isMarket ? Number.NaN : o.price;
    for (let p = side.bestPrice(); !Number.isNaN(p) && o.leaves > 0; p = side.nextWorse(p)) {
      if (!Number.isNaN(limit) && (o.isBuy ? p > limit : p < limit)) break;
      const shown = side.sizeAtPrice(p);
      const avail = this.consume ? v.consumed.available(!o.isBuy, p, shown) : shown;
      let size = Math.min(avail, o.leaves);
      if (size < o.leaves) size = Math.floor(size / lot) * lot;
      if (size <= 0) continue;
      if (this.consume) v.consumed.take(!o.isBuy, p, shown, size);
      this.fill(o, p, size, false, t);
    }
  }

  /** Resting orders the book has moved through fill whole at their price. */
  private fillCrossed(v: Venue, t: Micros): void {
    const bestBid = v.book.bestBid();
    const bestAsk = v.book.bestAsk();
    const sells = v.sells;
    for (let j = 0; j < sells.length; ) {
      const o = sells[j]!;
      if (o.price <= bestBid) {
        sells.splice(j, 1);
        this.fill(o, o.price, o.leaves, true, t);
      } else j++;
    }
    const buys = v.buys;
    for (let j = 0; j < buys.length; ) {
      const o = buys[j]!;
      if (o.price >= bestAsk) {
        buys.splice(j, 1);
        this.fill(o, o.price, o.leaves, true, t);
      } else j++;
    }
  }

  private onTrade(v: Venue, flags: number, price: number, qty: number, t: Micros): void {
    const buyAggressor = (flags & EventFlag.Buy) !== 0;
    const sellAggressor = (flags & EventFlag.Sell) !== 0;
    const unknown = !buyAggressor && !sellAggressor;
    if ((buyAggressor || unknown) && v.sells.length > 0) this.tradeSide(v, v.sells, false, price, qty, t);
    if ((sellAggressor || unknown) && v.buys.length > 0) this.tradeSide(v, v.buys, true, price, qty, t);
  }

  private tradeSide(v: Venue, list: ExchOrder[], buys: boolean, price: number, qty: number, t: Micros): void {
    const queue = this.queue;
    let left = qty;
    for (let j = 0; j < list.length; ) {
      const o = list[j]!;
      let exec = 0;
      if (buys ? o.price > price : o.price < price) {
        exec = o.leaves; // traded through us
      } else if (o.price === price) {
        queue.trade(o, qty);
        const released = queue.isFilled(o, v.lot);
        if (released > 0) {
          if (!this.partial) exec = o.leaves;
          else {
            const cap = this.consume ? left : qty;
            exec = Math.min(released, o.leaves, cap);
            if (exec < o.leaves) exec = Math.floor(exec / v.lot) * v.lot;
          }
          if (this.consume) left -= exec;
        }
      }
      if (exec > 0) {
        if (exec >= o.leaves) list.splice(j, 1);
        else j++;
        this.fill(o, o.price, exec, true, t);
      } else j++;
    }
  }

  /** Order-level rows (L3 FIFO model only). */
  private onL3(
    v: Venue,
    kind: number,
    flags: number,
    price: number,
    size: number,
    id: number,
    t: Micros,
  ): void {
    const l3 = this.l3!;
    const isBid = (flags & EventFlag.Bid) !== 0;
    const ours = isBid ? v.buys : v.sells;
    switch (kind) {
      case EventKind.L3Add:
        l3.add(id, isBid, price, size);
        break;
      case EventKind.L3Cancel:
        l3.remove(id, ours);
        break;
      case EventKind.L3Modify:
        l3.modify(id, price, size, ours);
        break;
      case EventKind.L3Fill: {
        l3.fill(id, size, ours);
        for (let j = 0; j < ours.length; ) {
          const o = ours[j]!;
          const released = this.queue.isFilled(o, v.lot);
          if (released > 0) {
            const exec = Math.min(released, o.leaves);
            if (exec >= o.leaves) ours.splice(j, 1);
            else j++;
            this.fill(o, o.price, exec, true, t);
          } else j++;
        }
        break;
      }
    }
  }

  /** After a clear (L3): order ids are gone, so our orders go to the back of their level. */
  private requeue(v: Venue): void {
    for (const o of v.buys) {
      o.levelSize = v.book.bids.sizeAtPrice(o.price);
      this.queue.newOrder(o, o.levelSize);
    }
    for (const o of v.sells) {
      o.levelSize = v.book.asks.sizeAtPrice(o.price);
      this.queue.newOrder(o, o.levelSize);
    }
  }
}
