import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binanceFileName, parseBinancePublicCsv } from '../../../core/import/binance-public-csv.ts';
import type { TradeRecord } from '../../../core/import/import-record.ts';
import { toMicros, unitOfMagnitude } from '../../../core/import/timestamp-unit.ts';

describe('Binance public data CSV', () => {
  it('knows the dataset from the file name', () => {
    expect(binanceFileName('data/spot/daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2025-01-02.zip')).toEqual({
      venueSymbol: 'BTCUSDT',
      dataset: 'aggTrades',
      period: '2025-01-02',
    });
    expect(binanceFileName('BTCUSDT-1m-2024-08.csv')).toMatchObject({ dataset: 'klines', interval: '1m' });
    expect(binanceFileName('BTCUSDT-bookTicker-2024-08-08.csv')?.dataset).toBe('bookTicker');
    expect(binanceFileName('notes.csv')).toBeUndefined();
  });

  it('detects milliseconds and microseconds per file, from the first row', () => {
    const name = binanceFileName('BTCUSDT-aggTrades-2025-01-02.csv')!;
    const us = parseBinancePublicCsv('1,94000.01,0.5,10,11,1735776000123456,True,True\n', name, 'binance');
    expect(us.timestampUnit).toBe('us');
    expect((us.records[0] as TradeRecord).localTs).toBe(1735776000123456);
    const ms = parseBinancePublicCsv(
      'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n1,61000.1,0.002,10,11,1723161253123,false\n',
      binanceFileName('BTCUSDT-aggTrades-2024-08-08.csv')!,
      'binance-futures',
    );
    expect(ms.timestampUnit).toBe('ms');
    expect(ms.records[0]).toMatchObject({
      localTs: 1723161253123000,
      side: 'buy',
      price: '61000.1',
      size: '0.002',
    });
  });

  it('refuses a row whose timestamp disagrees with its file unit, never guessing per row', () => {
    const text = [
      '1,1.5,2,1,1,1735776000123456,true,true',
      '2,1.5,2,2,2,1735776000124,true,true',
      '3,1.5,2,3,3,1735776000125456,false,true',
    ].join('\n');
    const file = parseBinancePublicCsv(text, binanceFileName('BTCUSDT-aggTrades-2025-01-02.csv')!, 'binance');
    expect(file.records.map((r) => r.localTs)).toEqual([1735776000123456, 1735776000125456]);
    expect(Object.fromEntries(file.rejected)).toEqual({ bad_number_form: 1 });
  });

  it('reads klines, trades and bookTicker', () => {
    const k = parseBinancePublicCsv(
      '1723161240000,61000.1,61010,60990.5,61005.2,12.5,1723161299999,762000.1,321,6.1,372000.2,0\n',
      binanceFileName('BTCUSDT-1m-2024-08-08.csv')!,
      'binance',
    );
    expect(k.records[0]).toEqual({
      type: 'kline',
      localTs: 1723161299999000,
      openTime: 1723161240000000,
      closeTime: 1723161299999000,
      values: ['61000.1', '61010', '60990.5', '61005.2', '12.5', '762000.1', '321', '6.1', '372000.2'],
    });
    const t = parseBinancePublicCsv(
      '7,61000.1,0.01,610.001,1723161253123,true,true\n',
      binanceFileName('BTCUSDT-trades-2024-08-08.csv')!,
      'binance',
    );
    expect(t.records[0]).toMatchObject({ id: '7', side: 'sell', price: '61000.1', size: '0.01' });
    const b = parseBinancePublicCsv(
      'update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time\n9,61000.1,1.5,61000.2,0.5,1723161253120,1723161253123\n',
      binanceFileName('BTCUSDT-bookTicker-2024-08-08.csv')!,
      'binance-futures',
    );
    expect(b.records[0]).toMatchObject({
      type: 'book',
      snapshot: true,
      exchangeTs: 1723161253120000,
      localTs: 1723161253123000,
    });
  });

  it('property: a file in either unit gives the same µs times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_500_000_000_000, max: 4_000_000_000_000 }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.boolean(),
        (times, micro) => {
          const sorted = [...times].sort((a, b) => a - b);
          const rows = sorted.map((t, i) => `${i},1.5,2,${i},${i},${micro ? t * 1000 + 7 : t},false`);
          const file = parseBinancePublicCsv(
            rows.join('\n'),
            binanceFileName('XUSDT-aggTrades-2024-08-08.csv')!,
            'binance',
          );
          expect(file.timestampUnit).toBe(micro ? 'us' : 'ms');
          expect(file.records.map((r) => r.localTs)).toEqual(sorted.map((t) => t * 1000 + (micro ? 7 : 0)));
        },
      ),
    );
    expect(unitOfMagnitude(12)).toBeUndefined();
    expect(toMicros(1723161253123, 'us')).toBeNaN();
  });
});
