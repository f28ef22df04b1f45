import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookRecord } from '../../../core/import/import-record.ts';
import { parseTardisCsv, tardisDataset } from '../../../core/import/tardis-csv.ts';

const fixture = (name: string): string => {
  const bytes = readFileSync(new URL(`../../fixtures/tardis/${name}`, import.meta.url));
  return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
};

describe('Tardis CSV', () => {
  it('reads an incremental_book_L2 file: the snapshot run is one record, updates follow', () => {
    const file = parseTardisCsv(fixture('nautilus_deribit_incremental_book_L2_BTC-PERPETUAL.csv.gz'));
    expect(file).toMatchObject({
      dataset: 'incremental_book_L2',
      vendorExchange: 'deribit',
      venueSymbol: 'BTC-PERPETUAL',
    });
    expect(file.rejected.size).toBe(0);
    const first = file.records[0] as BookRecord;
    expect(first.snapshot).toBe(true);
    expect(first.changes[0]).toEqual({ bid: false, price: '6421.5', size: '18640' });
    expect(first.localTs).toBe(1585699200355684);
    const rows = file.records.reduce((n, r) => n + (r as BookRecord).changes.length, 0);
    expect(rows).toBe(15);
  });

  it('reads book_snapshot_5, trades and quotes with exact decimal strings', () => {
    const snap = parseTardisCsv(fixture('nautilus_binance-futures_book_snapshot_5_BTCUSDT.csv'));
    expect(snap.dataset).toBe('book_snapshot');
    expect(snap.records).toHaveLength(10);
    expect((snap.records[0] as BookRecord).changes.slice(0, 2)).toEqual([
      { bid: false, price: '11657.08', size: '1.714' },
      { bid: true, price: '11657.07', size: '10.896' },
    ]);
    const trades = parseTardisCsv(fixture('nautilus_bitmex_trades_XBTUSD.csv'));
    expect(trades.records[0]).toEqual({
      type: 'trade',
      localTs: 1583020803307160,
      exchangeTs: 1583020803145000,
      id: 'ccc3c1fa-212c-e8b0-1706-9b9c4f3d5ecf',
      side: 'sell',
      price: '8531.5',
      size: '2152',
    });
    const quotes = parseTardisCsv(fixture('nautilus_huobi-dm-swap_quotes_BTC-USD.csv'));
    expect((quotes.records[0] as BookRecord).changes).toEqual([
      { bid: true, price: '8629.2', size: '806' },
      { bid: false, price: '8629.3', size: '5494' },
    ]);
  });

  it('knows derivative_ticker by its header and refuses what is not Tardis', () => {
    expect(
      tardisDataset(
        'exchange,symbol,timestamp,local_timestamp,funding_timestamp,funding_rate,predicted_funding_rate,open_interest,last_price,index_price,mark_price'.split(
          ',',
        ),
      ),
    ).toBe('derivative_ticker');
    expect(() => parseTardisCsv('a,b,c\n1,2,3\n')).toThrow(/not a Tardis CSV/);
  });

  it('counts malformed rows and keeps the rest', () => {
    const text = [
      'exchange,symbol,timestamp,local_timestamp,id,side,price,amount',
      'binance,BTCUSDT,1,1600000000000000,1,buy,100.5,0.1',
      'binance,BTCUSDT,1,1600000000000001,2,buy,1e5,0.1',
      'binance,BTCUSDT,1,1600000000000002,3,buy,100.5,-0.1',
      'binance,BTCUSDT,1,1600000000000003,4,sideways,100.5,0.1',
      'binance,BTCUSDT,1,1600000000000004,5,sell,100.5',
    ].join('\n');
    const file = parseTardisCsv(text);
    expect(file.records).toHaveLength(1);
    expect(Object.fromEntries(file.rejected)).toEqual({ bad_decimal: 1, negative_size: 1, malformed: 2 });
    expect(file.rejectExamples[0]).toMatch(/^line 3: bad_decimal/);
  });

  it('property: every L2 row comes back once, in order, with its exact strings', () => {
    const decimal = fc
      .tuple(fc.nat(1_000_000), fc.nat(99_999))
      .map(([i, f]) => (f === 0 ? String(i) : `${i}.${String(f).padStart(5, '0')}`));
    const row = fc.record({
      dt: fc.nat(3),
      side: fc.constantFrom('bid', 'ask'),
      price: decimal,
      size: decimal,
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), fc.nat(5), (rows, snapshotRows) => {
        let ts = 1_600_000_000_000_000;
        const lines = ['exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount'];
        rows.forEach((r, i) => {
          ts += r.dt;
          lines.push(`binance,BTCUSDT,${ts},${ts},${i < snapshotRows},${r.side},${r.price},${r.size}`);
        });
        const file = parseTardisCsv(`${lines.join('\n')}\n`);
        expect(file.rejected.size).toBe(0);
        const back = file.records.flatMap((r) => (r as BookRecord).changes);
        expect(back).toEqual(rows.map((r) => ({ bid: r.side === 'bid', price: r.price, size: r.size })));
        const snapshots = file.records.filter((r) => (r as BookRecord).snapshot).length;
        expect(snapshots).toBe(Math.min(snapshotRows, rows.length) > 0 ? 1 : 0);
      }),
    );
  });
});
