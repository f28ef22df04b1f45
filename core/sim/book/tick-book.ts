/**
 * Price-indexed book side: one slot per tick between a low and a high price, size 0 = no level
 * (hftbacktest's ROIVectorMarketDepth). A write is an index computation and a store; the best price
 * is tracked and, when the best level empties, found again by scanning to the next non-empty slot
 * (usually the adjacent tick). Rank queries (priceAt(i)) remember the last rank they reached, so
 * reading levels 0, 1, 2 … in order costs one pass.
 *
 * Design decisions: measured on the Binance USD-M BTCUSDT capture (≈5 000 levels a side, most
 * depth@0ms changes deep in the book), the sorted-array BookSide spent most of a backtest's time in
 * binary searches and in shifting arrays on inserts/deletes; this side does neither. The cost is
 * memory (8 bytes × ticks in the region per side) and a region chosen in advance — around the
 * tape's typical price (book-for-range.ts); levels outside it live in small sorted overflow sides,
 * so nothing is dropped.
 */
import { BookSide } from '../../book/book-side.ts';
import type { SimBook, SimBookSide } from './sim-book.ts';

/** Price-indexed slots over [low, high]; see the module comment. */
class Slots {
  readonly qty: Float64Array;
  n = 0;
  /** Slot of the best level (−1 when empty). */
  best = -1;
  /** Lowest / highest slot written since the last clear (bounds clear and scans). */
  lo = Number.MAX_SAFE_INTEGER;
  hi = -1;

  constructor(
    readonly isBid: boolean,
    readonly base: number,
    readonly step: number,
    slots: number,
  ) {
    this.qty = new Float64Array(Math.max(1, slots));
  }

  clear(): void {
    if (this.hi >= this.lo) this.qty.fill(0, this.lo, this.hi + 1);
    this.n = 0;
    this.best = -1;
    this.lo = Number.MAX_SAFE_INTEGER;
    this.hi = -1;
  }

  /** Next non-empty slot worse than `from` (−1: none). */
  worse(from: number): number {
    const q = this.qty;
    if (this.isBid) {
      for (let j = Math.min(from, this.hi + 1) - 1; j >= this.lo; j--) if (q[j]! > 0) return j;
    } else {
      for (let j = Math.max(from, this.lo - 1) + 1; j <= this.hi; j++) if (q[j]! > 0) return j;
    }
    return -1;
  }
}

/**
 * One side: the slots for the region of interest, and two sorted overflow sides (core/book's
 * BookSide) for the rare levels outside it — far-away orders (Binance USD-M BTCUSDT shows levels
 * from 560 to 621 368 USDT) and, in a crash beyond the region, the touch itself. Segments in
 * best-first order: bids above → slots → below; asks below → slots → above.
 */
export class TickSide implements SimBookSide {
  readonly isBid: boolean;
  private readonly s: Slots;
  private readonly base: number;
  private readonly step: number;
  private readonly inv: number;
  private readonly len: number;
  /** Overflow levels better / worse than the slot region. */
  private readonly better: BookSide;
  private readonly worse: BookSide;
  // Rank cache for priceAt/sizeAt (slot region only).
  private rankI = -1;
  private rankSlot = -1;

  constructor(isBid: boolean, low: number, high: number, step: number) {
    this.isBid = isBid;
    this.step = step;
    this.inv = 1 / step;
    this.base = low;
    this.len = Math.max(1, Math.round((high - low) / step) + 1);
    this.s = new Slots(isBid, low, step, this.len);
    this.better = new BookSide(isBid, 16);
    this.worse = new BookSide(isBid, 16);
  }

  get count(): number {
    return this.s.n + this.better.count + this.worse.count;
  }

  bestPrice(): number {
    if (this.better.count > 0) return this.better.bestPrice();
    const b = this.s.best;
    if (b >= 0) return this.base + b * this.step;
    return this.worse.bestPrice();
  }

  bestSize(): number {
    if (this.better.count > 0) return this.better.bestSize();
    const b = this.s.best;
    if (b >= 0) return this.s.qty[b]!;
    return this.worse.bestSize();
  }

  /** Slot of a price in the region, or −1 (outside or off the grid). */
  private slot(price: number): number {
    const i = Math.round((price - this.base) * this.inv);
    return i >= 0 && i < this.len && this.base + i * this.step === price ? i : -1;
  }

  /** The overflow side a price outside the region belongs to. */
  private overflow(price: number): BookSide {
    const aboveRegion = price > this.base;
    return aboveRegion === this.isBid ? this.better : this.worse;
  }

  sizeAtPrice(price: number): number {
    const i = this.slot(price);
    return i >= 0 ? this.s.qty[i]! : this.overflow(price).sizeAtPrice(price);
  }

  set(price: number, size: number): void {
    const i = Math.round((price - this.base) * this.inv);
    if (!(i >= 0 && i < this.len) || this.base + i * this.step !== price) {
      this.overflow(price).set(price, size);
      return;
    }
    const s = this.s;
    const q = s.qty;
    const old = q[i]!;
    q[i] = size;
    this.rankI = -1;
    if (old === 0) {
      if (size === 0) return;
      s.n++;
      if (i < s.lo) s.lo = i;
      if (i > s.hi) s.hi = i;
      const b = s.best;
      if (b < 0 || (this.isBid ? i > b : i < b)) s.best = i;
    } else if (size === 0) {
      s.n--;
      if (i === s.best) s.best = s.n > 0 ? s.worse(i) : -1;
    }
  }

  clear(): void {
    this.s.clear();
    this.better.clear();
    this.worse.clear();
    this.rankI = -1;
  }

  nextWorse(price: number): number {
    const s = this.s;
    const i = this.slot(price);
    if (i < 0) {
      const side = this.overflow(price);
      const next = nextWorseIn(side, price);
      if (!Number.isNaN(next)) return next;
      if (side === this.worse) return Number.NaN;
      // Leaving the better overflow: the region's best, else the worse overflow's.
      if (s.best >= 0) return this.base + s.best * this.step;
      return this.worse.bestPrice();
    }
    const j = s.worse(i);
    return j >= 0 ? this.base + j * this.step : this.worse.bestPrice();
  }

  priceAt(i: number): number {
    const a = this.better.count;
    if (i < a) return this.better.priceAt(i);
    const k = i - a;
    if (k < this.s.n) return this.base + this.slotOfRank(k) * this.step;
    const w = k - this.s.n;
    return w < this.worse.count ? this.worse.priceAt(w) : Number.NaN;
  }

  sizeAt(i: number): number {
    const a = this.better.count;
    if (i < a) return this.better.sizeAt(i);
    const k = i - a;
    if (k < this.s.n) return this.s.qty[this.slotOfRank(k)]!;
    const w = k - this.s.n;
    return w < this.worse.count ? this.worse.sizeAt(w) : 0;
  }

  depth(levels: number): number {
    let total = this.better.depth(levels);
    let k = Math.min(levels, this.better.count);
    const s = this.s;
    const q = s.qty;
    if (s.best >= 0) {
      if (this.isBid) {
        for (let j = s.best; j >= s.lo && k < levels; j--) {
          if (q[j]! > 0) {
            total += q[j]!;
            k++;
          }
        }
      } else {
        for (let j = s.best; j <= s.hi && k < levels; j++) {
          if (q[j]! > 0) {
            total += q[j]!;
            k++;
          }
        }
      }
    }
    if (k < levels) total += this.worse.depth(levels - k);
    return total;
  }

  /** Slot of the k-th level of the region (0 = its best); k < region count. */
  private slotOfRank(k: number): number {
    let r: number;
    let slot: number;
    if (this.rankI >= 0 && this.rankI <= k) {
      r = this.rankI;
      slot = this.rankSlot;
    } else {
      r = 0;
      slot = this.s.best;
    }
    const q = this.s.qty;
    const dir = this.isBid ? -1 : 1;
    while (r < k) {
      slot += dir;
      while (q[slot]! === 0) slot += dir;
      r++;
    }
    this.rankI = r;
    this.rankSlot = slot;
    return slot;
  }
}

/** Next level worse than `price` on a sorted side (NaN: none). */
function nextWorseIn(side: BookSide, price: number): number {
  let lo = 0;
  let hi = side.count;
  const bid = side.isBid;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = side.priceAt(mid);
    if (bid ? p >= price : p <= price) lo = mid + 1;
    else hi = mid;
  }
  return lo < side.count ? side.priceAt(lo) : Number.NaN;
}

export class TickBook implements SimBook {
  readonly bids: TickSide;
  readonly asks: TickSide;

  constructor(low: number, high: number, step: number) {
    this.bids = new TickSide(true, low, high, step);
    this.asks = new TickSide(false, low, high, step);
  }

  set(isBid: boolean, price: number, size: number): void {
    (isBid ? this.bids : this.asks).set(price, size);
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  bestBid(): number {
    return this.bids.bestPrice();
  }

  bestAsk(): number {
    return this.asks.bestPrice();
  }

  mid(): number {
    return (this.bids.bestPrice() + this.asks.bestPrice()) / 2;
  }

  microprice(): number {
    const b = this.bids.bestSize();
    const a = this.asks.bestSize();
    const total = a + b;
    if (total === 0) return Number.NaN;
    return (this.bids.bestPrice() * a + this.asks.bestPrice() * b) / total;
  }
}
