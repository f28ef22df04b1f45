/**
 * A recording's book and trade tables (`book/`, `trade/` below the recording root) read into a
 * RecordedRowsTape (core/backtest/tape/recorded-rows-tape.ts): the path for recordings without raw
 * venue frames, such as `cli import` output.
 *
 * Rows of both tables come in one receive-time order (local_ts, then rec_session, rec_seq — the order
 * the recorder accepted them). Each venue symbol gets one instrument: the configured one where its
 * scales are the stored ones, otherwise one made from the stored scales; when files of one symbol
 * were stored at different scales the finest wins and coarser rows are multiplied up (exact: the
 * units are integers).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRowsTape, RecordedTradeSide } from '../../core/backtest/tape/recorded-rows-tape.ts';
import { type ExchangeId, isExchangeId } from '../../core/market/exchange.ts';
import { type Instrument, makeInstrument } from '../../core/market/instrument.ts';
import { parseVenueSymbol } from '../../core/market/symbols.ts';
import { bookLevelColumn } from '../../core/recording/recording-tables.ts';
import { type DuckDb, openDuckDb, parquetFiles, readParquetSql } from '../storage/duckdb.ts';

export interface RecordedRowFiles {
  readonly book: readonly string[];
  readonly trade: readonly string[];
}

/** The book/ and trade/ Parquet files of a recording root (or of `dir` itself when it is one of those folders or files). */
export function recordedRowFiles(dir: string): RecordedRowFiles {
  if (dir.endsWith('.parquet'))
    return /[\\/]book[\\/]/.test(dir) ? { book: [dir], trade: [] } : { book: [], trade: [dir] };
  const tail = dir
    .replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop();
  if (tail === 'book') return { book: parquetFiles(dir), trade: [] };
  if (tail === 'trade') return { book: [], trade: parquetFiles(dir) };
  return {
    book: existsSync(join(dir, 'book')) ? parquetFiles(join(dir, 'book')) : [],
    trade: existsSync(join(dir, 'trade')) ? parquetFiles(join(dir, 'trade')) : [],
  };
}

export interface RecordedRowsRead {
  readonly bookRows: number;
  readonly tradeRows: number;
  readonly instruments: readonly Instrument[];
}

const SIDES = new Set<string>(['buy', 'sell', 'unknown']);

async function bookDepthOf(db: DuckDb, files: readonly string[]): Promise<number> {
  const rows = (
    await db.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${readParquetSql(files)}`)
  ).getRowObjectsJson() as Array<{ column_name: string }>;
  let depth = 0;
  for (const r of rows) {
    const m = /^bid_(\d+)_price_units$/.exec(r.column_name);
    if (m) depth = Math.max(depth, Number(m[1]) + 1);
  }
  return depth;
}

function instrumentFor(
  exchange: ExchangeId,
  venueSymbol: string,
  priceScale: number,
  sizeScale: number,
  configured: readonly Instrument[],
): Instrument {
  const known = configured.find((i) => i.exchange === exchange && i.venueSymbol === venueSymbol);
  if (known && known.priceScale === priceScale && known.sizeScale === sizeScale) return known;
  const parsed = parseVenueSymbol(exchange, venueSymbol);
  return makeInstrument({
    exchange,
    venueSymbol,
    symbol: known?.symbol ?? parsed?.symbol ?? venueSymbol,
    base: known?.base ?? parsed?.base ?? '',
    quote: known?.quote ?? parsed?.quote ?? '',
    kind: known?.kind ?? parsed?.kind ?? 'spot',
    priceScale,
    sizeScale,
    source: 'inferred',
  });
}

/** Feed every book and trade row below `dir` into `into`, in receive-time order. */
export async function readRecordedRows(
  files: RecordedRowFiles,
  into: RecordedRowsTape,
  configured: readonly Instrument[],
): Promise<RecordedRowsRead> {
  const db = await openDuckDb();
  try {
    const depth = files.book.length > 0 ? await bookDepthOf(db, files.book) : 0;
    const levelCols: string[] = [];
    for (let k = 0; k < depth; k++)
      for (const side of ['bid', 'ask'] as const)
        for (const what of ['price', 'size'] as const) levelCols.push(bookLevelColumn(side, k, what));
    const common =
      'exchange, venue_symbol, rec_session::DOUBLE AS s, rec_seq::DOUBLE AS q, local_ts::DOUBLE AS lt, exchange_ts::DOUBLE AS xt, price_scale AS ps, size_scale AS ss';
    const parts: string[] = [];
    if (files.book.length > 0)
      parts.push(
        `SELECT 0 AS k, ${common}, ${levelCols.map((c) => `${c}::DOUBLE AS ${c}`).join(', ')} FROM ${readParquetSql(files.book)}`,
      );
    if (files.trade.length > 0)
      parts.push(
        `SELECT 1 AS k, ${common}, side, price_units::DOUBLE AS tp, size_units::DOUBLE AS tq FROM ${readParquetSql(files.trade)}`,
      );
    if (parts.length === 0) return { bookRows: 0, tradeRows: 0, instruments: [] };
    const all = parts.join(' UNION ALL BY NAME ');

    // One instrument per venue symbol, at the finest scales its rows were stored with.
    const scaleRows = (
      await db.connection.runAndReadAll(
        `SELECT exchange, venue_symbol, max(ps)::INTEGER AS ps, max(ss)::INTEGER AS ss FROM (${all}) GROUP BY 1, 2 ORDER BY 1, 2`,
      )
    ).getRowObjectsJson() as Array<{ exchange: string; venue_symbol: string; ps: number; ss: number }>;
    const instruments = new Map<string, Instrument>();
    for (const r of scaleRows) {
      if (!isExchangeId(r.exchange)) throw new Error(`recorded rows for unknown exchange ${r.exchange}`);
      instruments.set(
        `${r.exchange}|${r.venue_symbol}`,
        instrumentFor(r.exchange, r.venue_symbol, Number(r.ps), Number(r.ss), configured),
      );
    }

    const select = [
      'k',
      'exchange',
      'venue_symbol',
      's',
      'lt',
      'xt',
      'ps',
      'ss',
      ...(files.trade.length > 0 ? ['side', 'tp', 'tq'] : []),
      ...levelCols,
    ];
    const result = await db.connection.stream(`SELECT ${select.join(', ')} FROM (${all}) ORDER BY lt, s, q`);
    const levelAt = select.length - levelCols.length;
    const bidPrice = new Float64Array(depth);
    const bidSize = new Float64Array(depth);
    const askPrice = new Float64Array(depth);
    const askSize = new Float64Array(depth);
    const levels = { bidPrice, bidSize, bidCount: 0, askPrice, askSize, askCount: 0 };
    let bookRows = 0;
    let tradeRows = 0;
    let lastKey = '';
    let instrument: Instrument | undefined;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const cols = chunk.getColumns() as unknown[][];
      const kinds = cols[0] as number[];
      const exchanges = cols[1] as string[];
      const symbols = cols[2] as string[];
      const sessions = cols[3] as number[];
      const localTs = cols[4] as number[];
      const exchTs = cols[5] as Array<number | null>;
      const ps = cols[6] as number[];
      const ss = cols[7] as number[];
      for (let i = 0; i < kinds.length; i++) {
        const key = `${exchanges[i]}|${symbols[i]}`;
        if (key !== lastKey) {
          instrument = instruments.get(key);
          lastKey = key;
        }
        if (!instrument) continue;
        const pf = 10 ** (instrument.priceScale - ps[i]!);
        const sf = 10 ** (instrument.sizeScale - ss[i]!);
        const x = exchTs[i] ?? Number.NaN;
        if (kinds[i] === 1) {
          const side = String(cols[8]![i]);
          into.trade(
            instrument,
            localTs[i]!,
            x,
            (SIDES.has(side) ? side : 'unknown') as RecordedTradeSide,
            (cols[9]![i] as number) * pf,
            (cols[10]![i] as number) * sf,
          );
          tradeRows++;
          continue;
        }
        // Levels are stored best first; the first NULL price ends a side.
        let nb = 0;
        let na = 0;
        for (let k = 0; k < depth; k++) {
          const at = levelAt + 4 * k;
          const bp = cols[at]![i] as number | null;
          if (bp !== null && nb === k) {
            bidPrice[nb] = bp * pf;
            bidSize[nb++] = (cols[at + 1]![i] as number) * sf;
          }
          const ap = cols[at + 2]![i] as number | null;
          if (ap !== null && na === k) {
            askPrice[na] = ap * pf;
            askSize[na++] = (cols[at + 3]![i] as number) * sf;
          }
        }
        levels.bidCount = nb;
        levels.askCount = na;
        into.book(instrument, sessions[i]!, localTs[i]!, x, levels);
        bookRows++;
      }
    }
    return { bookRows, tradeRows, instruments: [...instruments.values()] };
  } finally {
    db.close();
  }
}
