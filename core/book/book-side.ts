/**
 * One side of an L2 book: price levels kept sorted in fixed-size BLOCKS of two parallel
 * Float64Arrays (keys, sizes), blocks ordered so that the BEST level is the last element of the
 * last block.
 *
 * Design decisions (measured on the real Binance BTCUSDT captures, `npm run bench`):
 * - A single sorted array with the best level last makes touch updates nearly free, but Binance
 *   diffs also touch levels thousands deep: on the spot capture an insert or delete shifted 745
 *   elements on average and the book, not parsing, dominated the time. Blocks bound every shift to
 *   one block (≤ BLOCK entries) while keeping the levels contiguous and sorted, so best/top-n stay
 *   cheap and nothing allocates per update. A block that fills splits; a block that runs low merges
 *   with a neighbour, so reading the top n walks at most a few blocks.
 * - Asks are stored as negated prices, so both sides are ascending with the best last and share one
 *   search; accessors undo the sign.
 * - Prices and sizes are integers (instrument units) held in doubles: exact up to 2^53.
 * - Alternative rejected: a balanced tree (tardis-node's RBTree, ccxt's arrays of objects): a node
 *   per level, pointer chasing on every lookup, allocation on every insert.
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

const DEFAULT_BLOCK = 64;

export class BookSide {
  readonly isBid: boolean;
  private readonly sign: number;
  private readonly B: number;
  /** Block storage: block id b owns [b*B, b*B + count[b]). */
  private keys: Float64Array;
  private sizes: Float64Array;
  private counts: Int32Array;
  /** Block ids in ascending key order (the best level lives in order[nBlocks-1]). */
  private order: Int32Array;
  /** Largest key of each block (by position in `order`), for the block search. */
  private maxKeys: Float64Array;
  private nBlocks = 0;
  private freeIds: number[] = [];
  private capacityBlocks: number;
  private n = 0;

  constructor(isBid: boolean, blockSize = DEFAULT_BLOCK) {
    this.isBid = isBid;
    this.sign = isBid ? 1 : -1;
    this.B = Math.max(4, blockSize);
    this.capacityBlocks = 4;
    this.keys = new Float64Array(this.capacityBlocks * this.B);
    this.sizes = new Float64Array(this.capacityBlocks * this.B);
    this.counts = new Int32Array(this.capacityBlocks);
    this.order = new Int32Array(this.capacityBlocks);
    this.maxKeys = new Float64Array(this.capacityBlocks);
    for (let b = this.capacityBlocks - 1; b >= 0; b--) this.freeIds.push(b);
  }

  get count(): number {
    return this.n;
  }

  /** Best price, or NaN when empty. */
  bestPrice(): number {
    if (this.n === 0) return Number.NaN;
    const b = this.order[this.nBlocks - 1]!;
    return this.keys[b * this.B + this.counts[b]! - 1]! * this.sign;
  }

  bestSize(): number {
    if (this.n === 0) return 0;
    const b = this.order[this.nBlocks - 1]!;
    return this.sizes[b * this.B + this.counts[b]! - 1]!;
  }

  /** Storage index of the i-th level from the touch (0 = best); walks blocks from the top. */
  private indexFromTop(i: number): number {
    let pos = this.nBlocks - 1;
    let b = this.order[pos]!;
    while (i >= this.counts[b]!) {
      i -= this.counts[b]!;
      b = this.order[--pos]!;
    }
    return b * this.B + this.counts[b]! - 1 - i;
  }

  /** Price of the i-th level from the touch (0 = best). */
  priceAt(i: number): number {
    return this.keys[this.indexFromTop(i)]! * this.sign;
  }

  sizeAt(i: number): number {
    return this.sizes[this.indexFromTop(i)]!;
  }

  /** Size resting at `price`, 0 when there is no level. */
  sizeAtPrice(price: number): number {
    if (this.n === 0) return 0;
    const key = price * this.sign;
    const pos = this.blockFor(key);
    const b = this.order[pos]!;
    const idx = this.findIn(b, key);
    return idx >= 0 ? this.sizes[b * this.B + idx]! : 0;
  }

  /** Set a level to an absolute size; 0 removes it. */
  set(price: number, size: number): LevelUpdate {
    if (!(size >= 0) || Number.isNaN(price)) return LevelUpdate.Rejected;
    const key = price * this.sign;
    if (this.n === 0) {
      if (size === 0) return LevelUpdate.RemovedUnknown;
      const b = this.newBlockAt(0);
      this.keys[b * this.B] = key;
      this.sizes[b * this.B] = size;
      this.counts[b] = 1;
      this.maxKeys[0] = key;
      this.n = 1;
      return LevelUpdate.Added;
    }
    const pos = this.blockFor(key);
    const b = this.order[pos]!;
    const idx = this.findIn(b, key);
    const base = b * this.B;
    if (idx >= 0) {
      if (size === 0) {
        this.removeAt(pos, b, idx);
        return LevelUpdate.Removed;
      }
      if (this.sizes[base + idx] === size) return LevelUpdate.Unchanged;
      this.sizes[base + idx] = size;
      return LevelUpdate.Updated;
    }
    if (size === 0) return LevelUpdate.RemovedUnknown;
    this.insertAt(pos, b, -idx - 1, key, size);
    return LevelUpdate.Added;
  }

  /** Keep only the best `depth` levels (Kraken: the venue sends no deletes for levels that fall out of scope). */
  truncate(depth: number): number {
    if (this.n <= depth) return 0;
    const target = Math.max(0, depth);
    let drop = this.n - target;
    const dropped = drop;
    // Whole blocks from the far end first, then a partial block.
    let first = 0;
    while (first < this.nBlocks && this.counts[this.order[first]!]! <= drop) {
      const b = this.order[first]!;
      drop -= this.counts[b]!;
      this.counts[b] = 0;
      this.freeIds.push(b);
      first++;
    }
    if (first > 0) {
      this.order.copyWithin(0, first, this.nBlocks);
      this.maxKeys.copyWithin(0, first, this.nBlocks);
      this.nBlocks -= first;
    }
    if (drop > 0) {
      const b = this.order[0]!;
      const base = b * this.B;
      const c = this.counts[b]!;
      this.keys.copyWithin(base, base + drop, base + c);
      this.sizes.copyWithin(base, base + drop, base + c);
      this.counts[b] = c - drop;
    }
    this.n = target;
    return dropped;
  }

  clear(): void {
    for (let p = 0; p < this.nBlocks; p++) {
      const b = this.order[p]!;
      this.counts[b] = 0;
      this.freeIds.push(b);
    }
    this.nBlocks = 0;
    this.n = 0;
  }

  /** Sum of sizes over the best `levels` levels. */
  depth(levels: number): number {
    let total = 0;
    let left = Math.min(levels, this.n);
    for (let pos = this.nBlocks - 1; pos >= 0 && left > 0; pos--) {
      const b = this.order[pos]!;
      const base = b * this.B;
      for (let i = this.counts[b]! - 1; i >= 0 && left > 0; i--, left--) total += this.sizes[base + i]!;
    }
    return total;
  }

  /** Copy of the best `levels` levels, best first, as [price, size] pairs. Allocates: not for the hot path. */
  top(levels: number = this.n): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let left = Math.min(levels, this.n);
    for (let pos = this.nBlocks - 1; pos >= 0 && left > 0; pos--) {
      const b = this.order[pos]!;
      const base = b * this.B;
      for (let i = this.counts[b]! - 1; i >= 0 && left > 0; i--, left--) {
        out.push([this.keys[base + i]! * this.sign, this.sizes[base + i]!]);
      }
    }
    return out;
  }

  /** Position (in `order`) of the block that holds `key` or where it would go. */
  private blockFor(key: number): number {
    const last = this.nBlocks - 1;
    // Touch fast path: most updates land in the best block.
    if (last === 0 || key > this.maxKeys[last - 1]!) return last;
    let lo = 0;
    let hi = last - 1;
    const maxKeys = this.maxKeys;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (maxKeys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Binary search inside block b: index, or -(insertion point) - 1. */
  private findIn(b: number, key: number): number {
    const keys = this.keys;
    const base = b * this.B;
    let lo = 0;
    let hi = this.counts[b]! - 1;
    // Touch fast path inside the block.
    if (hi >= 0 && keys[base + hi] === key) return hi;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[base + mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  private insertAt(pos: number, b: number, at: number, key: number, size: number): void {
    const B = this.B;
    let c = this.counts[b]!;
    if (c === B) {
      // Split the full block in two halves; the new block takes the upper half.
      const half = B >>> 1;
      const nb = this.newBlockAt(pos + 1);
      const src = b * B;
      const dst = nb * B;
      this.keys.copyWithin(dst, src + half, src + B);
      this.sizes.copyWithin(dst, src + half, src + B);
      this.counts[b] = half;
      this.counts[nb] = B - half;
      this.maxKeys[pos] = this.keys[src + half - 1]!;
      this.maxKeys[pos + 1] = this.keys[dst + B - half - 1]!;
      if (at > half || (at === half && key > this.maxKeys[pos]!)) {
        this.insertAt(pos + 1, nb, at - half, key, size);
      } else {
        this.insertAt(pos, b, at, key, size);
      }
      return;
    }
    const base = b * B;
    // Plain loops, not copyWithin: moves are short (≤ one block) and the builtin's call costs more.
    const keys = this.keys;
    const sizes = this.sizes;
    for (let j = base + c; j > base + at; j--) {
      keys[j] = keys[j - 1]!;
      sizes[j] = sizes[j - 1]!;
    }
    keys[base + at] = key;
    sizes[base + at] = size;
    this.counts[b] = ++c;
    if (at === c - 1) this.maxKeys[pos] = key;
    this.n++;
  }

  private removeAt(pos: number, b: number, idx: number): void {
    const base = b * this.B;
    const c = this.counts[b]! - 1;
    const keys = this.keys;
    const sizes = this.sizes;
    for (let j = base + idx; j < base + c; j++) {
      keys[j] = keys[j + 1]!;
      sizes[j] = sizes[j + 1]!;
    }
    this.counts[b] = c;
    this.n--;
    if (c === 0) {
      this.dropBlockAt(pos);
      return;
    }
    if (idx === c) this.maxKeys[pos] = this.keys[base + c - 1]!;
    if (c < this.B >>> 2) this.mergeAround(pos);
  }

  /** Fold a sparse block into a neighbour when both fit in one block. */
  private mergeAround(pos: number): void {
    const B = this.B;
    const b = this.order[pos]!;
    const c = this.counts[b]!;
    if (pos > 0) {
      const lower = this.order[pos - 1]!;
      const lc = this.counts[lower]!;
      if (lc + c <= B) {
        // Append this block to the lower one.
        this.keys.copyWithin(lower * B + lc, b * B, b * B + c);
        this.sizes.copyWithin(lower * B + lc, b * B, b * B + c);
        this.counts[lower] = lc + c;
        this.maxKeys[pos - 1] = this.maxKeys[pos]!;
        this.counts[b] = 0;
        this.dropBlockAt(pos);
        return;
      }
    }
    if (pos < this.nBlocks - 1) {
      const upper = this.order[pos + 1]!;
      const uc = this.counts[upper]!;
      if (uc + c <= B) {
        // Append the upper block to this one.
        this.keys.copyWithin(b * B + c, upper * B, upper * B + uc);
        this.sizes.copyWithin(b * B + c, upper * B, upper * B + uc);
        this.counts[b] = c + uc;
        this.maxKeys[pos] = this.maxKeys[pos + 1]!;
        this.counts[upper] = 0;
        this.dropBlockAt(pos + 1);
      }
    }
  }

  private dropBlockAt(pos: number): void {
    this.freeIds.push(this.order[pos]!);
    this.order.copyWithin(pos, pos + 1, this.nBlocks);
    this.maxKeys.copyWithin(pos, pos + 1, this.nBlocks);
    this.nBlocks--;
  }

  /** Take a free block id and place it at `pos` in the order. */
  private newBlockAt(pos: number): number {
    if (this.freeIds.length === 0) this.grow();
    const b = this.freeIds.pop()!;
    this.order.copyWithin(pos + 1, pos, this.nBlocks);
    this.maxKeys.copyWithin(pos + 1, pos, this.nBlocks);
    this.order[pos] = b;
    this.counts[b] = 0;
    this.nBlocks++;
    return b;
  }

  private grow(): void {
    const old = this.capacityBlocks;
    const cap = old * 2;
    const B = this.B;
    const keys = new Float64Array(cap * B);
    const sizes = new Float64Array(cap * B);
    keys.set(this.keys);
    sizes.set(this.sizes);
    const counts = new Int32Array(cap);
    counts.set(this.counts);
    const order = new Int32Array(cap);
    order.set(this.order);
    const maxKeys = new Float64Array(cap);
    maxKeys.set(this.maxKeys);
    this.keys = keys;
    this.sizes = sizes;
    this.counts = counts;
    this.order = order;
    this.maxKeys = maxKeys;
    for (let b = cap - 1; b >= old; b--) this.freeIds.push(b);
    this.capacityBlocks = cap;
  }
}
