/**
 * Crossed book: best bid ≥ best ask. A venue's matching engine never rests crossed orders, so a
 * crossed local book means we missed or misapplied an update. Prices are integer units; NaN (an
 * empty side) compares false, so a one-sided book is not crossed.
 */
export function isCrossedBook(bestBid: number, bestAsk: number): boolean {
  return bestBid >= bestAsk;
}
