/**
 * Candles from a venue's trades, in integer units: open, high, low, close, base volume, quote volume
 * (price × size, exact in BigInt at the sum of the two scales), trade count and the taker-buy share.
 * Only intervals that saw a trade get a candle, as on Binance and Bybit for quiet symbols.
 */
import { formatDecimalTrimmed } from '../../../core/num/index.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import { firstAtOrAfter } from './trade-history.ts';

export interface Candle {
  /** µs. */
  readonly openTime: number;
  readonly closeTime: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly trades: number;
  readonly takerBuyVolume: string;
  readonly takerBuyQuoteVolume: string;
}

function quote(units: bigint, truth: TruthBook): string {
  const scale = truth.instrument.priceScale + truth.instrument.sizeScale;
  const text = units.toString().padStart(scale + 1, '0');
  if (scale === 0) return text;
  const out = `${text.slice(0, -scale)}.${text.slice(-scale)}`.replace(/\.?0+$/, '');
  return out === '' ? '0' : out;
}

/** Candles of `intervalUs` with openTime in [fromUs, toUs], oldest first, at most `limit`. */
export function candles(
  truth: TruthBook,
  trades: readonly TruthTrade[],
  intervalUs: number,
  fromUs: number,
  toUs: number,
  limit: number,
): Candle[] {
  const out: Candle[] = [];
  // A candle is listed when its open time is within the range.
  let i = firstAtOrAfter(trades, Math.ceil(fromUs / intervalUs) * intervalUs);
  const ss = truth.instrument.sizeScale;
  const ps = truth.instrument.priceScale;
  while (i < trades.length && out.length < limit) {
    const t0 = trades[i]!;
    const openTime = Math.floor(t0.ts / intervalUs) * intervalUs;
    if (openTime > toUs) break;
    const end = openTime + intervalUs;
    let high = t0.price;
    let low = t0.price;
    let close = t0.price;
    let volume = 0;
    let buyVolume = 0;
    let quoteUnits = 0n;
    let buyQuoteUnits = 0n;
    let n = 0;
    for (; i < trades.length && trades[i]!.ts < end; i++) {
      const t = trades[i]!;
      high = Math.max(high, t.price);
      low = Math.min(low, t.price);
      close = t.price;
      volume += t.size;
      const q = BigInt(t.price) * BigInt(t.size);
      quoteUnits += q;
      if (t.side === 'buy') {
        buyVolume += t.size;
        buyQuoteUnits += q;
      }
      n++;
    }
    out.push({
      openTime,
      closeTime: end - 1000,
      open: formatDecimalTrimmed(t0.price, ps),
      high: formatDecimalTrimmed(high, ps),
      low: formatDecimalTrimmed(low, ps),
      close: formatDecimalTrimmed(close, ps),
      volume: formatDecimalTrimmed(volume, ss),
      quoteVolume: quote(quoteUnits, truth),
      trades: n,
      takerBuyVolume: formatDecimalTrimmed(buyVolume, ss),
      takerBuyQuoteVolume: quote(buyQuoteUnits, truth),
    });
  }
  return out;
}
