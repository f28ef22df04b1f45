/**
 * Our Parquet writer against two kept library writers at equal output: the same rows, the same
 * codec (SNAPPY), the same row-group size, each file read back by DuckDB and compared row for row
 * with the rows written.
 *
 * The rows are the recorder's real-data workload (recorder-bench.ts `real`): the bundled Binance
 * spot BTCUSDT capture (test/fixtures, hftbacktest 2024-08-08) replayed through the feed — per
 * message its raw frame and the top-20 book row after it, and the capture's trades at its own rate,
 * as 20 symbols — recorded by the Recorder as `npm start` records (raw, book and trade tables).
 * The recorder's batches are stored by our writer once, untimed; DuckDB reads those tables back into
 * columns, and that is what every writer then writes, per table one file of ROW_GROUP-row groups:
 * - ours: RowGroupBuilder + parquetFooter from Float64Array / string[] columns;
 * - hyparquet-writer (pure JS): parquetWriteBuffer from BigInt64Array / Int32Array / string[];
 * - parquet-wasm (arrow-rs in WebAssembly) with apache-arrow: an Arrow table → IPC stream → wasm
 *   table → writeParquet.
 * Each writer gets its input in the form it takes (conversions untimed, which favours the
 * libraries); a run is all three tables. Rows/s = rows of the three tables / median seconds.
 *
 * `npx tsx bench/ingest/parquet-writers-bench.ts [--rows N] [--runs N] [--writers ours,hyparquet,parquet-wasm]`
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Table as ArrowTable, tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import type { RowBatch } from '../../core/recording/recording-sink.ts';
import {
  PARQUET_MAGIC,
  type PhysicalType,
  parquetFooter,
  RowGroupBuilder,
} from '../../core/storage/parquet/parquet-writer.ts';
import { groupRows, RecordingRowGroupEncoder } from '../../core/storage/recording-row-groups.ts';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { type DuckDb, openDuckDb, sqlString } from '../../local/storage/duckdb.ts';
import { median } from '../stats.ts';
import { fixtureFor, produce, realFixture } from './recorder-bench.ts';

/** Rows per row group for every writer: the recorder's flush size. */
const ROW_GROUP = 20_000;
const TABLES = ['raw', 'book', 'trade'] as const;
type TableName = (typeof TABLES)[number];

/** One table's rows as columns: numbers in Float64Array (NaN where NULL), texts as strings. */
interface Column {
  name: string;
  type: PhysicalType;
  numbers?: Float64Array;
  texts?: Array<string | null>;
  nulls: number;
}
interface TableRows {
  name: TableName;
  rows: number;
  columns: Column[];
  /** The file our writer stored from the recorder's batches (the reference content). */
  source: string;
}

export interface WriterResult {
  writer: string;
  rowsPerSec: number;
  runsMs: number[];
  /** Rows per CPU-second of this thread (median run): steadier than wall time on a shared machine. */
  rowsPerCpuSec: number;
  bytes: number;
  rowGroups: number;
  codecs: string;
  /** Rows DuckDB found different from the reference, both ways (0 = equal content). */
  differentRows: number;
}

/** The recorder's real workload through a sink that stores each table with our writer, untimed. */
async function recordTables(rows: number, dir: string): Promise<Record<TableName, string>> {
  const f = fixtureFor(20, 20);
  f.real = realFixture(20);
  const encoder = new RecordingRowGroupEncoder('snappy');
  const files = new Map<
    string,
    { parts: Uint8Array[]; entries: Uint8Array[]; rows: number; offset: number }
  >();
  const columns = new Map<string, ReturnType<RowGroupBuilder['finish']>['columns']>();
  const write = async (batch: RowBatch): Promise<readonly string[]> => {
    const kind = batch.table.kind;
    let file = files.get(kind);
    if (!file) {
      file = { parts: [PARQUET_MAGIC], entries: [], rows: 0, offset: PARQUET_MAGIC.length };
      files.set(kind, file);
    }
    for (const group of groupRows(batch.rows, batch.shard).groups) {
      const g = encoder.encode(batch, group, file.offset);
      file.parts.push(Uint8Array.from(g.bytes)); // a copy: the builder reuses its buffer
      file.entries.push(g.footerEntry);
      file.offset += g.bytes.length;
      file.rows += g.rows;
      columns.set(kind, g.columns);
    }
    return [];
  };
  const recorder = new Recorder({
    sink: { write, close: async () => {} },
    depth: 20,
    policy: { maxRows: ROW_GROUP, maxBufferedRows: rows + 1, maxBufferedChars: 2 ** 31 },
  });
  await produce(recorder, 'real', rows, f, 2_000);
  await recorder.close();
  const out = {} as Record<TableName, string>;
  for (const kind of TABLES) {
    const file = files.get(kind);
    if (!file) throw new Error(`the real workload recorded no ${kind} rows`);
    const path = join(dir, `source-${kind}.parquet`);
    const footer = parquetFooter(columns.get(kind)!, file.entries, file.rows);
    writeFileSync(path, Buffer.concat([...file.parts, footer]));
    out[kind] = path;
  }
  return out;
}

const DUCK_TYPE: Record<string, PhysicalType> = {
  BIGINT: 'INT64',
  INTEGER: 'INT32',
  DOUBLE: 'DOUBLE',
  VARCHAR: 'BYTE_ARRAY',
};

async function readTable(db: DuckDb, name: TableName, source: string): Promise<TableRows> {
  const reader = await db.connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(source)})`);
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  const cells = reader.getColumnsJS();
  const columns: Column[] = names.map((n, c) => {
    const type = DUCK_TYPE[types[c]!];
    if (!type) throw new Error(`${name}.${n}: unexpected type ${types[c]}`);
    const values = cells[c]!;
    let nulls = 0;
    for (const v of values) if (v === null) nulls++;
    if (type === 'BYTE_ARRAY') {
      const texts = values.map((v) => (v === null ? null : String(v)));
      return { name: n, type, texts, nulls };
    }
    const numbers = Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v)));
    return { name: n, type, numbers, nulls };
  });
  return { name, rows: reader.currentRowCount, columns, source };
}

// --- the writers: each a prepare step (untimed) and a write step (timed) ---

interface Writer {
  name: string;
  prepare(t: TableRows): () => Uint8Array;
}

const ours: Writer = {
  name: 'ours (core/storage/parquet)',
  prepare(t) {
    const builder = new RowGroupBuilder('snappy');
    // Per column: values of the present rows, presence per row (undefined: no NULLs).
    const cols = t.columns.map((c) => {
      const present = c.nulls > 0 ? new Uint8Array(t.rows) : undefined;
      const before = new Int32Array(t.rows + 1); // values before row i
      if (c.numbers) {
        const values = new Float64Array(t.rows - c.nulls);
        let k = 0;
        for (let i = 0; i < t.rows; i++) {
          before[i] = k;
          const v = c.numbers[i]!;
          if (!Number.isNaN(v)) {
            values[k++] = v;
            if (present) present[i] = 1;
          }
        }
        before[t.rows] = k;
        return { c, present, before, values };
      }
      const values: string[] = [];
      for (let i = 0; i < t.rows; i++) {
        before[i] = values.length;
        const v = c.texts![i]!;
        if (v !== null) {
          values.push(v);
          if (present) present[i] = 1;
        }
      }
      before[t.rows] = values.length;
      return { c, present, before, values };
    });
    return () => {
      const parts: Uint8Array[] = [PARQUET_MAGIC];
      const entries: Uint8Array[] = [];
      let offset = PARQUET_MAGIC.length;
      let schema: ReturnType<RowGroupBuilder['finish']>['columns'] = [];
      for (let r = 0; r < t.rows; r += ROW_GROUP) {
        const end = Math.min(t.rows, r + ROW_GROUP);
        builder.begin();
        for (const { c, present, before, values } of cols) {
          const from = before[r]!;
          const to = before[end]!;
          builder.addColumn({
            name: c.name,
            type: c.type,
            rows: end - r,
            present: present?.subarray(r, end),
            values: values instanceof Float64Array ? values.subarray(from, to) : values.slice(from, to),
          });
        }
        const g = builder.finish(end - r, offset);
        parts.push(Uint8Array.from(g.bytes)); // a copy: the builder reuses its buffer
        entries.push(g.footerEntry);
        offset += g.bytes.length;
        schema = g.columns;
      }
      parts.push(parquetFooter(schema, entries, t.rows));
      return Buffer.concat(parts);
    };
  },
};

const hyparquet: Writer = {
  name: 'hyparquet-writer 0.17',
  prepare(t) {
    const columnData = t.columns.map((c) => {
      if (c.texts) return { name: c.name, type: 'STRING' as const, data: c.texts, nullable: true };
      const nums = c.numbers!;
      if (c.type === 'DOUBLE')
        return {
          name: c.name,
          type: 'DOUBLE' as const,
          data: Array.from(nums, (v) => (Number.isNaN(v) ? null : v)),
        };
      if (c.nulls > 0) {
        const data = Array.from(nums, (v) => (Number.isNaN(v) ? null : c.type === 'INT64' ? BigInt(v) : v));
        return { name: c.name, type: c.type, data, nullable: true };
      }
      const data = c.type === 'INT64' ? BigInt64Array.from(nums, (v) => BigInt(v)) : Int32Array.from(nums);
      return { name: c.name, type: c.type, data, nullable: true };
    });
    return () => new Uint8Array(parquetWriteBuffer({ columnData, codec: 'SNAPPY', rowGroupSize: ROW_GROUP }));
  },
};

const parquetWasm: Writer = {
  name: 'parquet-wasm 0.8 + apache-arrow',
  prepare(t) {
    const arrays: Record<string, unknown> = {};
    for (const c of t.columns) {
      if (c.texts) arrays[c.name] = c.texts;
      else if (c.type === 'DOUBLE' || c.nulls > 0)
        arrays[c.name] = Array.from(c.numbers!, (v) =>
          Number.isNaN(v) ? null : c.type === 'INT64' ? BigInt(v) : v,
        );
      else
        arrays[c.name] =
          c.type === 'INT64' ? BigInt64Array.from(c.numbers!, (v) => BigInt(v)) : Int32Array.from(c.numbers!);
    }
    const table: ArrowTable = tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0]);
    return () => {
      const props = new WriterPropertiesBuilder()
        .setCompression(Compression.SNAPPY)
        .setMaxRowGroupSize(ROW_GROUP)
        .build();
      return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), props);
    };
  },
};

async function differentRows(db: DuckDb, reference: string, file: string): Promise<number> {
  const a = `read_parquet(${sqlString(reference)})`;
  const b = `read_parquet(${sqlString(file)})`;
  const r = await db.connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) + (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) + abs((SELECT count(*) FROM ${a}) - (SELECT count(*) FROM ${b}))`,
  );
  return Number(r.getColumnsJS()[0]![0]);
}

async function shape(db: DuckDb, file: string): Promise<{ rowGroups: number; codecs: string }> {
  const r = await db.connection.runAndReadAll(
    `SELECT count(DISTINCT row_group_id), string_agg(DISTINCT compression, ',' ORDER BY compression) FROM parquet_metadata(${sqlString(file)})`,
  );
  const [groups, codecs] = r.getColumnsJS().map((c) => c[0]);
  return { rowGroups: Number(groups), codecs: String(codecs) };
}

const WRITERS = { ours, hyparquet, 'parquet-wasm': parquetWasm } as const;
export type WriterName = keyof typeof WRITERS;

export async function runParquetWritersBench(
  rows = 400_000,
  runs = 5,
  writers: readonly WriterName[] = ['ours', 'hyparquet', 'parquet-wasm'],
): Promise<WriterResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-writers-'));
  const db = await openDuckDb();
  try {
    const sources = await recordTables(rows, dir);
    const tables: TableRows[] = [];
    for (const kind of TABLES) tables.push(await readTable(db, kind, sources[kind]));
    const total = tables.reduce((s, t) => s + t.rows, 0);
    const results: WriterResult[] = [];
    for (const w of writers.map((name) => WRITERS[name])) {
      const jobs = tables.map((t) => ({ t, write: w.prepare(t) }));
      let outputs: Uint8Array[] = jobs.map((j) => j.write()); // warm-up (JIT, wasm)
      const times: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < runs; r++) {
        const used = process.cpuUsage();
        const start = performance.now();
        outputs = jobs.map((j) => j.write());
        times.push(performance.now() - start);
        const { user, system } = process.cpuUsage(used);
        cpu.push((user + system) / 1000);
      }
      let bytes = 0;
      let groups = 0;
      let different = 0;
      const codecs = new Set<string>();
      for (const [i, { t }] of jobs.entries()) {
        const file = join(dir, `${w.name.split(' ')[0]}-${t.name}.parquet`);
        writeFileSync(file, outputs[i]!);
        bytes += outputs[i]!.length;
        const s = await shape(db, file);
        groups += s.rowGroups;
        for (const c of s.codecs.split(',')) codecs.add(c);
        different += await differentRows(db, t.source, file);
      }
      results.push({
        writer: w.name,
        rowsPerSec: total / (median(times) / 1000),
        runsMs: times,
        rowsPerCpuSec: total / (median(cpu) / 1000),
        bytes,
        rowGroups: groups,
        codecs: [...codecs].join(','),
        differentRows: different,
      });
    }
    return results;
  } finally {
    db.close();
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

export function formatParquetWritersBench(results: readonly WriterResult[], rows: number): string {
  const k = (n: number) => `${Math.round(n / 1000).toLocaleString('en-US')}k`;
  return [
    `Parquet writers on the recorder's real workload (${rows.toLocaleString('en-US')} rows: raw + book + trade tables; SNAPPY; ${ROW_GROUP.toLocaleString('en-US')}-row groups)`,
    ...results.map(
      (r) =>
        `  ${r.writer.padEnd(32)} ${k(r.rowsPerSec).padStart(7)} rows/s, ${k(r.rowsPerCpuSec).padStart(7)} per CPU-s  (runs ${r.runsMs.map((t) => `${t.toFixed(0)} ms`).join(' ')}; ${(r.bytes / 1e6).toFixed(2)} MB; ${r.rowGroups} row groups; ${r.codecs}; DuckDB: ${r.differentRows === 0 ? 'same rows' : `${r.differentRows} rows differ`})`,
    ),
  ].join('\n');
}

if (
  /parquet-writers-bench\.[cm]?[jt]s$/.test(process.argv[1] ?? '') &&
  import.meta.url === pathToFileURL(process.argv[1]!).href
) {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, runs: { type: 'string' }, writers: { type: 'string' } },
  });
  const rows = Number(values.rows ?? 400_000);
  const writers = values.writers?.split(',') as WriterName[] | undefined;
  const results = await runParquetWritersBench(rows, Number(values.runs ?? 5), writers);
  console.log(formatParquetWritersBench(results, rows));
}
