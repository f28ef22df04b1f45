/**
 * The local TimeSeriesStore: a DuckDB database (a file, or in memory) with one table per series,
 * queried by time range; `exportParquet` copies both series to Parquet for other tools. Prices stay
 * the exact decimal strings they were written as (VARCHAR), like the Timestream adapter's VARCHAR
 * measures.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  QualityPoint,
  TimeRange,
  TimeSeriesStore,
  TopOfBookPoint,
} from '../../core/recording/time-series-store.ts';
import { type DuckDb, openDuckDb, sqlString, toNumber } from './duckdb.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS top_of_book (
  exchange VARCHAR NOT NULL, symbol VARCHAR NOT NULL, ts BIGINT NOT NULL,
  bid_price VARCHAR, bid_size VARCHAR, ask_price VARCHAR, ask_size VARCHAR);
CREATE TABLE IF NOT EXISTS quality (
  exchange VARCHAR NOT NULL, symbol VARCHAR NOT NULL, ts BIGINT NOT NULL,
  score DOUBLE NOT NULL, issues VARCHAR NOT NULL);`;

export class DuckDbTimeSeriesStore implements TimeSeriesStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly db: DuckDb) {}

  /** `path`: a DuckDB file (created when missing) or ':memory:'. */
  static async open(path = ':memory:'): Promise<DuckDbTimeSeriesStore> {
    const db = await openDuckDb(path);
    await db.connection.run(SCHEMA);
    return new DuckDbTimeSeriesStore(db);
  }

  writeTopOfBook(points: readonly TopOfBookPoint[]): Promise<void> {
    return this.serial(async () => {
      if (points.length === 0) return;
      const a = await this.db.connection.createAppender('top_of_book');
      const text = (v: string | null) => (v === null ? a.appendNull() : a.appendVarchar(v));
      for (const p of points) {
        a.appendVarchar(p.exchange);
        a.appendVarchar(p.symbol);
        a.appendBigInt(BigInt(p.ts));
        text(p.bidPrice);
        text(p.bidSize);
        text(p.askPrice);
        text(p.askSize);
        a.endRow();
      }
      a.closeSync();
    });
  }

  writeQuality(points: readonly QualityPoint[]): Promise<void> {
    return this.serial(async () => {
      if (points.length === 0) return;
      const a = await this.db.connection.createAppender('quality');
      for (const p of points) {
        a.appendVarchar(p.exchange);
        a.appendVarchar(p.symbol);
        a.appendBigInt(BigInt(p.ts));
        a.appendDouble(p.score);
        a.appendVarchar(JSON.stringify(p.issues));
        a.endRow();
      }
      a.closeSync();
    });
  }

  queryTopOfBook(range: TimeRange): Promise<TopOfBookPoint[]> {
    return this.serial(async () =>
      (await this.select('top_of_book', range)).map((r) => ({
        exchange: String(r.exchange),
        symbol: String(r.symbol),
        ts: toNumber(r.ts),
        bidPrice: (r.bid_price as string | null) ?? null,
        bidSize: (r.bid_size as string | null) ?? null,
        askPrice: (r.ask_price as string | null) ?? null,
        askSize: (r.ask_size as string | null) ?? null,
      })),
    );
  }

  queryQuality(range: TimeRange): Promise<QualityPoint[]> {
    return this.serial(async () =>
      (await this.select('quality', range)).map((r) => ({
        exchange: String(r.exchange),
        symbol: String(r.symbol),
        ts: toNumber(r.ts),
        score: Number(r.score),
        issues: JSON.parse(String(r.issues)) as string[],
      })),
    );
  }

  /** Both series as `<dir>/top_of_book.parquet` and `<dir>/quality.parquet`. */
  exportParquet(dir: string): Promise<void> {
    return this.serial(async () => {
      await mkdir(dir, { recursive: true });
      for (const table of ['top_of_book', 'quality'])
        await this.db.connection.run(
          `COPY (SELECT * FROM ${table} ORDER BY ts, exchange, symbol) TO ${sqlString(join(dir, `${table}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
        );
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.db.close();
  }

  private async select(table: string, range: TimeRange): Promise<Record<string, unknown>[]> {
    const where = [`ts >= ${Math.floor(range.from)}`, `ts < ${Math.ceil(range.to)}`];
    if (range.exchange !== undefined) where.push(`exchange = ${sqlString(range.exchange)}`);
    if (range.symbol !== undefined) where.push(`symbol = ${sqlString(range.symbol)}`);
    const result = await this.db.connection.runAndReadAll(
      `SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ts, exchange, symbol`,
    );
    return result.getRowObjectsJS() as Record<string, unknown>[];
  }

  /** One statement at a time on the connection, in call order. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('time-series store is closed'));
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
