/**
 * The book interface the simulator and the engine's strategy view use: core/strategy's BookView
 * plus writes and a walk from the touch. Implemented by core/book's L2Book, the one L2 book of
 * both live trading and simulation.
 */
import type { BookSideView, BookView } from '../../strategy/book-view.ts';

export interface SimBookSide extends BookSideView {
  readonly isBid: boolean;
  set(price: number, size: number): void;
  clear(): void;
  /** Price of the next non-empty level worse than `price` (NaN: none). */
  nextWorse(price: number): number;
}

export interface SimBook extends BookView {
  readonly bids: SimBookSide;
  readonly asks: SimBookSide;
  set(isBid: boolean, price: number, size: number): void;
  clear(): void;
}
