import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePartitionPath } from '../../../core/recording/partition-path.ts';
import { rowsPayloadSchema } from '../../../fargate/stream/rows-payload.ts';
import { parquetObjects, recordFileName } from '../../../lambdas/record/parquet-objects.ts';
import { openDuckDb, sqlString, toNumber } from '../../../local/storage/duckdb.ts';

const HOUR = 3_600_000_000;
const T0 = 1_765_000_000_000_000 - (1_765_000_000_000_000 % HOUR) + HOUR - 1; // last µs of an hour

// Two trades either side of an hour boundary: one record, two files, one per hour.
const payload = rowsPayloadSchema.parse({
  v: 1,
  origin: 'normalized',
  table: 'trade',
  exchange: 'binance',
  symbol: 'BTC-USDT',
  venueSymbol: 'BTCUSDT',
  session: 1_765_000_000_000_000,
  seq: 42,
  rows: 2,
  // pid, rec_seq, local_ts, exchange_ts, side, price, size, price_scale, size_scale
  numbers: [3, 10, T0, T0 - 5, 0, 6183764, 100, 2, 8, 3, 11, T0 + 1, null, 1, 6183765, 101, 2, 8],
  texts: ['t10', 't11'],
});

describe('parquetObjects', () => {
  it("writes the recorder's layout, one object per hour, named by the record's identity", async () => {
    const objects = await parquetObjects(payload, 'lake');
    expect(objects).toHaveLength(2);
    for (const o of objects) {
      expect(o.key.startsWith('lake/trade/exchange=binance/symbol=BTC-USDT/date=')).toBe(true);
      expect(o.key.endsWith(`/${recordFileName(payload)}`)).toBe(true);
      expect(parsePartitionPath(o.key.replace(recordFileName(payload), 'part-000000.parquet'))).toBeDefined();
    }
    expect(recordFileName(payload)).toBe('part-1765000000000000-000000042.parquet');
    expect(new Set(objects.map((o) => o.key)).size).toBe(2);

    const dir = mkdtempSync(join(tmpdir(), 'parquet-objects-'));
    const files = objects.map((o) => {
      const file = join(dir, o.key);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, o.body);
      return file;
    });
    const db = await openDuckDb(':memory:', 1);
    try {
      const reader = await db.connection.runAndReadAll(
        `SELECT rec_session, rec_seq, local_ts, exchange_ts, venue_symbol, trade_id, side, price_units, size_units, price_scale
         FROM read_parquet([${files.map(sqlString).join(', ')}]) ORDER BY rec_seq`,
      );
      const rows = reader.getRows().map((r) => r.map((v) => (typeof v === 'bigint' ? toNumber(v) : v)));
      expect(rows).toEqual([
        [1_765_000_000_000_000, 10, T0, T0 - 5, 'BTCUSDT', 't10', 'buy', 6183764, 100, 2],
        [1_765_000_000_000_000, 11, T0 + 1, null, 'BTCUSDT', 't11', 'sell', 6183765, 101, 2],
      ]);
    } finally {
      db.close();
    }
  });

  it('gives the same keys and bytes when the same record is written again (a retry replaces itself)', async () => {
    const [a, b] = await Promise.all([parquetObjects(payload, 'lake/'), parquetObjects(payload, 'lake')]);
    expect(a.map((o) => o.key)).toEqual(b.map((o) => o.key));
    expect(Buffer.from(a[0]!.body).equals(Buffer.from(b[0]!.body))).toBe(true);
  });
});
