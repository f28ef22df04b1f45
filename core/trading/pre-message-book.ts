/**
 * The live book as it was before the message just written into it, for what the paper venue does
 * "between the messages" (requests arriving, reports delivered, the strategy's reactions to them).
 *
 * Writing the message back out of the book and in again costs two book writes per level change
 * (hundreds on a busy diff), while what runs in between mostly reads the touch: the best prices
 * and sizes, the mid, the size at one price. Those are answered from the live book and the
 * message's changes (each knows the size it replaced): the size at a price is the replaced size of
 * the first change there, else the live one; the best price is the better of the best level the
 * message did not touch and the best changed level that held size before. Any other read (rank
 * walks, depth, counts, a taker's walk, a write) takes the message out of the book for real first
 * (`undo`), and `end` puts it back, so every answer is the book's exact state before the message.
 */
import type { LevelChanges } from '../book/level-changes.ts';
import type { SimBook, SimBookSide } from '../sim/book/sim-book.ts';

/** A walk past more touched levels than this from the live best takes the message out instead. */
const MAX_TOUCHED_WALK = 16;

class PreMessageSide implements SimBookSide {
  private best = Number.NaN;
  private bestKnown = false;

  constructor(
    private readonly owner: PreMessageBook,
    readonly isBid: boolean,
  ) {}

  private get live(): SimBookSide {
    return this.isBid ? this.owner.live.bids : this.owner.live.asks;
  }

  reset(): void {
    this.bestKnown = false;
  }

  get count(): number {
    this.owner.undo();
    return this.live.count;
  }

  bestPrice(): number {
    if (this.owner.undone) return this.live.bestPrice();
    if (!this.bestKnown) {
      this.best = this.computeBest();
      this.bestKnown = !this.owner.undone;
      if (this.owner.undone) return this.live.bestPrice();
    }
    return this.best;
  }

  bestSize(): number {
    const p = this.bestPrice();
    return Number.isNaN(p) ? 0 : this.sizeAtPrice(p);
  }

  sizeAtPrice(price: number): number {
    if (this.owner.undone) return this.live.sizeAtPrice(price);
    const c = this.owner.changes;
    for (let i = 0; i < c.count; i++)
      if (c.priceAt(i) === price && c.sideAt(i) === this.isBid) return c.previousAt(i);
    return this.live.sizeAtPrice(price);
  }

  priceAt(i: number): number {
    this.owner.undo();
    return this.live.priceAt(i);
  }

  sizeAt(i: number): number {
    this.owner.undo();
    return this.live.sizeAt(i);
  }

  depth(levels: number): number {
    this.owner.undo();
    return this.live.depth(levels);
  }

  nextWorse(price: number): number {
    this.owner.undo();
    return this.live.nextWorse(price);
  }

  set(price: number, size: number): void {
    this.owner.undo();
    this.live.set(price, size);
  }

  clear(): void {
    this.owner.undo();
    this.live.clear();
  }

  private better(a: number, b: number): boolean {
    return this.isBid ? a > b : a < b;
  }

  private touched(price: number): boolean {
    const c = this.owner.changes;
    for (let i = 0; i < c.count; i++) if (c.priceAt(i) === price && c.sideAt(i) === this.isBid) return true;
    return false;
  }

  /** The best level before the message; NaN when the side was empty. May take the message out. */
  private computeBest(): number {
    const c = this.owner.changes;
    let changed = Number.NaN;
    for (let i = 0; i < c.count; i++) {
      if (c.sideAt(i) !== this.isBid || !(c.previousAt(i) > 0)) continue;
      const p = c.priceAt(i);
      if (Number.isNaN(changed) || this.better(p, changed)) changed = p;
    }
    // A level added and then resized within the message held nothing before it: rare, done for real.
    if (!Number.isNaN(changed) && !(this.sizeAtPrice(changed) > 0)) {
      this.owner.undo();
      return Number.NaN;
    }
    const live = this.live;
    let p = live.bestPrice();
    for (let steps = 0; !Number.isNaN(p) && this.touched(p); steps++) {
      if (steps === MAX_TOUCHED_WALK) {
        this.owner.undo();
        return Number.NaN;
      }
      p = live.nextWorse(p);
    }
    if (Number.isNaN(changed)) return p;
    return Number.isNaN(p) || this.better(changed, p) ? changed : p;
  }
}

export class PreMessageBook implements SimBook {
  readonly bids: PreMessageSide;
  readonly asks: PreMessageSide;
  live: SimBook;
  changes: LevelChanges;
  /** The message has been taken out of the live book (until `end`). */
  undone = false;

  constructor(live: SimBook, changes: LevelChanges) {
    this.live = live;
    this.changes = changes;
    this.bids = new PreMessageSide(this, true);
    this.asks = new PreMessageSide(this, false);
  }

  /** Stand for `live` before `changes` (already written, every previous size known). */
  begin(live: SimBook, changes: LevelChanges): void {
    this.live = live;
    this.changes = changes;
    this.undone = false;
    this.bids.reset();
    this.asks.reset();
  }

  /** The live book holds the message again. */
  end(): void {
    if (!this.undone) return;
    const { live, changes } = this;
    for (let i = 0; i < changes.count; i++)
      (changes.sideAt(i) ? live.bids : live.asks).set(changes.priceAt(i), changes.sizeAt(i));
    this.undone = false;
  }

  /** Take the message out of the live book, last change first (a no-op once done). */
  undo(): void {
    if (this.undone) return;
    this.undone = true;
    const { live, changes } = this;
    for (let i = changes.count - 1; i >= 0; i--)
      (changes.sideAt(i) ? live.bids : live.asks).set(changes.priceAt(i), changes.previousAt(i));
  }

  set(isBid: boolean, price: number, size: number): void {
    (isBid ? this.bids : this.asks).set(price, size);
  }

  clear(): void {
    this.undo();
    this.live.clear();
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
    const bidSize = this.bids.bestSize();
    const askSize = this.asks.bestSize();
    const total = bidSize + askSize;
    if (total === 0) return Number.NaN;
    return (this.bids.bestPrice() * askSize + this.asks.bestPrice() * bidSize) / total;
  }
}
