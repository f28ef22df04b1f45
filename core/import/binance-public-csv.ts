/**
 * Binance public data files (data.binance.vision; github.com/binance/binance-public-data): one CSV per
 * symbol and day or month, inside a zip. Names tell the dataset:
 *
 *   BTCUSDT-1m-2024-08-08.csv           klines: open_time,open,high,low,close,volume,close_time,
 *                                       quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore
 *   BTCUSDT-aggTrades-2024-08-08.csv    agg_trade_id,price,quantity,first_trade_id,last_trade_id,
 *                                       transact_time,is_buyer_maker[,is_best_match]
 *   BTCUSDT-trades-2024-08-08.csv       id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]
 *   BTCUSDT-bookTicker-2024-08-08.csv   update_id,best_bid_price,best_bid_qty,best_ask_price,
 *                                       best_ask_qty,transaction_time,event_time (USD-M only)
 *
 * USD-M files carry a header line, older ones and spot files none: a first line whose first field
 * is not a number is a header. Spot files from 2025-01-01 on carry microseconds, earlier files (and
 * USD-M) milliseconds: the unit is detected once per file from its first timestamp
 * (timestamp-unit.ts) and every row must agree. The files have no receive time: the exchange's time
 * is used for both. `is_buyer_maker` true means the taker sold.
 */
import {
  type ImportDataset,
  integerField,
  isPlainDecimal,
  type ParsedFile,
  reject,
} from './import-record.ts';
import { type TimestampUnit, toMicros, unitOfMagnitude } from './timestamp-unit.ts';

const NAME = /^([A-Z0-9]+)-(aggTrades|trades|bookTicker|\d+[smhdwM])-(\d{4}-\d{2}(?:-\d{2})?)\.csv$/;

export interface BinanceFileName {
  readonly venueSymbol: string;
  readonly dataset: ImportDataset;
  /** The kline interval (1m, 1h…) for klines. */
  readonly interval?: string;
  /** YYYY-MM or YYYY-MM-DD. */
  readonly period: string;
}

/** The dataset a Binance public data file name says (the .zip's name or the CSV inside). */
export function binanceFileName(name: string): BinanceFileName | undefined {
  const base = name.replace(/^.*[\\/]/, '').replace(/\.zip$/, '.csv');
  const m = NAME.exec(base);
  if (!m) return undefined;
  const kind = m[2]!;
  const dataset: ImportDataset =
    kind === 'aggTrades' || kind === 'bookTicker' ? kind : kind === 'trades' ? 'trades' : 'klines';
  return {
    venueSymbol: m[1]!,
    dataset,
    ...(dataset === 'klines' ? { interval: kind } : {}),
    period: m[3]!,
  };
}

/** Where the timestamp sits in a row of each dataset (first one decides the file's unit). */
const TIME_COLUMN: Partial<Record<ImportDataset, number>> = {
  klines: 0,
  aggTrades: 5,
  trades: 4,
  bookTicker: 5,
};

export function parseBinancePublicCsv(
  text: string,
  name: BinanceFileName,
  market: 'binance' | 'binance-futures',
): ParsedFile {
  const file: ParsedFile = {
    dataset: name.dataset,
    vendorExchange: market,
    venueSymbol: name.venueSymbol,
    records: [],
    rejected: new Map(),
    rejectExamples: [],
  };
  const timeAt = TIME_COLUMN[name.dataset]!;
  let unit: TimestampUnit | undefined;
  let n = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    n++;
    if (line === '') continue;
    const f = line.split(',');
    if (n === 1 && !/^\d/.test(f[0] ?? '')) continue; // the header line
    const rawTime = integerField(f[timeAt]);
    if (unit === undefined) {
      unit = unitOfMagnitude(rawTime);
      if (unit === undefined) {
        reject(file, 'bad_number_form', n, 'timestamp');
        continue;
      }
      (file as { timestampUnit?: TimestampUnit }).timestampUnit = unit;
    }
    const ts = toMicros(rawTime, unit);
    if (Number.isNaN(ts)) {
      reject(file, 'bad_number_form', n, `timestamp not in the file's unit (${unit})`);
      continue;
    }
    switch (name.dataset) {
      case 'klines': {
        const close = toMicros(integerField(f[6]), unit);
        const values = [f[1], f[2], f[3], f[4], f[5], f[7], f[8], f[9], f[10]];
        if (
          f.length < 11 ||
          Number.isNaN(close) ||
          !values.every((v) => v !== undefined && isPlainDecimal(v))
        ) {
          reject(file, 'malformed', n, 'kline fields');
          continue;
        }
        file.records.push({
          type: 'kline',
          localTs: close,
          openTime: ts,
          closeTime: close,
          values: values as string[],
        });
        break;
      }
      case 'aggTrades':
      case 'trades': {
        const agg = name.dataset === 'aggTrades';
        const price = f[1] ?? '';
        const size = f[2] ?? '';
        const maker = f[agg ? 6 : 5]?.toLowerCase();
        if (!/^\d+$/.test(f[0] ?? '') || (maker !== 'true' && maker !== 'false')) {
          reject(file, 'malformed', n, 'id or is_buyer_maker');
          continue;
        }
        if (!isPlainDecimal(price) || !isPlainDecimal(size)) {
          reject(file, size.startsWith('-') ? 'negative_size' : 'bad_decimal', n, 'price or quantity');
          continue;
        }
        if (/^0(\.0*)?$/.test(size)) {
          reject(file, 'zero_size', n, 'quantity');
          continue;
        }
        file.records.push({
          type: 'trade',
          localTs: ts,
          exchangeTs: ts,
          id: f[0]!,
          side: maker === 'true' ? 'sell' : 'buy',
          price,
          size,
        });
        break;
      }
      case 'bookTicker': {
        const [bidPrice, bidSize, askPrice, askSize] = [f[1] ?? '', f[2] ?? '', f[3] ?? '', f[4] ?? ''];
        if (![bidPrice, bidSize, askPrice, askSize].every(isPlainDecimal)) {
          reject(file, 'bad_decimal', n, 'a best price or quantity');
          continue;
        }
        const eventTs = toMicros(integerField(f[6]), unit);
        file.records.push({
          type: 'book',
          localTs: Number.isNaN(eventTs) ? ts : eventTs,
          exchangeTs: ts,
          snapshot: true,
          changes: [
            { bid: true, price: bidPrice, size: bidSize },
            { bid: false, price: askPrice, size: askSize },
          ],
        });
        break;
      }
      default:
        break;
    }
  }
  return file;
}
