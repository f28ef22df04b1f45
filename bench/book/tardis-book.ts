/** tardis-dev's OrderBook as its Binance mapper feeds it: Number() prices and amounts. */
import { type BookChange, type BookPriceLevel, OrderBook } from 'tardis-dev';
import type { HftbacktestCapture } from '../load-hftbacktest.ts';
import type { FloatBook } from './book-bench.ts';

export type TardisExchange = 'binance' | 'binance-futures';

export function tardisExchange(capture: HftbacktestCapture): TardisExchange {
  return capture.market === 'usdm' ? 'binance-futures' : 'binance';
}

/** BinanceBookChangeMapper.mapBookLevel, verbatim. */
export function mapBookLevel(level: readonly [string, string]): BookPriceLevel {
  const price = Number(level[0]);
  const amount = Number(level[1]);
  return { price, amount };
}

/** A fresh tardis OrderBook holding the capture's snapshot (as the mapper's snapshot book_change). */
export function seededTardisBook(capture: HftbacktestCapture): OrderBook {
  const book = new OrderBook();
  const now = new Date(capture.snapshot.localTs / 1000);
  const change: BookChange = {
    type: 'book_change',
    symbol: capture.symbol,
    exchange: tardisExchange(capture),
    isSnapshot: true,
    bids: capture.snapshot.bids.map(mapBookLevel),
    asks: capture.snapshot.asks.map(mapBookLevel),
    timestamp: now,
    localTimestamp: now,
  };
  book.update(change);
  return book;
}

export function tardisFloatBook(book: OrderBook): FloatBook {
  return {
    bids: Array.from(book.bids(), (l) => [l.price, l.amount] as const),
    asks: Array.from(book.asks(), (l) => [l.price, l.amount] as const),
  };
}
