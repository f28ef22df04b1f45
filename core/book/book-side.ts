/**
 * One side of an L2 book: price levels in two parallel Float64Arrays, sorted so that the BEST level
 * is the LAST element. Updates cluster at the touch, and at the end of an array an insert or delete
 * moves almost nothing.
 *
 * Design decisions:
 * - Asks are stored as negated prices, so both sides are ascending with the best last and share one
 *   branch-free binary search; accessors undo the sign.
 * - Prices and sizes are integers (instrument units) held in doubles: exact up to 2^53 and faster in
 *   typed arrays than BigInt. Float64Array (not a Map) keeps the levels contiguous and sorted,
 *   which makes best/top-n/truncate O(1)/O(n) with no allocation.
 * - Alternative rejected: a balanced tree (tardis-node, ccxt use sorted arrays or trees of objects);
 *   it allocates a node per level and chases pointers on every lookup.
 */

/** Outcome of {@link BookSide.set}. */
export const LevelUpdate = {
  Unchanged: 0,
  Added: 1,
  Updated: 2,
  Removed: 3,
  /** A delete for a level we do not hold: normal (deep levels, truncated depth), not an error. */
  RemovedUnknown: 4,
  /** Negative or non-finite size: nothing changed. */
  Rejected: 5,
} as const;
export type LevelUpdate = (typeof LevelUpdate)[keyof typeof LevelUpdate];

export class BookSide {
  /** Keys: price for bids, -price for asks. Ascending; best at count-1. */
  private keys: Float64Array;
  private sizes: Float64Array;
  private n = 0;
  readonly isBid: boolean;
  private readonly sign: number;

  constructor(isBid: boolean, capacity = 64) {
    this.isBid = isBid;
    this.sign = isBid ? 1 : -1;
    this.keys = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  get count(): number {
    return this.n;
  }

  /** Best price, or NaN when empty. */
  bestPrice(): number {
    return this.n > 0 ? this.keys[this.n - 1]! * this.sign : Number.NaN;
  }

  bestSize(): number {
    return this.n > 0 ? this.sizes[this.n - 1]! : 0;
  }

  /** Price of the i-th level from the touch (0 = best). */
  priceAt(i: number): number {
    return this.keys[this.n - 1 - i]! * this.sign;
  }

  sizeAt(i: number): number {
    return this.sizes[this.n - 1 - i]!;
  }

  /** Size resting at `price`, 0 when there is no level. */
  sizeAtPrice(price: number): number {
    const idx = this.find(price * this.sign);
    return idx >= 0 ? this.sizes[idx]! : 0;
  }

  /** Set a level to an absolute size; 0 removes it. */
  set(price: number, size: number): LevelUpdate {
    if (!(size >= 0) || Number.isNaN(price)) return LevelUpdate.Rejected;
    const key = price * this.sign;
    const n = this.n;
    const keys = this.keys;
    // Fast path: at or beyond the touch.
    if (n === 0 || key > keys[n - 1]!) {
      if (size === 0) return LevelUpdate.RemovedUnknown;
      if (n === keys.length) this.grow();
      this.keys[n] = key;
      this.sizes[n] = size;
      this.n = n + 1;
      return LevelUpdate.Added;
    }
    const idx = this.find(key);
    if (idx >= 0) {
      if (size === 0) {
        // Close the gap: shift the better levels down by one.
        if (idx < n - 1) {
          keys.copyWithin(idx, idx + 1, n);
          this.sizes.copyWithin(idx, idx + 1, n);
        }
        this.n = n - 1;
        return LevelUpdate.Removed;
      }
      if (this.sizes[idx] === size) return LevelUpdate.Unchanged;
      this.sizes[idx] = size;
      return LevelUpdate.Updated;
    }
    if (size === 0) return LevelUpdate.RemovedUnknown;
    const at = -idx - 1;
    if (n === keys.length) this.grow();
    const k = this.keys;
    const s = this.sizes;
    k.copyWithin(at + 1, at, n);
    s.copyWithin(at + 1, at, n);
    k[at] = key;
    s[at] = size;
    this.n = n + 1;
    return LevelUpdate.Added;
  }

  /** Keep only the best `depth` levels (Kraken: the venue sends no deletes for levels that fall out of scope). */
  truncate(depth: number): number {
    if (this.n <= depth) return 0;
    const drop = this.n - depth;
    this.keys.copyWithin(0, drop, this.n);
    this.sizes.copyWithin(0, drop, this.n);
    this.n = depth;
    return drop;
  }

  clear(): void {
    this.n = 0;
  }

  /** Sum of sizes over the best `levels` levels. */
  depth(levels: number): number {
    let total = 0;
    const stop = Math.max(0, this.n - levels);
    for (let i = this.n - 1; i >= stop; i--) total += this.sizes[i]!;
    return total;
  }

  /** Copy of the best `levels` levels, best first, as [price, size] pairs. Allocates: not for the hot path. */
  top(levels: number = this.n): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const stop = Math.max(0, this.n - levels);
    for (let i = this.n - 1; i >= stop; i--) out.push([this.keys[i]! * this.sign, this.sizes[i]!]);
    return out;
  }

  /** Binary search for a key: index, or -(insertion point) - 1. */
  private find(key: number): number {
    let lo = 0;
    let hi = this.n - 1;
    const keys = this.keys;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const sizes = new Float64Array(this.sizes.length * 2);
    keys.set(this.keys);
    sizes.set(this.sizes);
    this.keys = keys;
    this.sizes = sizes;
  }
}
