/** Which venue a capture belongs to, from its URLs or file name. */
import type { ExchangeId } from '../market/exchange.ts';

const BY_HOST: ReadonlyArray<readonly [RegExp, ExchangeId]> = [
  [/fstream\.binance|fapi\.binance|binance_futures|usdm|"pu":\d/i, 'binance-futures'],
  [/binance|"e":"depthUpdate"/i, 'binance'],
  [/coinbase/i, 'coinbase'],
  [/kraken/i, 'kraken'],
  [/bybit|ob500|orderbook\.\d+\./i, 'bybit'],
  [/kucoin/i, 'kucoin'],
];

/** First match wins; `hint` is a URL, a file name or a message body. */
export function venueOfCapture(hint: string): ExchangeId | undefined {
  for (const [pattern, exchange] of BY_HOST) if (pattern.test(hint)) return exchange;
  return undefined;
}
