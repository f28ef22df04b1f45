/**
 * Bybit `tickers.{symbol}` deltas carry only the fields that changed, so a complete ticker is the
 * last snapshot with every later delta laid over it. One merged record per symbol.
 */
import type { TickerFields, TickerMessage } from './wire.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const FIELDS = [
  'lastPrice',
  'markPrice',
  'indexPrice',
  'fundingRate',
  'nextFundingTime',
  'openInterest',
] as const;

export class TickerState {
  private readonly bySymbol = new Map<string, Mutable<TickerFields>>();

  /** Merge a ticker message and return the symbol's complete fields (live object: read, don't keep). */
  apply(msg: TickerMessage): Readonly<TickerFields> {
    const d = msg.data;
    let t = this.bySymbol.get(d.symbol);
    if (!t || msg.type === 'snapshot') {
      t = { symbol: d.symbol };
      this.bySymbol.set(d.symbol, t);
    }
    for (const f of FIELDS) {
      const v = d[f];
      // Bybit sends "" for fields that do not apply (e.g. funding on a dated future): keep it absent.
      if (v !== undefined) t[f] = v === '' ? undefined : v;
    }
    return t;
  }

  clear(): void {
    this.bySymbol.clear();
  }
}
