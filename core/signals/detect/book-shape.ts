/**
 * Measurements of one book's shape, read straight from the book views (no copies): the size-weighted
 * mid, top-n and depth-weighted imbalance, walls, depth within a distance of mid, and the cost of a
 * market order walked through the levels. Prices and sizes stay in the instrument's integer units;
 * only ratios come out as floats.
 */
import type { BookSideView, BookView } from '../../strategy/book-view.ts';

/** (bid·askSize + ask·bidSize) / (bidSize + askSize) at the best levels, price units; NaN if a side is empty. */
export function weightedMid(book: BookView): number {
  const bidSize = book.bids.bestSize();
  const askSize = book.asks.bestSize();
  const total = bidSize + askSize;
  if (!(total > 0) || book.bids.count === 0 || book.asks.count === 0) return Number.NaN;
  return (book.bids.bestPrice() * askSize + book.asks.bestPrice() * bidSize) / total;
}

/** (bidDepth − askDepth) / (bidDepth + askDepth) over the best `levels` levels; NaN for an empty book. */
export function topImbalance(book: BookView, levels: number): number {
  const b = book.bids.depth(levels);
  const a = book.asks.depth(levels);
  const total = b + a;
  return total > 0 ? (b - a) / total : Number.NaN;
}

/** Like topImbalance with level i weighted 1 / (1 + i·decay): the touch counts most. */
export function depthWeightedImbalance(book: BookView, levels: number, decay: number): number {
  let b = 0;
  let a = 0;
  const nb = Math.min(levels, book.bids.count);
  const na = Math.min(levels, book.asks.count);
  for (let i = 0; i < nb; i++) b += book.bids.sizeAt(i) / (1 + i * decay);
  for (let i = 0; i < na; i++) a += book.asks.sizeAt(i) / (1 + i * decay);
  const total = b + a;
  return total > 0 ? (b - a) / total : Number.NaN;
}

/** Finds walls with a fixed scratch array (no allocation per call). */
export class WallFinder {
  private readonly scratch: Float64Array;
  /** Set by `find`: the wall's level index, price (units) and size ÷ median. */
  level = -1;
  price = Number.NaN;
  ratio = 0;

  constructor(
    readonly levels: number,
    readonly multiple: number,
  ) {
    this.scratch = new Float64Array(levels);
  }

  /** Is one of the best `levels` levels ≥ multiple × their median size? The largest such one is kept. */
  find(side: BookSideView): boolean {
    const n = Math.min(this.levels, side.count);
    this.level = -1;
    this.price = Number.NaN;
    this.ratio = 0;
    if (n < 3) return false;
    const s = this.scratch;
    let largest = 0;
    let largestAt = 0;
    for (let i = 0; i < n; i++) {
      const v = side.sizeAt(i);
      if (v > largest) {
        largest = v;
        largestAt = i;
      }
      // insertion sort: n ≤ a few dozen
      let j = i - 1;
      while (j >= 0 && s[j]! > v) {
        s[j + 1] = s[j]!;
        j--;
      }
      s[j + 1] = v;
    }
    const median = n % 2 === 1 ? s[n >> 1]! : (s[(n >> 1) - 1]! + s[n >> 1]!) / 2;
    if (!(median > 0)) return false;
    const ratio = largest / median;
    if (ratio < this.multiple) return false;
    this.level = largestAt;
    this.price = side.priceAt(largestAt);
    this.ratio = ratio;
    return true;
  }
}

/** Size (units) of a side within `bps` of `mid` (price units), walking at most `maxLevels` levels. */
export function depthWithin(
  side: BookSideView,
  isBid: boolean,
  mid: number,
  bps: number,
  maxLevels: number,
): number {
  const limit = isBid ? mid * (1 - bps / 10_000) : mid * (1 + bps / 10_000);
  const n = Math.min(maxLevels, side.count);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = side.priceAt(i);
    if (isBid ? p < limit : p > limit) break;
    total += side.sizeAt(i);
  }
  return total;
}

/** The result of walking a market order through one side (reused: read it before the next walk). */
export class BookWalk {
  /** Size filled (units): less than asked when the walked levels run out. */
  filled = 0;
  /** Σ price·size over the fill (price units × size units). */
  notional = 0;
  /** Average fill price (units), NaN when nothing filled. */
  averagePrice = Number.NaN;
  /** Deepest level touched. */
  levels = 0;

  /** A buy takes `asks`, a sell takes `bids`. */
  walk(side: BookSideView, size: number, maxLevels: number): this {
    this.filled = 0;
    this.notional = 0;
    this.levels = 0;
    const n = Math.min(maxLevels, side.count);
    for (let i = 0; i < n && this.filled < size; i++) {
      const take = Math.min(size - this.filled, side.sizeAt(i));
      this.filled += take;
      this.notional += take * side.priceAt(i);
      this.levels = i + 1;
    }
    this.averagePrice = this.filled > 0 ? this.notional / this.filled : Number.NaN;
    return this;
  }
}

/** Slippage of an average fill price against a reference, bps, signed so that worse is positive. */
export function slippageBps(averagePrice: number, reference: number, isBuy: boolean): number {
  if (!(reference > 0) || Number.isNaN(averagePrice)) return Number.NaN;
  const d = (averagePrice - reference) / reference;
  return (isBuy ? d : -d) * 10_000;
}
