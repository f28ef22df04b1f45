/**
 * The time-series store port: top-of-book and quality metrics by (exchange, symbol) over time, for
 * dashboards and alarms. Locally a DuckDB file (local/storage/duckdb-time-series-store.ts); in the
 * cloud Timestream behind the same interface (dimensions exchange and symbol, one multi-measure
 * record per point, time unit MICROSECONDS, prices as VARCHAR measures so they stay exact).
 */
import type { Micros } from '../market/events.ts';
import { formatDecimalTrimmed } from '../num/format-decimal.ts';
import type { SymbolBook } from '../venues/symbol-book.ts';

export interface TopOfBookPoint {
  readonly exchange: string;
  /** Unified symbol (BTC/USDT). */
  readonly symbol: string;
  readonly ts: Micros;
  /** Exact decimal strings; null when that side is empty. */
  readonly bidPrice: string | null;
  readonly bidSize: string | null;
  readonly askPrice: string | null;
  readonly askSize: string | null;
}

export interface QualityPoint {
  readonly exchange: string;
  readonly symbol: string;
  readonly ts: Micros;
  /** 0–100. */
  readonly score: number;
  readonly issues: readonly string[];
}

/** [from, to) in µs, optionally narrowed to one exchange and/or symbol. */
export interface TimeRange {
  readonly from: Micros;
  readonly to: Micros;
  readonly exchange?: string;
  readonly symbol?: string;
}

export interface TimeSeriesStore {
  writeTopOfBook(points: readonly TopOfBookPoint[]): Promise<void>;
  writeQuality(points: readonly QualityPoint[]): Promise<void>;
  /** Points in the range, by time (ties by exchange, symbol). */
  queryTopOfBook(range: TimeRange): Promise<TopOfBookPoint[]>;
  queryQuality(range: TimeRange): Promise<QualityPoint[]>;
  close(): Promise<void>;
}

/** A book's top of book now, as a point timed by its last receive time (or `ts`). */
export function topOfBookPoint(book: SymbolBook, ts: Micros = book.localTs): TopOfBookPoint {
  const i = book.instrument;
  const { bids, asks } = book.book;
  const text = (units: number, scale: number) => formatDecimalTrimmed(units, scale);
  return {
    exchange: i.exchange,
    symbol: i.symbol,
    ts,
    bidPrice: bids.count > 0 ? text(bids.bestPrice(), i.priceScale) : null,
    bidSize: bids.count > 0 ? text(bids.bestSize(), i.sizeScale) : null,
    askPrice: asks.count > 0 ? text(asks.bestPrice(), i.priceScale) : null,
    askSize: asks.count > 0 ? text(asks.bestSize(), i.sizeScale) : null,
  };
}
