/**
 * One side of an L2 book: a price-indexed WINDOW of ticks around the touch, and the levels outside
 * it kept sorted in fixed-size BLOCKS.
 *
 * Both parts work on keys: key = price for bids, −price for asks, so "higher key = better" on both
 * sides and the best level is the highest key. Prices and sizes are integers (instrument units)
 * held in doubles: exact up to 2^53. A non-integer price is refused.
 *
 * Design decisions (measured on the real Binance BTCUSDT captures of 2024-08-08; "M/s" = million
 * level changes applied per second, medians, all figures of one line from the same process on the
 * shared 2-core dev machine, where JSON.parse of the same frames runs at 3.8–4.2 M/s):
 * - Where the updates land. Spot (depth@100ms, 124k level changes, ~1 000–2 000 levels a side over
 *   ~20 000 ticks): 39% of changes are inserts and 39% deletes, only 13% size updates; 29% land
 *   within 1 000 ticks of the touch, 59% within 4 096, 92% within 20 000; the rest are far-away
 *   orders (up to 200 000 USDT). USD-M (depth@0ms, 443k changes): 59% size updates, 64% within
 *   1 000 ticks of the touch, 91% within 4 096.
 * - The previous design, one sorted structure in blocks of 64 (kept below for the far levels),
 *   spent its time in two binary searches and in shifting up to a block on every insert/delete:
 *   L2Book.set ran at 7.1 M/s on spot and 8.4–8.7 M/s on USD-M, about as slow as parsing.
 * - The window (hftbacktest's idea): sizes in a Float64Array indexed by tick, used as a ring
 *   (slot = key mod W) so moving the window never copies it, plus an occupancy bitmap so the next
 *   level below the best, rank walks and evictions skip empty ticks 32 at a time. A change inside
 *   the window is an index computation and a store. Levels below the window live in the blocked
 *   structure; nothing is ever above the window (a better price moves the window up first), so the
 *   best level is the window's best whenever the window holds anything. Result: 22–23 M/s on spot,
 *   29–30 M/s on USD-M (3.2× and 3.5× the blocked structure alone).
 * - The window follows the touch: a new best above it moves it up (the levels that fall off the
 *   bottom are appended to the blocked structure's best end, O(1) each); when the best sinks deep
 *   into it, it moves down and takes the blocked structure's best levels back. The ring makes both
 *   O(levels moved + W/32).
 * - Window size (spot, max window forced): 4 096 ticks 8.6 M/s, 8 192 10.8, 16 384 15.4, 32 768
 *   22.0, 65 536 23.0 — a change that misses the window costs ~175 ns in the blocked structure, so
 *   the miss rate decides. USD-M: 23.0 at 4 096, 26–27 from 8 192 up. After growing, 7.5% of spot
 *   and 6.4% of USD-M changes still miss (orders far from the touch).
 * - Memory (2 000 books must fit): the window starts at 256 ticks (2 KiB a side) and doubles only
 *   while more than 1 change in 8 misses it, up to 32 768 ticks and never beyond 32 ticks per level
 *   held (≤ 256 bytes a level). So only busy, deep books (BTCUSDT spot: 32 768 ticks, 260 KiB a
 *   side; USD-M: 32 768 bids, 8 192 asks) pay for a large one; a 20-level book stays at 256–512.
 * - Blocked structure: levels sorted in blocks of two parallel Float64Arrays (keys, sizes), blocks
 *   in key order, so a shift is bounded by a block; full blocks split, sparse ones merge.
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
  /** Negative or non-finite size, or a non-integer or non-finite price: nothing changed. */
  Rejected: 5,
} as const;
export type LevelUpdate = (typeof LevelUpdate)[keyof typeof LevelUpdate];

const DEFAULT_BLOCK = 64;
const DEFAULT_MIN_WINDOW = 256;
const DEFAULT_MAX_WINDOW = 32_768;
/** The window doubles while more than 1 change in MISS_RATIO misses it… */
const MISS_RATIO = 8;
/** …judged every REVIEW_MISSES misses… */
const REVIEW_MISSES = 1024;
/** …and never beyond this many ticks per level held (bounds memory per level). */
const TICKS_PER_LEVEL = 32;
/** Keys beyond this stay in the blocked structure (window arithmetic must stay exact). */
const MAX_WINDOW_KEY = 2 ** 52;

/** Window sizing; tests use tiny windows to make it move and grow constantly. */
export interface WindowOptions {
  /** Initial window in ticks (rounded up to a power of two ≥ 32). */
  min?: number;
  /** Largest window in ticks; 0 disables the window (blocked structure only). */
  max?: number;
}

export class BookSide {
  readonly isBid: boolean;
  private readonly sign: number;
  /** Levels below the window. */
  private readonly deep: BlockedLevels;
  private readonly windowOn: boolean;
  private readonly maxWindow: number;
  // The window: keys [top − W + 1, top], key k at slot k & mask.
  private qty: Float64Array;
  private bits: Int32Array;
  private W: number;
  private mask: number;
  private winTop = Number.NEGATIVE_INFINITY;
  private topSlot = 0;
  /** Levels in the window. */
  private wn = 0;
  /** Best key in the window (valid when wn > 0). */
  private bestKey = 0;
  // Growth review: changes seen and changes that missed the window since the last review.
  private ops = 0;
  private misses = 0;
  // Rank cache for priceAt/sizeAt walks in the window (−1: none).
  private rankI = -1;
  private rankKey = 0;
  /** Size the level held before the last set that was not Rejected (0: no level): what a mirror of the book needs to follow it. */
  previousSize = 0;

  constructor(isBid: boolean, blockSize = DEFAULT_BLOCK, window: WindowOptions = {}) {
    this.isBid = isBid;
    this.sign = isBid ? 1 : -1;
    this.deep = new BlockedLevels(blockSize);
    const max = window.max ?? DEFAULT_MAX_WINDOW;
    this.windowOn = max > 0;
    this.W = this.windowOn ? pow2AtLeast(Math.min(window.min ?? DEFAULT_MIN_WINDOW, max)) : 32;
    this.maxWindow = this.windowOn ? Math.max(this.W, pow2AtLeast(max)) : 0;
    this.mask = this.W - 1;
    this.qty = new Float64Array(this.W);
    this.bits = new Int32Array(this.W >>> 5);
  }

  get count(): number {
    return this.wn + this.deep.count;
  }

  /** Ticks the price-indexed window spans now (memory: 8 bytes each, plus a bit). */
  get windowTicks(): number {
    return this.windowOn ? this.W : 0;
  }

  /** Best price, or NaN when empty. */
  bestPrice(): number {
    if (this.wn > 0) return this.bestKey * this.sign;
    return this.deep.count > 0 ? this.deep.bestKey() * this.sign : Number.NaN;
  }

  bestSize(): number {
    if (this.wn > 0) return this.qty[this.bestKey & this.mask]!;
    return this.deep.count > 0 ? this.deep.bestSize() : 0;
  }

  /** Price of the i-th level from the touch (0 = best); NaN past the last level. */
  priceAt(i: number): number {
    if (!(i >= 0)) return Number.NaN;
    if (i < this.wn) return this.windowKeyAt(i) * this.sign;
    return this.deep.keyAt(i - this.wn) * this.sign;
  }

  /** Size of the i-th level from the touch; 0 past the last level. */
  sizeAt(i: number): number {
    if (!(i >= 0)) return 0;
    if (i < this.wn) return this.qty[this.windowKeyAt(i) & this.mask]!;
    return this.deep.sizeAt(i - this.wn);
  }

  /** Size resting at `price`, 0 when there is no level. */
  sizeAtPrice(price: number): number {
    if (price - price !== 0) return 0;
    const key = price * this.sign;
    const off = this.winTop - key;
    if ((off & this.mask) === off) return this.qty[(this.topSlot - off) & this.mask]!;
    return this.deep.sizeAtKey(key);
  }

  /** Price of the next level worse than `price` (held or not), NaN when there is none. */
  nextWorse(price: number): number {
    if (price - price !== 0) return Number.NaN;
    let key = price * this.sign;
    // Between two ticks: the next worse than the tick above it is the same level.
    if (key !== Math.floor(key)) key = Math.floor(key) + 1;
    if (this.wn > 0) {
      const lo = this.winTop - this.W + 1;
      if (key > this.bestKey) return this.bestKey * this.sign;
      if (key - 1 >= lo) {
        // A result below the window's bottom means the ring walk wrapped: nothing below in it.
        const below = this.nextBelow(key);
        if (below >= lo) return below * this.sign;
      }
      if (key > lo) return this.deep.count > 0 ? this.deep.bestKey() * this.sign : Number.NaN;
    }
    return this.deep.keyBelow(key) * this.sign;
  }

  /** Set a level to an absolute size; 0 removes it. */
  set(price: number, size: number): LevelUpdate {
    if (!(size >= 0 && size < Number.POSITIVE_INFINITY) || price - price !== 0) return LevelUpdate.Rejected;
    this.ops++;
    const key = price * this.sign;
    const off = this.winTop - key;
    // In the window (integer offset in [0, W)): one slot.
    if ((off & this.mask) === off) {
      const s = (this.topSlot - off) & this.mask;
      const q = this.qty;
      const old = q[s]!;
      this.previousSize = old;
      if (size === 0) {
        if (old === 0) return LevelUpdate.RemovedUnknown;
        q[s] = 0;
        this.bits[s >>> 5]! ^= 1 << (s & 31);
        this.rankI = -1;
        if (--this.wn === 0 || key === this.bestKey) this.bestRemoved();
        return LevelUpdate.Removed;
      }
      if (old === size) return LevelUpdate.Unchanged;
      q[s] = size;
      if (old !== 0) return LevelUpdate.Updated;
      this.bits[s >>> 5]! |= 1 << (s & 31);
      this.rankI = -1;
      if (this.wn++ === 0 || key > this.bestKey) this.bestKey = key;
      return LevelUpdate.Added;
    }
    return this.setOutside(key, size, off);
  }

  /** A key outside the window: above it (a new best, the window moves up) or below it (blocked). */
  private setOutside(key: number, size: number, off: number): LevelUpdate {
    if (key !== Math.floor(key)) return LevelUpdate.Rejected;
    if (off < 0 && this.windowOn && Math.abs(key) < MAX_WINDOW_KEY) {
      this.previousSize = 0;
      // Nothing is ever above the window: a delete there is for an unknown level.
      if (size === 0) return LevelUpdate.RemovedUnknown;
      this.moveUp(key + this.margin());
      const s = key & this.mask;
      this.qty[s] = size;
      this.bits[s >>> 5]! |= 1 << (s & 31);
      this.rankI = -1;
      this.wn++;
      this.bestKey = key;
      return LevelUpdate.Added;
    }
    const r = this.deep.set(key, size);
    this.previousSize = this.deep.previous;
    if (++this.misses >= REVIEW_MISSES) this.review();
    return r;
  }

  /** Ticks kept free above the best, so a rising touch does not move the window at once. */
  private margin(): number {
    return this.W >>> 4;
  }

  private placeTop(top: number): void {
    this.winTop = top;
    this.topSlot = top & this.mask;
  }

  /**
   * Move the window up to end at `top`, handing the levels that fall off its bottom to `deep`
   * (an empty window — a new side, or everything below it — just moves).
   */
  private moveUp(top: number): void {
    if (this.wn > 0) this.evictAscending(this.winTop - this.W + 1, Math.min(top - this.winTop, this.W), true);
    this.placeTop(top);
  }

  /**
   * Take the `count` ticks of the window from key `from` upwards out of the window (ascending),
   * appending them to `deep` (they are above everything it holds) or dropping them.
   */
  private evictAscending(from: number, count: number, keep: boolean): void {
    const q = this.qty;
    const bits = this.bits;
    const mask = this.mask;
    const fromSlot = from & mask;
    let k = 0;
    while (k < count && this.wn > 0) {
      const slot = (fromSlot + k) & mask;
      const bit = slot & 31;
      const w = slot >>> 5;
      const word = bits[w]! >>> bit;
      if (word === 0) {
        k += 32 - bit;
        continue;
      }
      const tz = 31 - Math.clz32(word & -word);
      k += tz;
      if (k >= count) break;
      const s = slot + tz;
      if (keep) this.deep.pushBest(from + k, q[s]!);
      q[s] = 0;
      bits[w]! ^= 1 << (bit + tz);
      this.wn--;
      k++;
    }
    this.rankI = -1;
  }

  /** The best level left the window, or the window emptied: find the new best, maybe move down. */
  private bestRemoved(): void {
    if (this.wn > 0) {
      this.bestKey = this.nextBelow(this.bestKey);
      // Best sunk deep into the window: move down so the levels under it fit again.
      if (this.winTop - this.bestKey > this.margin() + (this.W >>> 3)) this.moveDownTo(this.bestKey);
    } else if (this.deep.count > 0) {
      const best = this.deep.bestKey();
      if (Math.abs(best) < MAX_WINDOW_KEY) this.moveDownTo(best);
    }
  }

  /**
   * Move the window down to end `margin` above `best` (the best key overall; nothing in the window
   * is above it) and take the levels from `deep` that now fall inside.
   */
  private moveDownTo(best: number): void {
    this.placeTop(best + this.margin());
    const lo = this.winTop - this.W + 1;
    const deep = this.deep;
    const q = this.qty;
    const bits = this.bits;
    const mask = this.mask;
    let pulled = 0;
    while (deep.count > 0) {
      const key = deep.bestKey();
      if (key < lo) break;
      const s = key & mask;
      q[s] = deep.bestSize();
      bits[s >>> 5]! |= 1 << (s & 31);
      deep.removeBest();
      if (this.wn++ === 0) this.bestKey = key;
      pulled++;
    }
    if (pulled > 0) this.rankI = -1;
  }

  /** Highest occupied key below `key` in the window; one must exist. */
  private nextBelow(key: number): number {
    const bits = this.bits;
    const mask = this.mask;
    const wmask = mask >>> 5;
    const s0 = (key - 1) & mask;
    let w = s0 >>> 5;
    let word = bits[w]! & (-1 >>> (31 - (s0 & 31)));
    // Bounded: a broken invariant must not hang the feed (one lap of the ring at most).
    for (let left = wmask + 1; word === 0; left--) {
      if (left === 0) return Number.NaN;
      w = (w - 1) & wmask;
      word = bits[w]!;
    }
    const slot = (w << 5) | (31 - Math.clz32(word));
    return key - 1 - ((s0 - slot) & mask);
  }

  /** Key of the i-th window level from the best (i < wn); sequential reads walk once. */
  private windowKeyAt(i: number): number {
    let r = 0;
    let key = this.bestKey;
    if (this.rankI >= 0 && this.rankI <= i) {
      r = this.rankI;
      key = this.rankKey;
    }
    while (r < i) {
      key = this.nextBelow(key);
      r++;
    }
    this.rankI = r;
    this.rankKey = key;
    return key;
  }

  /** Every REVIEW_MISSES misses: double the window while too many changes miss it. */
  private review(): void {
    const missedOften = this.misses * MISS_RATIO > this.ops;
    this.ops = 0;
    this.misses = 0;
    if (!missedOften || !this.windowOn || this.W >= this.maxWindow) return;
    const W = this.W * 2;
    if (W > this.count * TICKS_PER_LEVEL || this.count === 0) return;
    if (this.wn === 0 && !(Math.abs(this.deep.bestKey()) < MAX_WINDOW_KEY)) return;
    // Everything to `deep` (ascending), then a larger window pulls back what fits.
    if (this.wn > 0) this.evictAscending(this.winTop - this.W + 1, this.W, true);
    this.W = W;
    this.mask = W - 1;
    this.qty = new Float64Array(W);
    this.bits = new Int32Array(W >>> 5);
    // deep holds everything now and its best is a window key (the window held it or deep did).
    this.moveDownTo(this.deep.bestKey());
  }

  /** Keep only the best `depth` levels (Kraken: the venue sends no deletes for levels that fall out of scope). */
  truncate(depth: number): number {
    const n = this.count;
    if (!(depth < n)) return 0;
    const target = Math.max(0, depth);
    if (target >= this.wn) {
      this.deep.truncate(target - this.wn);
    } else {
      this.deep.clear();
      if (target === 0) this.clearWindow();
      else this.evictUntil(this.winTop - this.W + 1, target);
    }
    this.rankI = -1;
    return n - target;
  }

  /** Drop window levels from key `from` upwards until `keep` levels remain. */
  private evictUntil(from: number, keep: number): void {
    const q = this.qty;
    const bits = this.bits;
    const mask = this.mask;
    const fromSlot = from & mask;
    let k = 0;
    while (this.wn > keep) {
      const slot = (fromSlot + k) & mask;
      const bit = slot & 31;
      const w = slot >>> 5;
      const word = bits[w]! >>> bit;
      if (word === 0) {
        k += 32 - bit;
        continue;
      }
      const tz = 31 - Math.clz32(word & -word);
      const s = slot + tz;
      q[s] = 0;
      bits[w]! ^= 1 << (bit + tz);
      this.wn--;
      k += tz + 1;
    }
  }

  private clearWindow(): void {
    const bits = this.bits;
    const q = this.qty;
    for (let w = 0; w < bits.length && this.wn > 0; w++) {
      let word = bits[w]!;
      while (word !== 0) {
        const low = word & -word;
        q[(w << 5) | (31 - Math.clz32(low))] = 0;
        word ^= low;
        this.wn--;
      }
      bits[w] = 0;
    }
    this.wn = 0;
    this.rankI = -1;
  }

  clear(): void {
    this.clearWindow();
    this.deep.clear();
  }

  /** Sum of sizes over the best `levels` levels. */
  depth(levels: number): number {
    let total = 0;
    const inWindow = Math.min(levels, this.wn);
    if (inWindow > 0) {
      let key = this.bestKey;
      total = this.qty[key & this.mask]!;
      for (let i = 1; i < inWindow; i++) {
        key = this.nextBelow(key);
        total += this.qty[key & this.mask]!;
      }
    }
    if (levels > this.wn) total += this.deep.depth(levels - this.wn);
    return total;
  }

  /**
   * The best `levels` levels into `out`, best first: level k's price at `out[at + k * stride]`, its
   * size right after it. Returns how many levels were written (fewer when the book is shallower).
   * One walk, no allocation: what the recorder copies after every update.
   */
  copyLevels(levels: number, out: Float64Array, at: number, stride: number): number {
    const inWindow = Math.min(levels, this.wn);
    let key = this.bestKey;
    for (let i = 0; i < inWindow; i++, at += stride) {
      if (i > 0) key = this.nextBelow(key);
      out[at] = key * this.sign;
      out[at + 1] = this.qty[key & this.mask]!;
    }
    const deep = this.deep;
    const more = Math.min(levels - inWindow, deep.count);
    for (let i = 0; i < more; i++, at += stride) {
      out[at] = deep.keyAt(i) * this.sign;
      out[at + 1] = deep.sizeAt(i);
    }
    return inWindow + more;
  }

  /** Copy of the best `levels` levels, best first, as [price, size] pairs. Allocates: not for the hot path. */
  top(levels: number = this.count): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const inWindow = Math.min(levels, this.wn);
    let key = this.bestKey;
    for (let i = 0; i < inWindow; i++) {
      if (i > 0) key = this.nextBelow(key);
      out.push([key * this.sign, this.qty[key & this.mask]!]);
    }
    const deep = this.deep;
    const more = Math.min(levels - inWindow, deep.count);
    for (let i = 0; i < more; i++) out.push([deep.keyAt(i) * this.sign, deep.sizeAt(i)]);
    return out;
  }
}

function pow2AtLeast(n: number): number {
  let p = 32;
  while (p < n) p *= 2;
  return p;
}

/**
 * Levels sorted by key in fixed-size blocks of two parallel Float64Arrays (keys, sizes); the best
 * (highest) key is the last element of the last block. Every shift is bounded by one block.
 */
class BlockedLevels {
  private readonly B: number;
  /** Block storage: block id b owns [b*B, b*B + counts[b]). */
  private keys: Float64Array;
  private sizes: Float64Array;
  private counts: Int32Array;
  /** Block ids in ascending key order. */
  private order: Int32Array;
  /** Largest key of each block (by position in `order`), for the block search. */
  private maxKeys: Float64Array;
  private nBlocks = 0;
  private freeIds: number[] = [];
  private capacityBlocks: number;
  count = 0;

  constructor(blockSize: number) {
    this.B = Math.max(4, blockSize);
    this.capacityBlocks = 4;
    this.keys = new Float64Array(this.capacityBlocks * this.B);
    this.sizes = new Float64Array(this.capacityBlocks * this.B);
    this.counts = new Int32Array(this.capacityBlocks);
    this.order = new Int32Array(this.capacityBlocks);
    this.maxKeys = new Float64Array(this.capacityBlocks);
    for (let b = this.capacityBlocks - 1; b >= 0; b--) this.freeIds.push(b);
  }

  /** Highest key; only when count > 0. */
  bestKey(): number {
    const b = this.order[this.nBlocks - 1]!;
    return this.keys[b * this.B + this.counts[b]! - 1]!;
  }

  bestSize(): number {
    const b = this.order[this.nBlocks - 1]!;
    return this.sizes[b * this.B + this.counts[b]! - 1]!;
  }

  /** Storage index of the i-th level from the best, −1 past the end; walks blocks from the top. */
  private indexFromTop(i: number): number {
    if (i < 0 || i >= this.count) return -1;
    let pos = this.nBlocks - 1;
    let b = this.order[pos]!;
    while (i >= this.counts[b]!) {
      i -= this.counts[b]!;
      b = this.order[--pos]!;
    }
    return b * this.B + this.counts[b]! - 1 - i;
  }

  keyAt(i: number): number {
    const idx = this.indexFromTop(i);
    return idx >= 0 ? this.keys[idx]! : Number.NaN;
  }

  sizeAt(i: number): number {
    const idx = this.indexFromTop(i);
    return idx >= 0 ? this.sizes[idx]! : 0;
  }

  /** Highest key below `key`, NaN when there is none. */
  keyBelow(key: number): number {
    if (this.count === 0) return Number.NaN;
    const pos = this.blockFor(key);
    const b = this.order[pos]!;
    const idx = this.findIn(b, key);
    const at = (idx >= 0 ? idx : -idx - 1) - 1;
    if (at >= 0) return this.keys[b * this.B + at]!;
    if (pos === 0) return Number.NaN;
    const lower = this.order[pos - 1]!;
    return this.keys[lower * this.B + this.counts[lower]! - 1]!;
  }

  sizeAtKey(key: number): number {
    if (this.count === 0) return 0;
    const pos = this.blockFor(key);
    const b = this.order[pos]!;
    const idx = this.findIn(b, key);
    return idx >= 0 ? this.sizes[b * this.B + idx]! : 0;
  }

  /** Size the key held before the last set (0: none). */
  previous = 0;

  set(key: number, size: number): LevelUpdate {
    this.previous = 0;
    if (this.count === 0) {
      if (size === 0) return LevelUpdate.RemovedUnknown;
      this.pushBest(key, size);
      return LevelUpdate.Added;
    }
    const pos = this.blockFor(key);
    const b = this.order[pos]!;
    const idx = this.findIn(b, key);
    const base = b * this.B;
    if (idx >= 0) {
      this.previous = this.sizes[base + idx]!;
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

  /** Append a level above every key held. */
  pushBest(key: number, size: number): void {
    let b = this.nBlocks === 0 ? -1 : this.order[this.nBlocks - 1]!;
    if (b < 0 || this.counts[b]! === this.B) b = this.newBlockAt(this.nBlocks);
    const c = this.counts[b]!;
    this.keys[b * this.B + c] = key;
    this.sizes[b * this.B + c] = size;
    this.counts[b] = c + 1;
    this.maxKeys[this.nBlocks - 1] = key;
    this.count++;
  }

  /** Remove the best level; only when count > 0. */
  removeBest(): void {
    const pos = this.nBlocks - 1;
    const b = this.order[pos]!;
    const c = this.counts[b]! - 1;
    this.counts[b] = c;
    this.count--;
    if (c === 0) this.dropBlockAt(pos);
    else this.maxKeys[pos] = this.keys[b * this.B + c - 1]!;
  }

  /** Keep only the best `depth` levels. */
  truncate(depth: number): void {
    if (this.count <= depth) return;
    const target = Math.max(0, depth);
    let drop = this.count - target;
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
    this.count = target;
  }

  clear(): void {
    for (let p = 0; p < this.nBlocks; p++) {
      const b = this.order[p]!;
      this.counts[b] = 0;
      this.freeIds.push(b);
    }
    this.nBlocks = 0;
    this.count = 0;
  }

  /** Sum of sizes over the best `levels` levels. */
  depth(levels: number): number {
    let total = 0;
    let left = Math.min(levels, this.count);
    for (let pos = this.nBlocks - 1; pos >= 0 && left > 0; pos--) {
      const b = this.order[pos]!;
      const base = b * this.B;
      for (let i = this.counts[b]! - 1; i >= 0 && left > 0; i--, left--) total += this.sizes[base + i]!;
    }
    return total;
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
    this.count++;
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
    this.count--;
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
