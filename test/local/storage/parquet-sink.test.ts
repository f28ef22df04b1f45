import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { L2Book } from '../../../core/book/l2-book.ts';
import { replayCapture } from '../../../core/capture/replay-capture.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { formatDecimal } from '../../../core/num/format-decimal.ts';
import { trimDecimal } from '../../../core/recording/validation-report.ts';
import { BinanceFeed } from '../../../core/venues/binance/binance-feed.ts';
import { combineListeners } from '../../../core/venues/combine-listeners.ts';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { RecordingListener } from '../../../fargate/recorder/recording-listener.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { openDuckDb, parquetFiles, readParquetSql, toNumber } from '../../../local/storage/duckdb.ts';
import { ParquetSink } from '../../../local/storage/parquet-sink.ts';
import { bookLevelsSql, UNITS_TO_DECIMAL_SQL } from '../../../local/storage/recording-sql.ts';
import { fixture } from '../../support/fixtures.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rec-sink-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Rows as JSON values: BIGINTs and DECIMALs come back as exact text (the JS conversion would make doubles). */
async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await openDuckDb();
  try {
    await db.connection.run(UNITS_TO_DECIMAL_SQL);
    return (await db.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

function files(root: string): string[] {
  return parquetFiles(root).map((f) => relative(root, f).split('\\').join('/'));
}

function instrument(priceScale: number, sizeScale: number, venueSymbol = 'BTCUSDT', symbol = 'BTC/USDT') {
  return makeInstrument({
    exchange: 'binance',
    venueSymbol,
    symbol,
    base: 'BTC',
    quote: 'USDT',
    kind: 'spot',
    priceScale,
    sizeScale,
  });
}

const HOUR = 3_600_000_000;
const T0 = 1723161253937085; // 2024-08-08T23:54:13Z

describe('ParquetSink', () => {
  it('writes each kind under <kind>/exchange=/symbol=/date=/hour=/part-<seq>.parquet, split at the hour', async () => {
    const root = tempDir();
    const recorder = new Recorder({ sink: await ParquetSink.open({ root }), pollIntervalMs: 0 });
    const book = new L2Book();
    book.set(true, 100, 1);
    book.set(false, 101, 1);
    recorder.recordBookLevels(instrument(2, 8), T0, 0, 1, book.bids, book.asks);
    recorder.recordBookLevels(instrument(2, 8), T0 + HOUR, 0, 2, book.bids, book.asks); // next day, 00h
    recorder.recordBookLevels(instrument(4, 2, 'ETHBTC', 'ETH/BTC'), T0, 0, 3, book.bids, book.asks);
    recorder.recordMessage('binance', 'c', T0, '{}');
    await recorder.close();
    expect(files(root)).toEqual([
      'book/exchange=binance/symbol=BTC-USDT/date=2024-08-08/hour=23/part-000000.parquet',
      'book/exchange=binance/symbol=BTC-USDT/date=2024-08-09/hour=00/part-000000.parquet',
      'book/exchange=binance/symbol=ETH-BTC/date=2024-08-08/hour=23/part-000000.parquet',
      'raw/exchange=binance/symbol=ALL/date=2024-08-08/hour=23/part-000000.parquet',
    ]);
    // No staging leftovers.
    expect(readdirSync(root).sort()).toEqual(['.staging', 'book', 'raw']);
    expect(readdirSync(join(root, '.staging'))).toEqual([]);

    // A second session in the same folder continues the part numbers instead of overwriting.
    const again = new Recorder({ sink: await ParquetSink.open({ root }), pollIntervalMs: 0 });
    again.recordMessage('binance', 'c', T0 + 1, '{"again":1}');
    await again.close();
    expect(files(root)).toContain(
      'raw/exchange=binance/symbol=ALL/date=2024-08-08/hour=23/part-000001.parquet',
    );
    const rows = await query(
      `SELECT body, rec_session FROM ${readParquetSql(parquetFiles(join(root, 'raw')))} ORDER BY rec_session, rec_seq`,
    );
    expect(rows.map((r) => r.body)).toEqual(['{}', '{"again":1}']);
  });

  it('stores prices and sizes as exact BIGINT units with their scales, NaN as NULL; units_to_decimal gives the exact decimal', async () => {
    const root = tempDir();
    const recorder = new Recorder({ sink: await ParquetSink.open({ root }), depth: 3, pollIntervalMs: 0 });
    const cases: Array<[number, number, number, number]> = [
      // price units, price scale, size units, size scale
      [2 ** 53 - 1, 8, 2 ** 53 - 1, 0],
      [6183764, 2, 1, 18],
      [1, 0, 123456789012345, 10],
      [999999999999999, 18, 5, 1],
      [-42, 3, -7, 18],
    ];
    for (const [p, ps, s, ss] of cases) {
      // A plain LevelsView: an L2Book would not hold the negative size.
      const bids = { count: 1, priceAt: () => p, sizeAt: () => s };
      const asks = { count: 0, priceAt: () => Number.NaN, sizeAt: () => Number.NaN };
      recorder.recordBookLevels(instrument(ps, ss), T0, T0 - 5, Number.NaN, bids, asks);
    }
    await recorder.close();
    const db = await openDuckDb();
    try {
      await db.connection.run(UNITS_TO_DECIMAL_SQL);
      const rows = (
        await db.connection.runAndReadAll(
          `SELECT bid_0_price_units AS bp, bid_0_size_units AS bs, ask_0_price_units, sequence, typeof(bid_0_price_units) AS t,
                  units_to_decimal(bid_0_price_units, price_scale)::VARCHAR AS bpd,
                  units_to_decimal(bid_0_size_units, size_scale)::VARCHAR AS bsd,
                  price_scale, size_scale, exchange_ts FROM ${readParquetSql(parquetFiles(join(root, 'book')))} ORDER BY rec_seq`,
        )
      ).getRowObjectsJson();
      expect(rows).toHaveLength(cases.length);
      rows.forEach((row, i) => {
        const [p, ps, s, ss] = cases[i]!;
        expect(row.t).toBe('BIGINT');
        expect([row.bp, row.bs]).toEqual([String(p), String(s)]); // exact integers (JSON: text)
        expect(trimDecimal(row.bpd as string)).toBe(trimDecimal(formatDecimal(p, ps)));
        expect(trimDecimal(row.bsd as string)).toBe(trimDecimal(formatDecimal(s, ss)));
        expect(row.ask_0_price_units).toBeNull();
        expect(row.sequence).toBeNull();
        expect([row.price_scale, row.size_scale]).toEqual([ps, ss]);
        expect(toNumber(row.exchange_ts)).toBe(T0 - 5);
      });
      // The naive division is a DOUBLE: exactly the trap the macro avoids.
      const naive = (
        await db.connection.runAndReadAll(`SELECT typeof(9007199254740991::BIGINT / 10^8) AS t`)
      ).getRowObjectsJson();
      expect(naive[0]!.t).toBe('DOUBLE');
    } finally {
      db.close();
    }
  });

  it('gives the long (update, side, level) view of book rows with exact decimals', async () => {
    const root = tempDir();
    const recorder = new Recorder({ sink: await ParquetSink.open({ root }), depth: 3, pollIntervalMs: 0 });
    const book = new L2Book();
    book.set(true, 6183763, 378826000);
    book.set(true, 6183700, 1);
    book.set(false, 6183764, 154698000);
    recorder.recordBookLevels(instrument(2, 8), T0, T0 - 5, 77, book.bids, book.asks);
    await recorder.close();
    const db = await openDuckDb();
    try {
      await db.connection.run(UNITS_TO_DECIMAL_SQL);
      const source = readParquetSql(parquetFiles(join(root, 'book')));
      const rows = (
        await db.connection.runAndReadAll(
          `SELECT side, level, price_units, price::VARCHAR AS price, size::VARCHAR AS size, sequence
           FROM (${bookLevelsSql(source, 3)}) ORDER BY side DESC, level`,
        )
      ).getRowObjectsJson();
      expect(
        rows.map((r) => [
          r.side,
          r.level,
          r.price_units,
          trimDecimal(String(r.price)),
          trimDecimal(String(r.size)),
        ]),
      ).toEqual([
        ['bid', 0, '6183763', '61837.63', '3.78826'],
        ['bid', 1, '6183700', '61837', '0.00000001'],
        ['ask', 0, '6183764', '61837.64', '1.54698'],
      ]);
      expect(rows.every((r) => r.sequence === '77')).toBe(true);
    } finally {
      db.close();
    }
  });

  it('records a real feed through the listener: a top-20 row per applied message, every trade, exact', async () => {
    const capture = readCapture(fixture('binance/cryptofeed_BINANCE.ws.1.0.gz'));
    const root = tempDir();
    const recorder = new Recorder({
      sink: await ParquetSink.open({ root }),
      pollIntervalMs: 0,
      policy: { maxRows: 500 },
    });
    const listener = new RecordingListener(recorder);
    let books = 0;
    const feed = new BinanceFeed({
      market: 'spot',
      instruments: new InstrumentRegistry(),
      listener: combineListeners(listener, { onBook: () => books++ }),
    });
    listener.attach(feed);
    replayCapture(capture.records, feed);
    await tick();
    await recorder.close();
    expect(listener.unscaledTrades).toBe(0);
    const stats = recorder.stats();
    expect(stats.book).toMatchObject({ accepted: books, written: books, dropped: 0 });
    expect(stats.trade).toMatchObject({ accepted: feed.counters.trades, written: feed.counters.trades });
    expect(stats.event.written).toBeGreaterThan(0); // book_state transitions
    expect(books).toBeGreaterThan(50);

    const sql = `SELECT *, units_to_decimal(bid_0_price_units, price_scale)::VARCHAR AS bid_0_price FROM ${readParquetSql(parquetFiles(join(root, 'book')))}`;
    for (const sb of feed.books()) {
      // The last row of each symbol is its final book's top 20, digit for digit.
      const [last] = await query(
        `SELECT * FROM (${sql}) WHERE venue_symbol = '${sb.venueSymbol}' ORDER BY rec_seq DESC LIMIT 1`,
      );
      expect(last).toBeDefined();
      const i = sb.instrument;
      const top = sb.book.snapshot(20);
      expect(top.bids.length).toBeGreaterThan(0);
      top.bids.forEach(([p, s], k) => {
        expect(last![`bid_${k}_price_units`]).toBe(String(p));
        expect(last![`bid_${k}_size_units`]).toBe(String(s));
      });
      top.asks.forEach(([p, s], k) => {
        expect(last![`ask_${k}_price_units`]).toBe(String(p));
        expect(last![`ask_${k}_size_units`]).toBe(String(s));
      });
      expect(trimDecimal(String(last!.bid_0_price))).toBe(
        trimDecimal(formatDecimal(top.bids[0]![0], i.priceScale)),
      );
      expect([last!.price_scale, last!.size_scale]).toEqual([i.priceScale, i.sizeScale]);
      expect(toNumber(last!.sequence)).toBe(sb.sequence);
      expect(last!.symbol).toBe(sb.symbol.replace('/', '-'));
    }
    const trades = await query(
      `SELECT count(*) AS n FROM ${readParquetSql(parquetFiles(join(root, 'trade')))}`,
    );
    expect(toNumber(trades[0]!.n)).toBe(feed.counters.trades);
  });
});
