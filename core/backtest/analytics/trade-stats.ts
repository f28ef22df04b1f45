/**
 * Statistics of closed round trips (net of fees). A trade with pnl exactly 0 is not a win.
 * Profit factor = gross profit / gross loss: Infinity when there is profit and no loss (serializers
 * turn it into null + a flag), 0 when there is neither.
 */
import type { RoundTrip } from '../result.ts';

export interface TradeStats {
  readonly numRoundTrips: number;
  readonly realizedPnl: number;
  readonly winRate: number;
  readonly profitFactor: number;
  readonly avgTradePnl: number;
  readonly avgTradeDurationUs: number;
}

export function tradeStats(trips: readonly RoundTrip[]): TradeStats {
  const n = trips.length;
  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let totalDuration = 0;
  for (const t of trips) {
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else grossLoss -= t.pnl;
    totalDuration += t.exitTs - t.entryTs;
  }
  let profitFactor = 0;
  if (grossLoss > 0) profitFactor = grossProfit / grossLoss;
  else if (grossProfit > 0) profitFactor = Number.POSITIVE_INFINITY;
  return {
    numRoundTrips: n,
    realizedPnl: grossProfit - grossLoss,
    winRate: n > 0 ? wins / n : 0,
    profitFactor,
    avgTradePnl: n > 0 ? (grossProfit - grossLoss) / n : 0,
    avgTradeDurationUs: n > 0 ? totalDuration / n : 0,
  };
}
