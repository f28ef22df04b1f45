/**
 * What the historical-data parsers produce: vendor rows as the platform's records, prices and sizes
 * still as the file's exact decimal strings (the writer turns them into integer units at the
 * instrument's scale, so no float ever touches them), times in µs.
 */
import type { Micros } from '../market/events.ts';
import type { RejectReason } from '../venues/feed-types.ts';

export interface LevelChange {
  readonly bid: boolean;
  readonly price: string;
  /** Absolute size; "0" removes the level. */
  readonly size: string;
}

/** A book change: `snapshot` replaces the whole book with `changes`, otherwise they apply on top. */
export interface BookRecord {
  readonly type: 'book';
  readonly localTs: Micros;
  readonly exchangeTs: Micros;
  readonly snapshot: boolean;
  readonly changes: readonly LevelChange[];
}

export interface TradeRecord {
  readonly type: 'trade';
  readonly localTs: Micros;
  readonly exchangeTs: Micros;
  readonly id: string;
  readonly side: 'buy' | 'sell' | 'unknown';
  readonly price: string;
  readonly size: string;
}

/** One candle, as the venue's REST kline row (open time first), kept as its decimal strings. */
export interface KlineRecord {
  readonly type: 'kline';
  readonly localTs: Micros;
  readonly openTime: Micros;
  readonly closeTime: Micros;
  /** open, high, low, close, volume, quote volume, trades, taker buy volume, taker buy quote volume. */
  readonly values: readonly string[];
}

/** Funding, open interest, mark and index price: parsed and counted; the recording has no table for it. */
export interface TickerRecord {
  readonly type: 'ticker';
  readonly localTs: Micros;
  readonly exchangeTs: Micros;
  readonly fields: Readonly<Record<string, string>>;
}

export type ImportRecord = BookRecord | TradeRecord | KlineRecord | TickerRecord;

export type ImportDataset =
  | 'incremental_book_L2'
  | 'book_snapshot'
  | 'trades'
  | 'quotes'
  | 'derivative_ticker'
  | 'klines'
  | 'aggTrades'
  | 'bookTicker';

/** One parsed file: what it is, its records in file order, and the rows refused (counted, with the first few). */
export interface ParsedFile {
  readonly dataset: ImportDataset;
  /** The vendor's exchange name (Tardis `exchange` column; `binance` / `binance-futures` for Binance files). */
  readonly vendorExchange: string;
  readonly venueSymbol: string;
  readonly records: ImportRecord[];
  readonly rejected: Map<RejectReason, number>;
  /** Line number and reason of the first few refused rows. */
  readonly rejectExamples: string[];
  /** The unit of the file's timestamps, where it was detected. */
  readonly timestampUnit?: 'ms' | 'us';
}

const MAX_EXAMPLES = 5;

export function reject(file: ParsedFile, reason: RejectReason, line: number, what: string): void {
  file.rejected.set(reason, (file.rejected.get(reason) ?? 0) + 1);
  if (file.rejectExamples.length < MAX_EXAMPLES)
    file.rejectExamples.push(`line ${line}: ${reason} (${what})`);
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A plain non-negative decimal string (what vendor CSVs write); rejects exponents, signs, blanks. */
export function isPlainDecimal(text: string): boolean {
  return DECIMAL.test(text) && text[0] !== '-';
}

/** A CSV field that must be an integer (timestamps, ids); NaN otherwise. */
export function integerField(text: string | undefined): number {
  if (text === undefined || !/^\d{1,16}$/.test(text)) return Number.NaN;
  return Number(text);
}
