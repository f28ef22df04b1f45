/**
 * L3 FIFO queue model (hftbacktest's L3FIFOQueueModel, docs/backtest-models.md, Queue) for venues with an
 * order-level feed (Coinbase full channel). Every order on the level is known, so nothing is
 * estimated: our order joins the back of its level, the orders then on the level are ahead of it,
 * and
 *   - an order ahead that is canceled or filled moves us forward by its size;
 *   - an order ahead that shrinks moves us forward by the decrease; one that grows (or moves) goes to
 *     the back, i.e. stops being ahead;
 *   - a fill of an order BEHIND us means the venue matched through us: we are filled whole.
 * Crossing of our price by the best opposite price fills us too (the exchange checks that).
 * Pro-rata matching is not modelled. The tape's Depth rows still drive the books; the order-level
 * rows (EventKind.L3*) drive this model only. A clear (snapshot or stale book) loses the order ids:
 * the exchange then re-queues our orders at the back of their level (conservative).
 */
import { type QueueModel, type QueueState, releaseFromFront } from './queue-model.ts';

/** One of our resting orders as the L3 model sees it. */
export interface L3QueuedOrder extends QueueState {
  readonly price: number;
}

interface FeedOrder {
  isBid: boolean;
  price: number;
  size: number;
  seq: number;
}

export class L3FifoQueue implements QueueModel {
  readonly kind = 'l3' as const;
  readonly name = 'l3-fifo';
  private seq = 0;
  private readonly feed = new Map<number, FeedOrder>();

  newOrder(q: QueueState, levelQty: number): void {
    q.front = levelQty;
    q.cumTrade = 0;
    q.seq = ++this.seq;
  }

  // Public trades and level sizes are summaries of the order-level rows this model reads directly.
  trade(_q: QueueState, _qty: number): void {}
  depth(_q: QueueState, _prev: number, _next: number): void {}

  isFilled(q: QueueState, lot: number): number {
    return releaseFromFront(q, lot);
  }

  /** Forget every feed order (the book was cleared). */
  clear(): void {
    this.feed.clear();
  }

  add(id: number, isBid: boolean, price: number, size: number): void {
    this.feed.set(id, { isBid, price, size, seq: ++this.seq });
  }

  /** An order left the book (canceled, or done after its fills). `ours`: our orders on its side. */
  remove(id: number, ours: readonly L3QueuedOrder[]): void {
    const o = this.feed.get(id);
    if (!o) return;
    this.feed.delete(id);
    for (const q of ours) if (q.price === o.price && o.seq < q.seq) q.front -= o.size;
  }

  /** Size (and maybe price) change. */
  modify(id: number, price: number, size: number, ours: readonly L3QueuedOrder[]): void {
    const o = this.feed.get(id);
    if (!o) return;
    const keepsPlace = price === o.price && size <= o.size;
    for (const q of ours) {
      if (q.price !== o.price || o.seq > q.seq) continue;
      q.front -= keepsPlace ? o.size - size : o.size;
    }
    if (!keepsPlace) o.seq = ++this.seq;
    o.price = price;
    o.size = size;
  }

  /**
   * A match against feed order `id` of `size`. Returns true when it was behind one of our orders
   * at its price (those orders are marked filled: front = −∞).
   */
  fill(id: number, size: number, ours: readonly L3QueuedOrder[]): boolean {
    const o = this.feed.get(id);
    if (!o) return false;
    let through = false;
    for (const q of ours) {
      if (q.price !== o.price) continue;
      if (o.seq < q.seq) q.front -= size;
      else {
        q.front = Number.NEGATIVE_INFINITY;
        through = true;
      }
    }
    o.size -= size;
    if (o.size <= 0) this.feed.delete(id);
    return through;
  }
}
