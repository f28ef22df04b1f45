/**
 * Price-level (L2) order book with exact integer prices and sizes. Synchronous, no I/O, no
 * allocation on updates. Whether the book can be trusted is the venue sequencer's business
 * (see core/venues); this class only keeps levels.
 */
import { BookSide, LevelUpdate, type WindowOptions } from './book-side.ts';

export type { WindowOptions };
export { LevelUpdate };

export class L2Book {
  readonly bids: BookSide;
  readonly asks: BookSide;

  /**
   * `blockSize`: levels per storage block, `window`: price-indexed window sizing (see BookSide).
   * Tests use tiny blocks and windows to stress splits, merges and window moves.
   */
  constructor(blockSize?: number, window?: WindowOptions) {
    this.bids = new BookSide(true, blockSize, window);
    this.asks = new BookSide(false, blockSize, window);
  }

  /** Set a level (isBid picks the side) to an absolute size; 0 removes. */
  set(isBid: boolean, price: number, size: number): LevelUpdate {
    return (isBid ? this.bids : this.asks).set(price, size);
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

  /** Mid price in price units (may be a half unit), NaN when a side is empty. */
  mid(): number {
    return (this.bids.bestPrice() + this.asks.bestPrice()) / 2;
  }

  spread(): number {
    return this.asks.bestPrice() - this.bids.bestPrice();
  }

  /** Size-weighted mid: leans towards the side with less size (the price more likely to move next). */
  microprice(): number {
    const bidSize = this.bids.bestSize();
    const askSize = this.asks.bestSize();
    const total = bidSize + askSize;
    if (total === 0) return Number.NaN;
    return (this.bids.bestPrice() * askSize + this.asks.bestPrice() * bidSize) / total;
  }

  /** True when best bid ≥ best ask: impossible on a healthy venue book, so a sign of a missed update. */
  isCrossed(): boolean {
    return this.bids.count > 0 && this.asks.count > 0 && this.bids.bestPrice() >= this.asks.bestPrice();
  }

  /** Keep the best `depth` levels per side; returns how many levels were dropped. */
  truncate(depth: number): number {
    return this.bids.truncate(depth) + this.asks.truncate(depth);
  }

  /** Best `levels` per side, best first. Allocates. */
  snapshot(levels = Number.POSITIVE_INFINITY): {
    bids: Array<[number, number]>;
    asks: Array<[number, number]>;
  } {
    const n = Number.isFinite(levels) ? levels : Math.max(this.bids.count, this.asks.count);
    return { bids: this.bids.top(n), asks: this.asks.top(n) };
  }
}
