/**
 * The recorder's local sink: each batch becomes Parquet files under
 * `<root>/<kind>/exchange=/symbol=/date=/hour=/part-<seq>.parquet` (core/recording/partition-path.ts).
 *
 * How rows get into DuckDB — measured on the 2-core dev machine (shared, so ±2× run to run; see
 * bench/ingest/recorder-bench.ts for current numbers):
 * - chosen: a JS table function that DuckDB pulls chunks from, straight out of the recorder's column
 *   buffers, inside `COPY (SELECT …) TO … (PARTITION_BY …)`. No staging table and no text round trip.
 *   Chunks are filled on the event loop, one call at a time, sized to about a millisecond of work
 *   (≤ 2048 rows, ~560 for a top-20 book row), so the feed keeps running between them.
 * - rejected: appender into a temp table, then COPY (~0.6× the throughput: the table append costs
 *   more than the Parquet write, and each append blocks the event loop); row-by-row appender with
 *   typed appends (~0.5×); CSV text + read_csv (~0.4×: formatting every decimal in JS).
 * Integer units become DECIMAL(38,18) in SQL, exactly (BIGINT × 10^-scale as decimals), with only
 * the scales present in the batch in the expression: a CASE over all 19 possible scales on a
 * top-20 row cost 1.5× the CPU of a single scale.
 *
 * DuckDB writes each batch partitioned by (pid, hour since the epoch) into a private staging folder;
 * the files are then hard-linked into their final partition folder under the next free part number
 * (a link never overwrites, so two writers cannot clobber each other) — readers never see a
 * half-written file, and a crash leaves at most a stale `.staging/` folder.
 */
import { existsSync, readdirSync } from 'node:fs';
import { link, mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DOUBLE, DuckDBTableFunction, VARCHAR } from '@duckdb/node-api';
import { MAX_SCALE } from '../../core/num/pow10.ts';
import { partFileName, partitionDir, partSeq, utcDateHour } from '../../core/recording/partition-path.ts';
import type { RecordingSink, RowBatch } from '../../core/recording/recording-sink.ts';
import type { RecordingTable, StoredColumn } from '../../core/recording/recording-tables.ts';
import { LOCAL_TS_SLOT, PID_SLOT } from '../../core/recording/recording-tables.ts';
import { type DuckDb, openDuckDb, sqlIdent, sqlString } from './duckdb.ts';

export type ParquetCompression = 'zstd' | 'snappy' | 'uncompressed';

export interface ParquetSinkOptions {
  /** Recording root folder (created when missing). */
  root: string;
  /** zstd (default: DECIMAL(38,18) columns shrink ~10× against snappy at about the same speed). */
  compression?: ParquetCompression;
  /**
   * DuckDB worker threads (default: all cores but one). The feed runs on the JS thread; leaving it a
   * core keeps writes from stalling it (with both cores busy in DuckDB, the event loop stalled up to
   * 20–60 ms on the 2-core dev machine).
   */
  threads?: number;
}

interface Scan {
  batch: RowBatch;
  pos: number;
}

export interface ParquetSinkStats {
  batches: number;
  rows: number;
  files: number;
  /** Time spent filling DuckDB chunks on the JS thread (ms, total). */
  fillMs: number;
  /** The longest single chunk fill: the longest the recorder held up the event loop (ms). */
  longestFillMs: number;
}

let stagingCounter = 0;

export class ParquetSink implements RecordingSink {
  readonly root: string;
  private readonly compression: ParquetCompression;
  /** Registered table functions by name (kept referenced for the connection's lifetime). */
  private readonly scans = new Map<string, DuckDBTableFunction>();
  private current: Scan | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly nextSeq = new Map<string, number>();
  private readonly stagingRoot: string;
  private closed = false;
  private readonly counters: ParquetSinkStats = {
    batches: 0,
    rows: 0,
    files: 0,
    fillMs: 0,
    longestFillMs: 0,
  };

  private constructor(
    private readonly db: DuckDb,
    options: ParquetSinkOptions,
  ) {
    this.root = options.root;
    this.compression = options.compression ?? 'zstd';
    this.stagingRoot = join(this.root, '.staging', `${process.pid}-${Date.now()}-${stagingCounter++}`);
  }

  static async open(options: ParquetSinkOptions): Promise<ParquetSink> {
    await mkdir(options.root, { recursive: true });
    const db = await openDuckDb(':memory:', options.threads ?? Math.max(1, availableParallelism() - 1));
    return new ParquetSink(db, options);
  }

  /** Writes run one at a time, in call order. */
  write(batch: RowBatch): Promise<readonly string[]> {
    if (this.closed) return Promise.reject(new Error('ParquetSink is closed'));
    const result = this.queue.then(() => this.writeNow(batch));
    this.queue = result.catch(() => undefined);
    return result;
  }

  stats(): ParquetSinkStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await rm(this.stagingRoot, { recursive: true, force: true });
    this.db.close();
  }

  private async writeNow(batch: RowBatch): Promise<string[]> {
    if (batch.rows.count === 0) return [];
    const staging = join(this.stagingRoot, String(stagingCounter++));
    await mkdir(this.stagingRoot, { recursive: true });
    this.current = { batch, pos: 0 };
    try {
      await this.db.connection.run(this.copySql(batch, staging));
    } finally {
      this.current = undefined;
    }
    const files = await this.publish(batch, staging);
    await rm(staging, { recursive: true, force: true });
    this.counters.batches++;
    this.counters.rows += batch.rows.count;
    this.counters.files += files.length;
    return files;
  }

  /** COPY (SELECT stored columns + pid and hour FROM the batch) TO staging, partitioned. */
  private copySql(batch: RowBatch, staging: string): string {
    const table = batch.table;
    const fn = this.scanFunction(table);
    const scales = {
      price: scalesIn(batch, table.priceScaleSlot),
      size: scalesIn(batch, table.sizeScaleSlot),
    };
    const exprs = table.columns.map((c) => `${columnSql(c, table, batch, scales)} AS ${sqlIdent(c.name)}`);
    // Partition by hours since the epoch (an integer, cheaper than formatting dates per row);
    // publish() turns it into date=/hour=.
    exprs.push(
      `CAST(n${PID_SLOT} AS INTEGER) AS pid`,
      `coalesce(CAST(floor(n${LOCAL_TS_SLOT} / ${HOUR_MICROS}) AS BIGINT), 0) AS h`,
    );
    return `COPY (SELECT ${exprs.join(', ')} FROM ${fn}()) TO ${sqlString(staging)} (FORMAT parquet, COMPRESSION ${this.compression}, PARTITION_BY (pid, h))`;
  }

  /** The table function that streams the current batch's columns (registered once per table shape). */
  private scanFunction(table: RecordingTable): string {
    const name = `rec_scan_${table.name}`;
    if (this.scans.has(name)) return name;
    const numbers = table.numbers.length;
    const texts = table.texts.length;
    const chunkRows = chunkRowsFor(numbers, texts);
    const fn = DuckDBTableFunction.create({
      name,
      bindFunction: (bind) => {
        for (let c = 0; c < numbers; c++) bind.addResultColumn(`n${c}`, DOUBLE);
        for (let c = 0; c < texts; c++) bind.addResultColumn(`t${c}`, VARCHAR);
      },
      initFunction: () => {},
      mainFunction: (info, out) => {
        const started = performance.now();
        try {
          const scan = this.current;
          const rows = scan?.batch.rows;
          const n = scan && rows ? Math.min(chunkRows, rows.count - scan.pos) : 0;
          out.rowCount = n;
          if (n === 0 || !scan || !rows) return;
          const first = scan.pos;
          for (let c = 0; c < numbers; c++) {
            const v = out.getColumnVector(c);
            const col = rows.numbers[c]!;
            for (let i = 0; i < n; i++) {
              const x = col[rows.index(first + i)]!;
              // NaN (no level, no sequence) and ±Infinity become NULL, so the SQL can use plain CASTs
              // and one bad number never fails a whole batch. (x - x is 0 only for finite x.)
              v.setItem(i, x - x === 0 ? x : null);
            }
            v.flush();
          }
          for (let c = 0; c < texts; c++) {
            const v = out.getColumnVector(numbers + c);
            const col = rows.texts[c]!;
            for (let i = 0; i < n; i++) v.setItem(i, col[rows.index(first + i)] ?? '');
            v.flush();
          }
          scan.pos += n;
        } catch (error) {
          info.setError(error instanceof Error ? error.message : String(error));
        }
        const ms = performance.now() - started;
        this.counters.fillMs += ms;
        if (ms > this.counters.longestFillMs) this.counters.longestFillMs = ms;
      },
    });
    this.db.connection.registerTableFunction(fn);
    this.scans.set(name, fn);
    return name;
  }

  /** Move staged files (pid=/h=/*.parquet) to their partitions under fresh part numbers. */
  private async publish(batch: RowBatch, staging: string): Promise<string[]> {
    const out: string[] = [];
    if (!existsSync(staging)) return out;
    for (const pidDir of await readdir(staging)) {
      const pid = Number(pidDir.slice('pid='.length));
      const partition = batch.partitions[pid];
      if (!partition) throw new Error(`staged rows for unknown partition ${pidDir}`);
      for (const hourDir of await readdir(join(staging, pidDir))) {
        const from = join(staging, pidDir, hourDir);
        const { date, hour } = utcDateHour(Number(hourDir.slice('h='.length)) * HOUR_MICROS);
        const dir = join(
          this.root,
          partitionDir(batch.table.kind, partition.exchange, partition.symbol, date, hour),
        );
        await mkdir(dir, { recursive: true });
        for (const file of (await readdir(from)).sort()) out.push(await this.place(join(from, file), dir));
      }
    }
    return out;
  }

  private async place(file: string, dir: string): Promise<string> {
    let seq = this.nextSeq.get(dir) ?? firstFreeSeq(dir);
    for (;;) {
      const target = join(dir, partFileName(seq++));
      try {
        await link(file, target);
        await unlink(file);
        this.nextSeq.set(dir, seq);
        return target;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') && !existsSync(target)) {
          // No hard links here (some container file systems): a rename is atomic too.
          await rename(file, target);
          this.nextSeq.set(dir, seq);
          return target;
        }
        throw error;
      }
    }
  }
}

/**
 * Rows per table-function call. Each call fills its chunk on the event loop, so wide rows get short
 * chunks: ~50 k numbers (a string counts as 25) is about a millisecond, keeping the feed's
 * worst-case wait on the recorder near 1 ms. DuckDB's vectors hold at most 2048 rows.
 */
function chunkRowsFor(numbers: number, texts: number): number {
  return Math.max(64, Math.min(2048, Math.floor(50_000 / (numbers + 25 * texts))));
}
const HOUR_MICROS = 3_600_000_000;

function firstFreeSeq(dir: string): number {
  let next = 0;
  for (const name of readdirSync(dir)) {
    const seq = partSeq(name);
    if (seq !== undefined && seq >= next) next = seq + 1;
  }
  return next;
}

/** The distinct values of a scale slot in the batch (usually one). */
function scalesIn(batch: RowBatch, slot: number): number[] {
  if (slot < 0) return [];
  const rows = batch.rows;
  const col = rows.numbers[slot]!;
  const seen = new Set<number>();
  let last = Number.NaN;
  for (let i = 0; i < rows.count; i++) {
    const s = col[rows.index(i)]!;
    if (s !== last) {
      seen.add(s);
      last = s;
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * Integer units (a DOUBLE holding an integer; NaN for none) at `scale` → DECIMAL(38,18), exactly:
 * BIGINT → DECIMAL(18,0) times 10^-scale as a DECIMAL(18,scale) literal is integer arithmetic.
 */
function unitsToDecimal(units: string, scale: number): string {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) throw new RangeError(`bad scale ${scale}`);
  const unit = scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`;
  return `(CAST(${units} AS BIGINT)::DECIMAL(18,0) * ${unit}::DECIMAL(18,${scale}))::DECIMAL(38,18)`;
}

/** The conversion for the scales present: one expression, or a CASE over the few that occur. */
function decimalSql(units: string, scaleSlot: number, scales: readonly number[]): string {
  if (scales.length === 0) return 'NULL::DECIMAL(38,18)';
  if (scales.length === 1) return unitsToDecimal(units, scales[0]!);
  const cases = scales.map((s) => `WHEN ${s} THEN ${unitsToDecimal(units, s)}`);
  return `CASE CAST(n${scaleSlot} AS INTEGER) ${cases.join(' ')} END`;
}

function columnSql(
  c: StoredColumn,
  table: RecordingTable,
  batch: RowBatch,
  scales: { price: readonly number[]; size: readonly number[] },
): string {
  const n = `n${c.slot}`;
  switch (c.type) {
    case 'session':
      return `${Math.trunc(batch.session)}::BIGINT`;
    case 'bigint':
      return `CAST(${n} AS BIGINT)`;
    case 'int':
      return `CAST(${n} AS INTEGER)`;
    case 'double':
      return n;
    case 'price':
      return decimalSql(n, table.priceScaleSlot, scales.price);
    case 'size':
      return decimalSql(n, table.sizeScaleSlot, scales.size);
    case 'code':
      return `list_extract([${(c.values ?? []).map(sqlString).join(', ')}], CAST(${n} AS INTEGER) + 1)`;
    case 'text':
      return `t${c.slot}`;
    case 'venue_symbol':
      return `list_extract([${batch.partitions.map((p) => sqlString(p.venueSymbol)).join(', ')}], CAST(n${PID_SLOT} AS INTEGER) + 1)`;
  }
}
