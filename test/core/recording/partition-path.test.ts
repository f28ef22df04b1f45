import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_SYMBOLS,
  parsePartitionPath,
  partFileName,
  partitionDir,
  partitionDirAt,
  partSeq,
  pathSafeSymbol,
  utcDateHour,
} from '../../../core/recording/partition-path.ts';

describe('partition paths', () => {
  it('makes unified symbols path-safe', () => {
    expect(pathSafeSymbol('BTC/USDT')).toBe('BTC-USDT');
    expect(pathSafeSymbol('BTC/USDT:USDT')).toBe('BTC-USDT-USDT');
    expect(pathSafeSymbol('BTC/USD:BTC-240927')).toBe('BTC-USD-BTC-240927');
    expect(pathSafeSymbol('')).toBe(ALL_SYMBOLS);
    expect(pathSafeSymbol('..')).toBe(ALL_SYMBOLS);
    expect(pathSafeSymbol('../../etc')).toBe('-etc');
  });

  it('never lets a separator, dot or odd character into a folder name', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(pathSafeSymbol(s)).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
    );
  });

  it('files a row under the UTC date and hour of its receive time', () => {
    // 2024-08-08T23:54:13.937085Z
    expect(utcDateHour(1723161253937085)).toEqual({ date: '2024-08-08', hour: '23' });
    expect(utcDateHour(0)).toEqual({ date: '1970-01-01', hour: '00' });
    expect(partitionDirAt('book', 'binance', 'BTC/USDT', 1723161253937085)).toBe(
      'book/exchange=binance/symbol=BTC-USDT/date=2024-08-08/hour=23',
    );
    // One µs before the hour turns.
    expect(utcDateHour(1723161599999999).hour).toBe('23');
    expect(utcDateHour(1723161600000000)).toEqual({ date: '2024-08-09', hour: '00' });
  });

  it('names part files so they sort in write order, and reads them back', () => {
    expect(partFileName(0)).toBe('part-000000.parquet');
    expect(partFileName(42)).toBe('part-000042.parquet');
    expect(partSeq('part-000042.parquet')).toBe(42);
    expect(partSeq('data_0.parquet')).toBeUndefined();
    const path = `/data/${partitionDir('trade', 'kraken', 'BTC-USD', '2024-01-02', '05')}/${partFileName(7)}`;
    expect(parsePartitionPath(path)).toEqual({
      kind: 'trade',
      exchange: 'kraken',
      symbol: 'BTC-USD',
      date: '2024-01-02',
      hour: '05',
      seq: 7,
    });
    expect(parsePartitionPath('/data/trade/exchange=kraken/x.parquet')).toBeUndefined();
  });
});
