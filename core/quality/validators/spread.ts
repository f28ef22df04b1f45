/**
 * Spread over a maximum, in basis points of mid. Prices are integer units of one scale, which cancels
 * in the ratio. A crossed book has a negative spread: that is crossed-book's business, not this one.
 */

/** (ask − bid) / mid in basis points; NaN when a side is empty. Allocation-free. */
export function spreadBps(bestBid: number, bestAsk: number): number {
  return ((bestAsk - bestBid) * 20_000) / (bestAsk + bestBid);
}

/** True when the spread exceeds `maxBps` (never for an empty side, a crossed book or an Infinity limit). */
export function isSpreadTooWide(bestBid: number, bestAsk: number, maxBps: number): boolean {
  // Multiplied out (no division): (ask − bid) / ((ask + bid) / 2) × 10⁴ > max.
  return (bestAsk - bestBid) * 20_000 > maxBps * (bestAsk + bestBid);
}
