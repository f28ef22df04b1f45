/**
 * Read-only views of a book for strategies. Structural subsets of core/book's L2Book and BookSide,
 * so a backtest hands its local book and a live runner its SymbolBook's book with no wrapper.
 */
export interface BookSideView {
  readonly count: number;
  /** Best price units, NaN when empty. */
  bestPrice(): number;
  bestSize(): number;
  /** i-th level from the touch (0 = best). */
  priceAt(i: number): number;
  sizeAt(i: number): number;
  sizeAtPrice(price: number): number;
  /** Total size of the best `levels` levels. */
  depth(levels: number): number;
}

export interface BookView {
  readonly bids: BookSideView;
  readonly asks: BookSideView;
  bestBid(): number;
  bestAsk(): number;
  /** (best bid + best ask) / 2 in price units (may be a half unit); NaN when a side is empty. */
  mid(): number;
  microprice(): number;
}
