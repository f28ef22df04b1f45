/**
 * Order-level (L3) book: every resting order by id, per-price FIFO queues, and the price-level
 * aggregate kept equal to an {@link L2Book} at all times (so everything downstream of a venue sees
 * an ordinary L2 book). Sizes and prices are integers in instrument units. No I/O, and no
 * allocation per update beyond the id → slot map entry of a new order.
 *
 * Design decisions:
 * - Orders and levels live in struct-of-arrays slots (typed arrays indexed by an int), linked into
 *   one intrusive doubly-linked list per level. Remove by id is a map lookup plus O(1) unlinking;
 *   the alternative (an array of order objects per level) costs O(queue length) per cancel, and
 *   cancels are most of an L3 feed.
 * - Freed slots go on free lists and are reused, so a long session does not grow the arrays
 *   beyond the peak number of live orders and levels.
 * - queueAhead walks the level from its head: O(position). An order-statistics tree would make it
 *   O(log n), but queues are short where it matters (near the touch) and the walk allocates nothing.
 * - Priority rule of {@link L3Book.change}: a size decrease at the same price keeps the order's
 *   place; a price change or a size increase sends it to the back of its (new) level — the usual
 *   exchange convention, and Coinbase's ("Modify Order Requests that amend size down will retain
 *   queue priority").
 */
import { L2Book } from './l2-book.ts';
import type { LevelChanges } from './level-changes.ts';

/** Outcome of an L3 book operation. */
export const L3Result = {
  Ok: 0,
  /** The order id is not on the book (nothing changed). */
  Unknown: 1,
  /** add() of an id already on the book (nothing changed). */
  Duplicate: 2,
  /** Not an integer price/size > 0, or a fill larger than the order (nothing changed). */
  Rejected: 3,
} as const;
export type L3Result = (typeof L3Result)[keyof typeof L3Result];

export interface L3BookOptions {
  /** The aggregate to keep in sync (e.g. a SymbolBook's book); a new one when omitted. */
  l2?: L2Book;
  /** Where each aggregate level change is recorded (absolute size, 0 = level removed). */
  changes?: LevelChanges;
}

const NONE = -1;

function validUnits(x: number): boolean {
  return Number.isSafeInteger(x) && x > 0;
}

export class L3Book {
  readonly l2: L2Book;
  /** Sink for aggregate level changes; may be swapped between messages. */
  changes: LevelChanges | undefined;

  // Order slots.
  private ids: Array<string | undefined> = [];
  private oPrice: Float64Array;
  private oSize: Float64Array;
  private oPrev: Int32Array;
  private oNext: Int32Array;
  private oLevel: Int32Array;
  private orderHigh = 0;
  private orderFree = NONE;
  private readonly slotOf = new Map<string, number>();

  // Level slots.
  private lPrice: Float64Array;
  private lTotal: Float64Array;
  private lHead: Int32Array;
  private lTail: Int32Array;
  private lCount: Int32Array;
  private lBid: Uint8Array;
  private levelHigh = 0;
  private levelFree = NONE;
  private readonly bidLevels = new Map<number, number>();
  private readonly askLevels = new Map<number, number>();

  /** While loading a snapshot the aggregate is written once at the end (see beginLoad). */
  private loading = false;

  constructor(options: L3BookOptions = {}, orderCapacity = 1024, levelCapacity = 256) {
    this.l2 = options.l2 ?? new L2Book();
    this.changes = options.changes;
    this.oPrice = new Float64Array(orderCapacity);
    this.oSize = new Float64Array(orderCapacity);
    this.oPrev = new Int32Array(orderCapacity);
    this.oNext = new Int32Array(orderCapacity);
    this.oLevel = new Int32Array(orderCapacity);
    this.lPrice = new Float64Array(levelCapacity);
    this.lTotal = new Float64Array(levelCapacity);
    this.lHead = new Int32Array(levelCapacity);
    this.lTail = new Int32Array(levelCapacity);
    this.lCount = new Int32Array(levelCapacity);
    this.lBid = new Uint8Array(levelCapacity);
  }

  /** Orders resting on the book. */
  get orderCount(): number {
    return this.slotOf.size;
  }

  /** Price levels on one side. */
  levelCount(isBid: boolean): number {
    return (isBid ? this.bidLevels : this.askLevels).size;
  }

  has(orderId: string): boolean {
    return this.slotOf.has(orderId);
  }

  /** Remaining size of an order, NaN when it is not on the book. */
  sizeOf(orderId: string): number {
    const o = this.slotOf.get(orderId);
    return o === undefined ? Number.NaN : this.oSize[o]!;
  }

  /** Price of an order, NaN when it is not on the book. */
  priceOf(orderId: string): number {
    const o = this.slotOf.get(orderId);
    return o === undefined ? Number.NaN : this.oPrice[o]!;
  }

  /** Side of an order (true = bid), undefined when it is not on the book. */
  isBidOf(orderId: string): boolean | undefined {
    const o = this.slotOf.get(orderId);
    return o === undefined ? undefined : this.lBid[this.oLevel[o]!] === 1;
  }

  /** Total size at a level, 0 when there is none. */
  levelSize(isBid: boolean, price: number): number {
    const l = (isBid ? this.bidLevels : this.askLevels).get(price);
    return l === undefined ? 0 : this.lTotal[l]!;
  }

  /** Number of orders at a level. */
  levelOrderCount(isBid: boolean, price: number): number {
    const l = (isBid ? this.bidLevels : this.askLevels).get(price);
    return l === undefined ? 0 : this.lCount[l]!;
  }

  /**
   * Size resting ahead of an order at its level (the sum of the orders before it in the queue);
   * NaN when the order is not on the book.
   */
  queueAhead(orderId: string): number {
    const o = this.slotOf.get(orderId);
    if (o === undefined) return Number.NaN;
    let ahead = 0;
    for (let i = this.lHead[this.oLevel[o]!]!; i !== o; i = this.oNext[i]!) ahead += this.oSize[i]!;
    return ahead;
  }

  /** Visit a level's orders in queue (FIFO) order; return false from `visit` to stop early. */
  forEachOrderAt(isBid: boolean, price: number, visit: (orderId: string, size: number) => unknown): void {
    const l = (isBid ? this.bidLevels : this.askLevels).get(price);
    if (l === undefined) return;
    for (let i = this.lHead[l]!; i !== NONE; i = this.oNext[i]!) {
      if (visit(this.ids[i]!, this.oSize[i]!) === false) return;
    }
  }

  /** A level's orders in queue order as [id, size] pairs. Allocates: not for the hot path. */
  ordersAt(isBid: boolean, price: number): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    this.forEachOrderAt(isBid, price, (id, size) => {
      out.push([id, size]);
    });
    return out;
  }

  /** Add an order at the back of its level's queue. */
  add(orderId: string, isBid: boolean, price: number, size: number): L3Result {
    if (!validUnits(price) || !validUnits(size)) return L3Result.Rejected;
    if (this.slotOf.has(orderId)) return L3Result.Duplicate;
    const o = this.allocOrder();
    this.ids[o] = orderId;
    this.oPrice[o] = price;
    this.oSize[o] = size;
    this.slotOf.set(orderId, o);
    this.append(o, this.levelFor(isBid, price), size);
    return L3Result.Ok;
  }

  /** Remove an order (cancel or complete fill). */
  remove(orderId: string): L3Result {
    const o = this.slotOf.get(orderId);
    if (o === undefined) return L3Result.Unknown;
    this.unlink(o);
    this.slotOf.delete(orderId);
    this.freeOrder(o);
    return L3Result.Ok;
  }

  /**
   * Set an order's size and (optionally) price. Size 0 removes the order. A size decrease at the
   * same price keeps the order's place in the queue; a price change or size increase moves it to
   * the back of its (new) level.
   */
  change(orderId: string, newSize: number, newPrice?: number): L3Result {
    const o = this.slotOf.get(orderId);
    if (o === undefined) return L3Result.Unknown;
    const price = newPrice ?? this.oPrice[o]!;
    if (newSize === 0) return this.remove(orderId);
    if (!validUnits(price) || !validUnits(newSize)) return L3Result.Rejected;
    const oldSize = this.oSize[o]!;
    if (price === this.oPrice[o]! && newSize <= oldSize) {
      if (newSize < oldSize) this.adjustLevel(this.oLevel[o]!, newSize - oldSize);
      this.oSize[o] = newSize;
      return L3Result.Ok;
    }
    const isBid = this.lBid[this.oLevel[o]!] === 1;
    this.unlink(o);
    this.oPrice[o] = price;
    this.oSize[o] = newSize;
    this.append(o, this.levelFor(isBid, price), newSize);
    return L3Result.Ok;
  }

  /**
   * A fill of `quantity` against a resting order: its size shrinks in place (keeping its queue
   * position); a complete fill removes it. Rejected when the fill exceeds the order.
   */
  fill(orderId: string, quantity: number): L3Result {
    const o = this.slotOf.get(orderId);
    if (o === undefined) return L3Result.Unknown;
    const size = this.oSize[o]!;
    if (!validUnits(quantity) || quantity > size) return L3Result.Rejected;
    if (quantity === size) return this.remove(orderId);
    this.oSize[o] = size - quantity;
    this.adjustLevel(this.oLevel[o]!, -quantity);
    return L3Result.Ok;
  }

  /** Empty the book and its aggregate. */
  clear(): void {
    this.slotOf.clear();
    this.bidLevels.clear();
    this.askLevels.clear();
    this.ids = [];
    this.orderHigh = 0;
    this.orderFree = NONE;
    this.levelHigh = 0;
    this.levelFree = NONE;
    this.l2.clear();
  }

  /**
   * Start loading a snapshot: clears the book; until {@link endLoad} adds do not touch the
   * aggregate, which is then written in one pass from the worst level to the best. (A snapshot lists
   * the best level first; inserting levels in that order into a sorted side would move the whole
   * side on every insert.)
   */
  beginLoad(): void {
    this.clear();
    this.loading = true;
  }

  /** Write the aggregate of a loaded snapshot. */
  endLoad(): void {
    this.loading = false;
    this.writeSide(this.bidLevels, true);
    this.writeSide(this.askLevels, false);
  }

  private writeSide(levels: Map<number, number>, isBid: boolean): void {
    const prices = Float64Array.from(levels.keys()).sort();
    // Worst first: ascending bids, descending asks; each set is then an append at the touch.
    const n = prices.length;
    for (let k = 0; k < n; k++) {
      const price = isBid ? prices[k]! : prices[n - 1 - k]!;
      this.publish(isBid, price, this.lTotal[levels.get(price)!]!);
    }
  }

  // --- internals -----------------------------------------------------------------------------

  private publish(isBid: boolean, price: number, total: number): void {
    if (this.loading) return;
    this.l2.set(isBid, price, total);
    this.changes?.push(isBid, price, total);
  }

  private levelFor(isBid: boolean, price: number): number {
    const map = isBid ? this.bidLevels : this.askLevels;
    let l = map.get(price);
    if (l === undefined) {
      l = this.allocLevel();
      this.lPrice[l] = price;
      this.lTotal[l] = 0;
      this.lHead[l] = NONE;
      this.lTail[l] = NONE;
      this.lCount[l] = 0;
      this.lBid[l] = isBid ? 1 : 0;
      map.set(price, l);
    }
    return l;
  }

  private append(o: number, l: number, size: number): void {
    const tail = this.lTail[l]!;
    this.oLevel[o] = l;
    this.oPrev[o] = tail;
    this.oNext[o] = NONE;
    if (tail === NONE) this.lHead[l] = o;
    else this.oNext[tail] = o;
    this.lTail[l] = o;
    this.lCount[l]!++;
    this.adjustLevel(l, size);
  }

  /** Take an order out of its level (the slot stays allocated); drops the level when emptied. */
  private unlink(o: number): void {
    const l = this.oLevel[o]!;
    const prev = this.oPrev[o]!;
    const next = this.oNext[o]!;
    if (prev === NONE) this.lHead[l] = next;
    else this.oNext[prev] = next;
    if (next === NONE) this.lTail[l] = prev;
    else this.oPrev[next] = prev;
    this.lCount[l]!--;
    if (this.lCount[l] === 0) {
      const isBid = this.lBid[l] === 1;
      const price = this.lPrice[l]!;
      (isBid ? this.bidLevels : this.askLevels).delete(price);
      this.freeLevel(l);
      this.publish(isBid, price, 0);
    } else {
      this.adjustLevel(l, -this.oSize[o]!);
    }
  }

  private adjustLevel(l: number, delta: number): void {
    const total = this.lTotal[l]! + delta;
    this.lTotal[l] = total;
    this.publish(this.lBid[l] === 1, this.lPrice[l]!, total);
  }

  private allocOrder(): number {
    if (this.orderFree !== NONE) {
      const o = this.orderFree;
      this.orderFree = this.oNext[o]!;
      return o;
    }
    if (this.orderHigh === this.oPrice.length) this.growOrders();
    return this.orderHigh++;
  }

  private freeOrder(o: number): void {
    this.ids[o] = undefined;
    this.oNext[o] = this.orderFree;
    this.orderFree = o;
  }

  private allocLevel(): number {
    if (this.levelFree !== NONE) {
      const l = this.levelFree;
      this.levelFree = this.lHead[l]!;
      return l;
    }
    if (this.levelHigh === this.lPrice.length) this.growLevels();
    return this.levelHigh++;
  }

  private freeLevel(l: number): void {
    this.lHead[l] = this.levelFree;
    this.levelFree = l;
  }

  private growOrders(): void {
    const n = this.oPrice.length * 2;
    this.oPrice = grownF64(this.oPrice, n);
    this.oSize = grownF64(this.oSize, n);
    this.oPrev = grownI32(this.oPrev, n);
    this.oNext = grownI32(this.oNext, n);
    this.oLevel = grownI32(this.oLevel, n);
  }

  private growLevels(): void {
    const n = this.lPrice.length * 2;
    this.lPrice = grownF64(this.lPrice, n);
    this.lTotal = grownF64(this.lTotal, n);
    this.lHead = grownI32(this.lHead, n);
    this.lTail = grownI32(this.lTail, n);
    this.lCount = grownI32(this.lCount, n);
    const bid = new Uint8Array(n);
    bid.set(this.lBid);
    this.lBid = bid;
  }
}

function grownF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function grownI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
