/**
 * The trades a simulated venue has printed, per symbol, kept for its public history endpoints
 * (aggregate trades, recent trades, klines). Bounded: past `maxPerSymbol` the oldest go, as a real
 * venue's REST history also starts somewhere. Prices and sizes stay integer units with the truth book
 * that formats them.
 */
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';

export interface SymbolTrades {
  readonly truth: TruthBook;
  readonly trades: TruthTrade[];
}

export class TradeHistory {
  private readonly bySymbol = new Map<string, SymbolTrades>();

  constructor(private readonly maxPerSymbol = 200_000) {}

  onTrade(truth: TruthBook, trade: TruthTrade): void {
    let s = this.bySymbol.get(truth.venueSymbol);
    if (!s) {
      s = { truth, trades: [] };
      this.bySymbol.set(truth.venueSymbol, s);
    }
    s.trades.push(trade);
    if (s.trades.length > this.maxPerSymbol) s.trades.splice(0, s.trades.length - this.maxPerSymbol);
  }

  of(venueSymbol: string): SymbolTrades | undefined {
    return this.bySymbol.get(venueSymbol);
  }
}

/** Index of the first trade with ts ≥ `ts` (trades are in time order). */
export function firstAtOrAfter(trades: readonly TruthTrade[], ts: number): number {
  let lo = 0;
  let hi = trades.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (trades[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first trade with id ≥ `id` (ids increase). */
export function firstIdAtOrAfter(trades: readonly TruthTrade[], id: number): number {
  let lo = 0;
  let hi = trades.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (trades[mid]!.tradeId < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
