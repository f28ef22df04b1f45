/**
 * Where a backfill resumes: the last row already on disk for its exchange, symbol and dataset — read
 * from the recording itself, not from a progress file, so rows written just before an interruption
 * are never fetched and stored twice.
 */
import { join } from 'node:path';
import { pathSafeSymbol } from '../../core/recording/partition-path.ts';
import { openDuckDb, parquetFiles, readParquetSql, sqlString, toNumber } from '../storage/duckdb.ts';

export interface LastStored {
  /** µs: the last trade's exchange time, or the last candle's close time. */
  readonly ts: number;
  /** The last trade id, when ids are integers (Binance). */
  readonly id?: number;
}

async function one(
  files: string[],
  sql: (source: string) => string,
): Promise<Record<string, unknown> | undefined> {
  if (files.length === 0) return undefined;
  const db = await openDuckDb();
  try {
    const rows = (await db.connection.runAndReadAll(sql(readParquetSql(files)))).getRowObjectsJson();
    return rows[0] as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

export async function lastStoredTrade(
  root: string,
  exchange: string,
  symbol: string,
): Promise<LastStored | undefined> {
  const files = parquetFiles(join(root, 'trade', `exchange=${exchange}`, `symbol=${pathSafeSymbol(symbol)}`));
  const r = await one(
    files,
    (src) => `SELECT max(exchange_ts) AS ts, max(TRY_CAST(trade_id AS BIGINT)) AS id FROM ${src}`,
  );
  if (!r || r.ts === null || r.ts === undefined) return undefined;
  return { ts: toNumber(r.ts), ...(r.id !== null && r.id !== undefined ? { id: toNumber(r.id) } : {}) };
}

export async function lastStoredKline(
  root: string,
  exchange: string,
  url: string,
): Promise<LastStored | undefined> {
  const files = parquetFiles(join(root, 'raw', `exchange=${exchange}`));
  const r = await one(
    files,
    (src) => `SELECT max(local_ts) AS ts FROM ${src} WHERE type = 'rest' AND url = ${sqlString(url)}`,
  );
  if (!r || r.ts === null || r.ts === undefined) return undefined;
  return { ts: toNumber(r.ts) };
}
