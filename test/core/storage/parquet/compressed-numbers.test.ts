/**
 * Delta-packed integer chunks are snappy-compressed when that pays (book sizes that rarely change
 * pack to runs of zero-width miniblocks and stretches of equal deltas) and left uncompressed when
 * it does not (noisy values); either way, over several pages and row groups, DuckDB and Arrow
 * (parquet-wasm) read back exactly what was written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../core/sim/random.ts';
import {
  PARQUET_MAGIC,
  parquetFooter,
  RowGroupBuilder,
} from '../../../../core/storage/parquet/parquet-writer.ts';
import { openDuckDb, sqlString } from '../../../../local/storage/duckdb.ts';

const dir = mkdtempSync(join(tmpdir(), 'compressed-numbers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows per group: over one data page (20 000 rows), so a chunk has several pages. */
const GROUP = 30_000;
const GROUPS = 2;
const N = GROUP * GROUPS;

const random = seededRandom(7);
/** A size that changes every ~200 rows (compresses), and noise (does not), with a NULL now and then. */
const steady = new Float64Array(N);
const noisy: Array<number | null> = [];
for (let i = 0, v = 123_456_789; i < N; i++) {
  if (random() < 0.005) v = Math.floor(random() * 2 ** 40);
  steady[i] = v;
  noisy.push(i % 997 === 0 ? null : Math.floor(random() * 2 ** 50) - 2 ** 49);
}

function file(): Uint8Array {
  const builder = new RowGroupBuilder('snappy');
  const parts: Uint8Array[] = [PARQUET_MAGIC];
  const entries: Uint8Array[] = [];
  let offset = PARQUET_MAGIC.length;
  let columns: ReturnType<RowGroupBuilder['finish']>['columns'] = [];
  for (let g = 0; g < GROUPS; g++) {
    const from = g * GROUP;
    builder.begin();
    builder.addColumn({
      name: 'steady',
      type: 'INT64',
      rows: GROUP,
      present: undefined,
      values: steady.subarray(from, from + GROUP),
    });
    const slice = noisy.slice(from, from + GROUP);
    builder.addColumn({
      name: 'noisy',
      type: 'INT64',
      rows: GROUP,
      present: Uint8Array.from(slice, (v) => (v === null ? 0 : 1)),
      values: Float64Array.from(slice.filter((v) => v !== null)),
    });
    const encoded = builder.finish(GROUP, offset);
    parts.push(Uint8Array.from(encoded.bytes));
    entries.push(encoded.footerEntry);
    offset += encoded.bytes.length;
    columns = encoded.columns;
  }
  parts.push(parquetFooter(columns, entries, N));
  return Buffer.concat(parts);
}

describe('delta-packed chunks compressed when it pays', () => {
  const bytes = file();
  const path = join(dir, 'numbers.parquet');
  writeFileSync(path, bytes);

  it('DuckDB reads every value back; the steady column is SNAPPY, the noisy one UNCOMPRESSED', async () => {
    const db = await openDuckDb();
    try {
      const meta = (
        await db.connection.runAndReadAll(
          `SELECT path_in_schema AS col, list(DISTINCT compression) AS codecs, count(*)::INT AS groups FROM parquet_metadata(${sqlString(path)}) GROUP BY 1 ORDER BY 1`,
        )
      ).getRowObjectsJson();
      expect(meta).toEqual([
        { col: 'noisy', codecs: ['UNCOMPRESSED'], groups: GROUPS },
        { col: 'steady', codecs: ['SNAPPY'], groups: GROUPS },
      ]);
      const read = await db.connection.runAndReadAll(
        `SELECT steady::VARCHAR, noisy::VARCHAR FROM read_parquet(${sqlString(path)})`,
      );
      const [s, n] = read.getColumnsJS() as [string[], Array<string | null>];
      expect(s.length).toBe(N);
      let wrong = 0;
      for (let i = 0; i < N; i++) {
        if (s[i] !== String(steady[i])) wrong++;
        if (n[i] !== (noisy[i] === null ? null : String(noisy[i]))) wrong++;
      }
      expect(wrong).toBe(0);
    } finally {
      db.close();
    }
  });

  it('Arrow (parquet-wasm) reads the same values', () => {
    const table = tableFromIPC(readParquet(bytes).intoIPCStream());
    expect(table.numRows).toBe(N);
    const s = table.getChild('steady')!.toArray() as BigInt64Array;
    const n = table.getChild('noisy')!;
    let wrong = 0;
    for (let i = 0; i < N; i++) {
      if (Number(s[i]) !== steady[i]) wrong++;
      const v = n.get(i) as bigint | null;
      if ((v === null ? null : Number(v)) !== noisy[i]) wrong++;
    }
    expect(wrong).toBe(0);
  });
});
