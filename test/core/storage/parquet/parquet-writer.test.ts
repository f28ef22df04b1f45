import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { bitWidth } from '../../../../core/storage/parquet/encodings.ts';
import {
  type ColumnInput,
  type ParquetCodec,
  ParquetFileBuilder,
  type PhysicalType,
} from '../../../../core/storage/parquet/parquet-writer.ts';
import { openDuckDb, sqlString } from '../../../../local/storage/duckdb.ts';

const dir = mkdtempSync(join(tmpdir(), 'parquet-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

type Cell = number | string | null;

/** Write columns (null = NULL) to a file and read them back through DuckDB, as JSON values. */
async function roundTrip(
  columns: Array<{ name: string; type: PhysicalType; cells: Cell[] }>,
  codec: ParquetCodec = 'snappy',
): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string>; file: string }> {
  const rows = columns[0]!.cells.length;
  const builder = new ParquetFileBuilder(codec);
  builder.begin();
  for (const c of columns) {
    const present = new Uint8Array(rows);
    const kept = c.cells.filter((v, i) => {
      present[i] = v === null ? 0 : 1;
      return v !== null;
    });
    const input: ColumnInput = {
      name: c.name,
      type: c.type,
      rows,
      present: kept.length < rows || rows % 2 === 0 ? present : undefined, // both paths
      values: c.type === 'BYTE_ARRAY' ? (kept as string[]) : Float64Array.from(kept as number[]),
    };
    await builder.addColumn(input);
  }
  const file = join(dir, `f${fileNo++}.parquet`);
  writeFileSync(file, builder.finish(rows, { layout: 'test' }));
  const db = await openDuckDb();
  try {
    const read = await db.connection.runAndReadAll(
      `SELECT ${columns.map((c) => `"${c.name}"::VARCHAR AS "${c.name}"`).join(', ')} FROM read_parquet(${sqlString(file)}) `,
    );
    const described = await db.connection.runAndReadAll(
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`,
    );
    const types: Record<string, string> = {};
    for (const r of described.getRowObjectsJson()) types[String(r.column_name)] = String(r.column_type);
    return { rows: read.getRowObjectsJson() as Record<string, unknown>[], types, file };
  } finally {
    db.close();
  }
}

const asText = (v: Cell) => (v === null ? null : String(v));

describe('parquet writer', () => {
  it('bitWidth is exact around every power of two up to 2^53', () => {
    expect(bitWidth(0)).toBe(0);
    for (let k = 0; k < 53; k++) {
      expect(bitWidth(2 ** k)).toBe(k + 1);
      if (k > 0) expect(bitWidth(2 ** k - 1)).toBe(k);
    }
  });

  it('writes every type, NULLs, wide and negative values, strings with any characters — DuckDB reads them back', async () => {
    const n = 1000;
    const big = (i: number) => (i % 7 === 0 ? null : (i % 2 ? 1 : -1) * (2 ** 53 - 1 - i));
    const cols = [
      {
        name: 'ts',
        type: 'INT64' as const,
        cells: Array.from({ length: n }, (_, i) => 1723161253937085 + i * 37),
      },
      { name: 'big', type: 'INT64' as const, cells: Array.from({ length: n }, (_, i) => big(i)) },
      {
        name: 'scale',
        type: 'INT32' as const,
        cells: Array.from({ length: n }, (_, i) => (i < 500 ? 2 : -2147483648)),
      },
      {
        name: 'score',
        type: 'DOUBLE' as const,
        cells: Array.from({ length: n }, (_, i) => (i % 3 ? i / 3 : null)),
      },
      {
        name: 'text',
        type: 'BYTE_ARRAY' as const,
        cells: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `{"i":${i},"ü":"€𝄞","q":"'"}`)),
      },
      { name: 'none', type: 'INT64' as const, cells: Array.from({ length: n }, () => null) },
      // Few distinct strings: dictionary-encoded.
      {
        name: 'side',
        type: 'BYTE_ARRAY' as const,
        cells: Array.from({ length: n }, (_, i) =>
          i % 11 === 0 ? null : ['buy', 'sell', 'ünknown'][i % 3]!,
        ),
      },
      { name: 'sym', type: 'BYTE_ARRAY' as const, cells: Array.from({ length: n }, () => 'BTCUSDT') },
    ];
    const { rows, types, file } = await roundTrip(cols);
    const db = await openDuckDb();
    try {
      const encodings = Object.fromEntries(
        (
          await db.connection.runAndReadAll(
            `SELECT path_in_schema AS c, encodings AS e FROM parquet_metadata(${sqlString(file)})`,
          )
        )
          .getRowObjectsJson()
          .map((r) => [String(r.c), String(r.e)]),
      );
      expect(encodings.sym).toContain('RLE_DICTIONARY');
      expect(encodings.side).toContain('RLE_DICTIONARY');
      expect(encodings.text).not.toContain('RLE_DICTIONARY');
      expect(encodings.ts).toContain('DELTA_BINARY_PACKED');
    } finally {
      db.close();
    }
    expect(types).toEqual({
      ts: 'BIGINT',
      big: 'BIGINT',
      scale: 'INTEGER',
      score: 'DOUBLE',
      text: 'VARCHAR',
      none: 'BIGINT',
      side: 'VARCHAR',
      sym: 'VARCHAR',
    });
    expect(rows).toHaveLength(n);
    rows.forEach((r, i) => {
      for (const c of cols) {
        const want = c.cells[i]!;
        if (c.type === 'DOUBLE') expect(r[c.name] === null ? null : Number(r[c.name])).toBe(want);
        else expect(r[c.name]).toBe(asText(want));
      }
    });
  });

  it('splits long columns into pages and keeps min/max statistics DuckDB can prune on', async () => {
    const n = 45_000;
    const ts = Array.from({ length: n }, (_, i) => 1_000_000 + i);
    const body = Array.from({ length: n }, (_, i) => `frame ${i} ${'x'.repeat(i % 50)}`);
    const { rows, file } = await roundTrip(
      [
        { name: 'ts', type: 'INT64', cells: ts },
        { name: 'body', type: 'BYTE_ARRAY', cells: body },
      ],
      'uncompressed',
    );
    expect(rows.map((r) => r.ts)).toEqual(ts.map(String));
    expect(rows.map((r) => r.body)).toEqual(body);
    const db = await openDuckDb();
    try {
      const meta = (
        await db.connection.runAndReadAll(
          `SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count, compression, encodings
           FROM parquet_metadata(${sqlString(file)}) ORDER BY column_id`,
        )
      ).getRowObjectsJson();
      expect(meta[0]).toMatchObject({
        path_in_schema: 'ts',
        stats_min_value: '1000000',
        stats_max_value: String(1_000_000 + n - 1),
        stats_null_count: '0',
        compression: 'UNCOMPRESSED',
      });
      expect(String(meta[0]!.encodings)).toContain('DELTA_BINARY_PACKED');
      const pages = (
        await db.connection.runAndReadAll(`SELECT count(*) AS n FROM parquet_metadata(${sqlString(file)})`)
      ).getRowObjectsJson();
      expect(Number(pages[0]!.n)).toBe(2); // one row group, two column chunks
    } finally {
      db.close();
    }
  });

  it('round-trips arbitrary string columns, dictionary-encoded or plain', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.option(fc.oneof(fc.constantFrom('a', 'b', ''), fc.string({ unit: 'grapheme', maxLength: 20 })), {
            freq: 6,
          }),
          {
            minLength: 1,
            maxLength: 600,
          },
        ),
        fc.boolean(),
        async (cells, gz) => {
          const { rows } = await roundTrip(
            [{ name: 's', type: 'BYTE_ARRAY', cells }],
            gz ? 'snappy' : 'uncompressed',
          );
          expect(rows.map((r) => r.s)).toEqual(cells);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('round-trips arbitrary integer columns exactly (delta-packed, or plain when the range is too wide)', async () => {
    const int64 = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.maxSafeInteger(),
      fc.constantFrom(0, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 52, -(2 ** 52), 2 ** 32, 2 ** 32 - 1, -(2 ** 31)),
    );
    const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.option(int64, { freq: 5 }), fc.option(int32, { freq: 5 })), {
          minLength: 1,
          maxLength: 700,
        }),
        async (cells) => {
          const a = cells.map((c) => c[0]);
          const b = cells.map((c) => c[1]);
          const { rows } = await roundTrip([
            { name: 'a', type: 'INT64', cells: a },
            { name: 'b', type: 'INT32', cells: b },
          ]);
          expect(rows.map((r) => r.a)).toEqual(a.map(asText));
          expect(rows.map((r) => r.b)).toEqual(b.map(asText));
        },
      ),
      { numRuns: 40 },
    );
  });
});
