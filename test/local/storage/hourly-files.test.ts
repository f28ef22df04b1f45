/**
 * Hourly files: one Parquet file per (table, exchange, symbol, hour) however often the recorder
 * flushes, a row group per flush, placed atomically when its hour closes; a restart within the hour
 * adds a second part; a recorder killed with SIGKILL mid-write loses nothing it had stored, and no
 * reader ever sees a half-written file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { openDuckDb, parquetFiles, readParquetSql } from '../../../local/storage/duckdb.ts';
import { ParquetSink } from '../../../local/storage/parquet-sink.ts';
import { cleanStaleStaging } from '../../../local/storage/staging.ts';
import { HOUR, instruments, recordBatch } from './hourly-session.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hourly-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function relativeFiles(root: string): string[] {
  return parquetFiles(root).map((f) => relative(root, f).split('\\').join('/'));
}

/** A file as hyparquet sees it: its row groups and rows (throws on a torn file). */
async function readWithHyparquet(
  path: string,
): Promise<{ rowGroups: number; rows: Record<string, unknown>[] }> {
  const bytes = readFileSync(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const meta = parquetMetadata(file);
  return { rowGroups: meta.row_groups.length, rows: await parquetReadObjects({ file }) };
}

async function tradeRows(
  root: string,
): Promise<Array<{ trade_id: string; price_units: string; size_units: string }>> {
  const db = await openDuckDb();
  try {
    const sql = `SELECT trade_id, price_units::VARCHAR AS price_units, size_units::VARCHAR AS size_units
      FROM ${readParquetSql(parquetFiles(join(root, 'trade')))} ORDER BY rec_seq`;
    return (await db.connection.runAndReadAll(sql)).getRowObjectsJson() as Array<{
      trade_id: string;
      price_units: string;
      size_units: string;
    }>;
  } finally {
    db.close();
  }
}

describe('hourly Parquet files', () => {
  it('a session of many flushes: one file per (table, exchange, symbol, hour), a row group per flush, exact values', async () => {
    const root = tempDir();
    const symbols = instruments(3);
    const sink = await ParquetSink.open({ root });
    const recorder = new Recorder({ sink, pollIntervalMs: 0 });
    for (let b = 0; b < 20; b++) {
      recordBatch(recorder, symbols, b, 30, 1_000_000); // a second apart: one hour
      await recorder.flush();
    }
    expect(relativeFiles(root)).toEqual([]); // the hour is open: nothing half-written to see
    expect(sink.stats()).toMatchObject({ rows: 600, rowGroups: 60, openFiles: 3, files: 0 });
    await recorder.close();
    expect(relativeFiles(root)).toEqual(
      [0, 1, 2].map(
        (s) => `trade/exchange=binance/symbol=C${s}-USDT/date=2024-08-08/hour=23/part-000000.parquet`,
      ),
    );
    expect(recorder.stats().trade).toMatchObject({ accepted: 600, written: 600, batches: 20, files: 3 });
    // DuckDB: every row once, exact integer units.
    const rows = await tradeRows(root);
    expect(rows.map((r) => Number(r.trade_id))).toEqual(range(600));
    expect(
      rows.every((r, i) => r.price_units === String(5_000_000 + i) && r.size_units === String(1 + i)),
    ).toBe(true);
    const db = await openDuckDb();
    try {
      const meta = (
        await db.connection.runAndReadAll(
          `SELECT count(DISTINCT row_group_id)::INTEGER AS groups FROM parquet_metadata(${JSON.stringify(parquetFiles(root)[0]).replaceAll('"', "'")})`,
        )
      ).getRowObjectsJson();
      expect(meta).toEqual([{ groups: 20 }]);
    } finally {
      db.close();
    }
    // hyparquet: 20 row groups per file, the same values.
    for (const [s, path] of parquetFiles(root).entries()) {
      const file = await readWithHyparquet(path);
      expect(file.rowGroups).toBe(20);
      expect(file.rows.map((r) => Number(r.trade_id))).toEqual(range(600).filter((i) => i % 3 === s));
      expect(file.rows.map((r) => r.price_units)).toEqual(
        range(600)
          .filter((i) => i % 3 === s)
          .map((i) => BigInt(5_000_000 + i)),
      );
    }
  });

  it('an hour closes when the table records a later hour: its files are placed mid-session', async () => {
    const root = tempDir();
    const symbols = instruments(2);
    const sink = await ParquetSink.open({ root });
    const recorder = new Recorder({ sink, pollIntervalMs: 0 });
    recordBatch(recorder, symbols, 0, 10, HOUR);
    await recorder.flush();
    expect(relativeFiles(root)).toEqual([]);
    recordBatch(recorder, symbols, 1, 10, HOUR); // 2024-08-09 00h
    await recorder.flush();
    expect(relativeFiles(root)).toEqual([
      'trade/exchange=binance/symbol=C0-USDT/date=2024-08-08/hour=23/part-000000.parquet',
      'trade/exchange=binance/symbol=C1-USDT/date=2024-08-08/hour=23/part-000000.parquet',
    ]);
    expect(recorder.stats().trade.files).toBe(2);
    await recorder.close();
    expect(relativeFiles(root)).toHaveLength(4);
    expect((await tradeRows(root)).map((r) => Number(r.trade_id))).toEqual(range(20));
  });

  it('a restart within the hour adds part-000001 beside the first session’s file', async () => {
    const root = tempDir();
    const symbols = instruments(1);
    for (const session of [0, 1]) {
      const recorder = new Recorder({ sink: await ParquetSink.open({ root }), pollIntervalMs: 0 });
      recordBatch(recorder, symbols, session, 5, 1_000);
      await recorder.close();
    }
    expect(relativeFiles(root)).toEqual([
      'trade/exchange=binance/symbol=C0-USDT/date=2024-08-08/hour=23/part-000000.parquet',
      'trade/exchange=binance/symbol=C0-USDT/date=2024-08-08/hour=23/part-000001.parquet',
    ]);
    expect((await tradeRows(root)).map((r) => Number(r.trade_id)).sort((a, b) => a - b)).toEqual(range(10));
  });

  it('kill -9 mid-write: readers only ever see whole files, and recovery finishes every committed row', async () => {
    const root = tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./hourly-sink-child.ts', import.meta.url)), root],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let reported = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Whatever a reader sees while the child writes is a whole file (a placed file never changes:
    // each is read once, when it appears).
    const seen = new Set<string>();
    const killed = new Promise<void>((resolve) => {
      let buffered = '';
      child.stdout.on('data', async (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) reported = Math.max(reported, Number(line));
        if (reported >= 3_000 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    const watch = (async () => {
      while (child.exitCode === null && child.signalCode === null) {
        for (const path of parquetFiles(root)) {
          if (seen.has(path)) continue;
          seen.add(path);
          const file = await readWithHyparquet(path).catch(() => undefined);
          expect(file, path).toBeDefined();
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.race([killed, exited]);
    const signal = await exited;
    await watch;
    expect(signal, stderr).toBe('SIGKILL'); // the fault fired: the child died mid-session, not on its own
    expect(seen.size).toBeGreaterThan(0); // hours closed (and were read) while it ran

    const placedBefore = parquetFiles(root).length;
    const report = await cleanStaleStaging(root); // the child's pid is gone
    expect(report.folders).toBe(1);
    expect(report.recoveredFiles).toBeGreaterThan(0);
    expect(parquetFiles(root).length).toBe(placedBefore + report.recoveredFiles);
    const ids = (await tradeRows(root)).map((r) => Number(r.trade_id));
    // Every row the child reported stored is there, once; beyond the unbroken run of ids only part
    // of the one batch being written when it died (60 rows).
    expect(new Set(ids).size).toBe(ids.length);
    const sorted = [...ids].sort((a, b) => a - b);
    let unbroken = 0;
    while (sorted[unbroken] === unbroken) unbroken++;
    expect(unbroken).toBeGreaterThanOrEqual(reported);
    expect(sorted.at(-1)! - Math.floor(unbroken / 60) * 60).toBeLessThan(60);
    for (const path of parquetFiles(root)) await readWithHyparquet(path);
  }, 60_000);
});
