/**
 * ccxt's websocket OrderBook as ccxt.pro.binance / binanceusdm build it: the exchange's own
 * `orderBook()` factory, reset from the REST snapshot parsed to floats (fetchOrderBookSnapshot).
 * Depth is left unlimited so ccxt keeps the same levels as everyone else (its default
 * watchOrderBookLimit of 1000 would truncate the book and make its inserts cheaper).
 */
import ccxt from 'ccxt';
import type { HftbacktestCapture } from '../load-hftbacktest.ts';
import type { FloatBook } from './book-bench.ts';

type Row = [number, number];

/** The parts of ccxt's OrderBook / OrderBookSide this benchmark touches. */
export interface CcxtSide extends Array<Row> {
  store(price: number, size: number): void;
}
export interface CcxtBook {
  bids: CcxtSide;
  asks: CcxtSide;
  nonce: number | undefined;
  timestamp: number | undefined;
  limit(): CcxtBook;
  reset(snapshot: object): CcxtBook;
}

export type CcxtExchange = InstanceType<typeof ccxt.pro.binance>;

export function ccxtExchange(capture: HftbacktestCapture): CcxtExchange {
  return capture.market === 'usdm' ? new ccxt.pro.binanceusdm() : new ccxt.pro.binance();
}

export function seededCcxtBook(exchange: CcxtExchange, capture: HftbacktestCapture): CcxtBook {
  const book = exchange.orderBook({}) as unknown as CcxtBook;
  const toFloats = (levels: ReadonlyArray<readonly [string, string]>): Row[] =>
    levels.map(([p, s]) => [Number.parseFloat(p), Number.parseFloat(s)]);
  const T = (JSON.parse(capture.snapshot.json) as { T?: number }).T;
  book.reset({
    bids: toFloats(capture.snapshot.bids),
    asks: toFloats(capture.snapshot.asks),
    nonce: capture.snapshot.lastUpdateId,
    timestamp: T,
    symbol: 'BTC/USDT',
  });
  return book;
}

export function ccxtFloatBook(book: CcxtBook): FloatBook {
  return {
    bids: book.bids.map(([p, s]) => [p, s] as const),
    asks: book.asks.map(([p, s]) => [p, s] as const),
  };
}
