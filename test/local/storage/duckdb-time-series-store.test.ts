import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../core/market/instrument.ts';
import {
  type QualityPoint,
  type TopOfBookPoint,
  topOfBookPoint,
} from '../../../core/recording/time-series-store.ts';
import { SymbolBook } from '../../../core/venues/symbol-book.ts';
import { openDuckDb } from '../../../local/storage/duckdb.ts';
import { DuckDbTimeSeriesStore } from '../../../local/storage/duckdb-time-series-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = 1723161253937085;

const tob: TopOfBookPoint[] = [
  {
    exchange: 'binance',
    symbol: 'BTC/USDT',
    ts: T0,
    bidPrice: '61837.63',
    bidSize: '3.78826',
    askPrice: '61837.64',
    askSize: '1.54698',
  },
  {
    exchange: 'kraken',
    symbol: 'BTC/USD',
    ts: T0 + 5,
    bidPrice: '0.00000001',
    bidSize: '123456789.123456789',
    askPrice: null,
    askSize: null,
  },
  {
    exchange: 'binance',
    symbol: 'BTC/USDT',
    ts: T0 + 1_000_000,
    bidPrice: '61838',
    bidSize: '1',
    askPrice: '61838.01',
    askSize: '2',
  },
];
const quality: QualityPoint[] = [
  { exchange: 'binance', symbol: 'BTC/USDT', ts: T0, score: 100, issues: [] },
  {
    exchange: 'binance',
    symbol: 'BTC/USDT',
    ts: T0 + 2,
    score: 62.5,
    issues: ['crossed_book', 'stale_data'],
  },
];

describe('DuckDbTimeSeriesStore', () => {
  it('round-trips top-of-book and quality points, exactly, by time range and filters', async () => {
    const store = await DuckDbTimeSeriesStore.open();
    await store.writeTopOfBook([tob[2]!, tob[0]!]);
    await store.writeTopOfBook([tob[1]!]);
    await store.writeQuality(quality);
    const all = { from: 0, to: Number.MAX_SAFE_INTEGER };
    expect(await store.queryTopOfBook(all)).toEqual(tob);
    expect(await store.queryTopOfBook({ from: T0, to: T0 + 1_000_000 })).toEqual(tob.slice(0, 2));
    expect(await store.queryTopOfBook({ ...all, exchange: 'kraken' })).toEqual([tob[1]]);
    expect(await store.queryTopOfBook({ ...all, symbol: 'BTC/USDT' })).toEqual([tob[0], tob[2]]);
    expect(await store.queryQuality(all)).toEqual(quality);
    expect(await store.queryQuality({ from: T0 + 1, to: T0 + 3 })).toEqual([quality[1]]);
    await store.close();
  });

  it('persists to a DuckDB file and exports Parquet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsstore-'));
    dirs.push(dir);
    const file = join(dir, 'timeseries.duckdb');
    const store = await DuckDbTimeSeriesStore.open(file);
    await store.writeTopOfBook(tob);
    await store.writeQuality(quality);
    await store.close();
    const reopened = await DuckDbTimeSeriesStore.open(file);
    expect(await reopened.queryTopOfBook({ from: 0, to: T0 + 10 })).toEqual(tob.slice(0, 2));
    await reopened.exportParquet(join(dir, 'export'));
    await reopened.close();
    expect(existsSync(join(dir, 'export', 'top_of_book.parquet'))).toBe(true);
    const db = await openDuckDb();
    const rows = (
      await db.connection.runAndReadAll(
        `SELECT bid_price FROM '${join(dir, 'export', 'top_of_book.parquet')}' ORDER BY ts`,
      )
    ).getRowsJS();
    db.close();
    expect(rows.map((r) => r[0])).toEqual(['61837.63', '0.00000001', '61838']);
  });

  it('turns a book into a point with exact decimal strings', () => {
    const book = new SymbolBook(
      makeInstrument({
        exchange: 'binance',
        venueSymbol: 'BTCUSDT',
        symbol: 'BTC/USDT',
        base: 'BTC',
        quote: 'USDT',
        kind: 'spot',
        priceScale: 2,
        sizeScale: 8,
      }),
    );
    book.localTs = T0;
    book.book.set(true, 6183763, 378826000);
    expect(topOfBookPoint(book)).toEqual({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      ts: T0,
      bidPrice: '61837.63',
      bidSize: '3.78826',
      askPrice: null,
      askSize: null,
    });
  });
});
