/**
 * A file grown row group by row group (RowGroupBuilder + parquetFooter): DuckDB and Arrow
 * (parquet-wasm) read every row group back, exactly, and see snappy-compressed chunks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PARQUET_MAGIC,
  parquetFooter,
  RowGroupBuilder,
} from '../../../../core/storage/parquet/parquet-writer.ts';
import { openDuckDb, sqlString } from '../../../../local/storage/duckdb.ts';

const dir = mkdtempSync(join(tmpdir(), 'row-groups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three row groups of 3, 1 and 2 rows: ts (INT64), price (INT64, a NULL), side (dictionary), body (plain). */
function grownFile(): Uint8Array {
  const groups: Array<Array<[number, number | null, string, string]>> = [
    [
      [1, 500, 'buy', '{"a":1}'],
      [2, null, 'sell', '{"b":"ü"}'],
      [3, -7, 'buy', ''],
    ],
    [[4, 2 ** 52, 'sell', 'x'.repeat(3000)]],
    [
      [5, 9, 'buy', 'y'],
      [6, 10, 'buy', 'z'],
    ],
  ];
  const builder = new RowGroupBuilder('snappy');
  const parts: Uint8Array[] = [PARQUET_MAGIC];
  const entries: Uint8Array[] = [];
  let offset = PARQUET_MAGIC.length;
  let rows = 0;
  let columns: ReturnType<RowGroupBuilder['finish']>['columns'] = [];
  for (const g of groups) {
    builder.begin();
    const n = g.length;
    builder.addColumn({
      name: 'ts',
      type: 'INT64',
      rows: n,
      present: undefined,
      values: Float64Array.from(g.map((r) => r[0])),
    });
    const present = Uint8Array.from(g.map((r) => (r[1] === null ? 0 : 1)));
    builder.addColumn({
      name: 'price',
      type: 'INT64',
      rows: n,
      present,
      values: Float64Array.from(g.filter((r) => r[1] !== null).map((r) => r[1]!)),
    });
    builder.addColumn({
      name: 'side',
      type: 'BYTE_ARRAY',
      rows: n,
      present: undefined,
      values: g.map((r) => r[2]),
    });
    const body = new TextEncoder();
    const bytes = g.map((r) => body.encode(r[3]));
    const all = new Uint8Array(bytes.reduce((s, b) => s + b.length, 0));
    const start = new Int32Array(n);
    const length = new Int32Array(n);
    let at = 0;
    bytes.forEach((b, i) => {
      all.set(b, at);
      start[i] = at;
      length[i] = b.length;
      at += b.length;
    });
    builder.addColumn({
      name: 'body',
      type: 'BYTE_ARRAY',
      rows: n,
      present: undefined,
      values: { bytes: all, start, length },
    });
    const encoded = builder.finish(n, offset);
    parts.push(Uint8Array.from(encoded.bytes));
    entries.push(encoded.footerEntry);
    offset += encoded.bytes.length;
    rows += n;
    columns = encoded.columns;
  }
  parts.push(parquetFooter(columns, entries, rows, { 'tradeplane.table': 'test' }));
  const file = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    file.set(p, at);
    at += p.length;
  }
  return file;
}

const expected = [
  { ts: '1', price: '500', side: 'buy', body: '{"a":1}' },
  { ts: '2', price: null, side: 'sell', body: '{"b":"ü"}' },
  { ts: '3', price: '-7', side: 'buy', body: '' },
  { ts: '4', price: String(2 ** 52), side: 'sell', body: 'x'.repeat(3000) },
  { ts: '5', price: '9', side: 'buy', body: 'y' },
  { ts: '6', price: '10', side: 'buy', body: 'z' },
];

describe('a Parquet file grown by row groups', () => {
  it('DuckDB reads its three row groups exactly, PLAIN strings snappy-compressed', async () => {
    const path = join(dir, 'grown.parquet');
    writeFileSync(path, grownFile());
    const db = await openDuckDb();
    try {
      const rows = (
        await db.connection.runAndReadAll(
          `SELECT ts::VARCHAR AS ts, price::VARCHAR AS price, side, body FROM read_parquet(${sqlString(path)}) ORDER BY ts`,
        )
      ).getRowObjectsJson();
      expect(rows).toEqual(expected);
      const meta = (
        await db.connection.runAndReadAll(
          `SELECT count(DISTINCT row_group_id)::INT AS groups, list(DISTINCT compression) AS codecs FROM parquet_metadata(${sqlString(path)}) WHERE path_in_schema = 'body'`,
        )
      ).getRowObjectsJson();
      expect(meta).toEqual([{ groups: 3, codecs: ['SNAPPY'] }]);
    } finally {
      db.close();
    }
  });

  it('Arrow (parquet-wasm) reads the same rows', () => {
    const table = tableFromIPC(readParquet(grownFile()).intoIPCStream());
    expect(table.numRows).toBe(6);
    const rows = table.toArray().map((r) => {
      const o = r.toJSON() as Record<string, unknown>;
      return {
        ts: String(o.ts),
        price: o.price === null ? null : String(o.price),
        side: o.side,
        body: o.body,
      };
    });
    expect(rows).toEqual(expected);
  });
});
