import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { L2Book } from '../../../core/book/l2-book.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import type { RecordingSink } from '../../../core/recording/recording-sink.ts';
import {
  bookTable,
  LOCAL_TS_SLOT,
  PID_SLOT,
  REC_SEQ_SLOT,
} from '../../../core/recording/recording-tables.ts';
import { RowRing } from '../../../core/recording/row-ring.ts';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { openDuckDb, parquetFiles, readParquetSql } from '../../../local/storage/duckdb.ts';
import { ParquetSink } from '../../../local/storage/parquet-sink.ts';
import { cleanStaleStaging } from '../../../local/storage/staging.ts';
import { ThreadedParquetSink } from '../../../local/storage/threaded-parquet-sink.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'threaded-sink-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = 1723161253937085; // 2024-08-08T23:54:13Z: the rows cross into the next day's hour 00
const SESSION = 1_700_000_000_000_000;

const instruments = Array.from({ length: 13 }, (_, s) =>
  makeInstrument({
    exchange: s % 3 === 0 ? 'bybit' : 'binance',
    venueSymbol: `C${s}USDT`,
    symbol: `C${s}/USDT`,
    base: `C${s}`,
    quote: 'USDT',
    kind: 'spot',
    priceScale: 2,
    sizeScale: 8,
  }),
);

/** The same session into any sink: books, trades, raw frames and events over 13 symbols, in bursts. */
async function recordSession(sink: RecordingSink): Promise<Recorder> {
  const recorder = new Recorder({
    sink,
    depth: 5,
    session: SESSION,
    pollIntervalMs: 0,
    // Small batches: many flushes, rings reused and wrapped while batches are in flight.
    policy: { maxRows: 331, maxBufferedRows: 100_000 },
  });
  const book = new L2Book();
  for (let step = 0; step < 2_400; step++) {
    const i = instruments[step % instruments.length]!;
    const ts = T0 + step * 250_000; // 600 s: crosses the hour
    book.set(true, 6_000_000 - (step % 7), 1_000 + step);
    book.set(false, 6_000_010 + (step % 5), 2_000 + step);
    if (step % 11 === 0) book.set(true, 5_999_000 + (step % 13), 0); // a removal now and then
    recorder.recordBookLevels(
      i,
      ts,
      ts - 700,
      step % 4 === 0 ? Number.NaN : 50_000 + step,
      book.bids,
      book.asks,
    );
    recorder.recordMessage(i.exchange, `c${step % 3}`, ts, `{"u":${step},"s":"${i.venueSymbol}","é":"ü"}`);
    if (step % 2 === 0)
      recorder.recordTrade(
        {
          type: 'trade',
          exchange: i.exchange,
          symbol: i.symbol,
          exchangeTs: ts - 900,
          localTs: ts,
          tradeId: `t-${step}`,
          price: 6_000_005,
          size: 10 + step,
          side: step % 4 === 0 ? 'buy' : 'sell',
        },
        i,
      );
    if (step % 50 === 0)
      recorder.recordEvent({
        type: 'quality',
        exchange: i.exchange,
        symbol: i.symbol,
        exchangeTs: ts,
        localTs: ts,
        score: 90 + (step % 10),
        issues: step % 100 === 0 ? ['gap', 'crossed'] : [],
      });
    if (step % 64 === 63) await tick(); // let flushes start mid-session
    if (step % 400 === 399) await recorder.flush(); // and finish: batches reuse both rings
  }
  await recorder.close();
  return recorder;
}

const KINDS = ['raw', 'book', 'trade', 'event'] as const;

/** Every table's rows in rec_seq order (one DuckDB for all four). */
async function tablesOf(root: string): Promise<Record<string, Array<Record<string, unknown>>>> {
  const db = await openDuckDb();
  try {
    const out: Record<string, Array<Record<string, unknown>>> = {};
    for (const kind of KINDS) {
      const files = parquetFiles(join(root, kind));
      if (files.length === 0) continue;
      const sql = `SELECT * FROM ${readParquetSql(files)} ORDER BY rec_seq`;
      out[kind] = (await db.connection.runAndReadAll(sql)).getRowObjectsJson() as Array<
        Record<string, unknown>
      >;
    }
    return out;
  } finally {
    db.close();
  }
}

function partitionsOf(root: string): string[] {
  const dirs = parquetFiles(root).map((f) =>
    relative(root, f)
      .split('\\')
      .join('/')
      .replace(/\/part-\d+\.parquet$/, ''),
  );
  return [...new Set(dirs)].sort();
}

describe('ThreadedParquetSink', () => {
  it('writes the same partitions and rows as ParquetSink, with 2 and 3 writer threads (each partition on one)', async () => {
    const reference = tempDir();
    const inline = await recordSession(await ParquetSink.open({ root: reference }));
    const expected = await tablesOf(reference);
    expect(expected.book!.length).toBe(2_400);
    for (const threads of [2, 3]) {
      const root = tempDir();
      const sink = await ThreadedParquetSink.open({ root, threads });
      const recorder = await recordSession(sink);
      const stats = recorder.stats();
      const actual = await tablesOf(root);
      for (const kind of KINDS) {
        expect(stats[kind].written, `${kind}, ${threads} threads`).toBe(inline.stats()[kind].accepted);
        expect(stats[kind].failed + stats[kind].dropped).toBe(0);
        expect(actual[kind], `${kind}, ${threads} threads`).toEqual(expected[kind]);
      }
      expect(partitionsOf(root)).toEqual(partitionsOf(reference));
      const hours = new Set(partitionsOf(root).map((p) => p.slice(p.indexOf('/date='))));
      expect([...hours].sort()).toEqual(['/date=2024-08-08/hour=23', '/date=2024-08-09/hour=00']);
      expect(stats.book.batches).toBeGreaterThanOrEqual(6);
      expect(sink.stats().restarts).toBe(0);
    }
  });

  it('reads a wrapped ring in place (shared) or from a copy (plain), oldest row first', async () => {
    for (const shared of [true, false]) {
      const table = bookTable(1);
      const ring = new RowRing(table.numbers.length, 0, 4, Number.POSITIVE_INFINITY, 4, shared);
      for (let k = 0; k < 6; k++) {
        const at = ring.push() * ring.width;
        ring.data.fill(Number.NaN, at, at + ring.width);
        ring.data[at + PID_SLOT] = k % 2;
        ring.data[at + REC_SEQ_SLOT] = k;
        ring.data[at + LOCAL_TS_SLOT] = T0 + k;
      }
      expect([ring.start, ring.count, ring.dropped]).toEqual([2, 4, 2]); // wrapped: rows 2…5 at slots 2, 3, 0, 1
      const root = tempDir();
      const sink = await ThreadedParquetSink.open({ root, threads: 2 });
      const partitions = [
        { exchange: 'binance', symbol: 'A-USDT', venueSymbol: 'AUSDT' },
        { exchange: 'binance', symbol: 'B-USDT', venueSymbol: 'BUSDT' },
      ];
      const files = await sink.write({ table, session: SESSION, rows: ring, partitions });
      expect(files).toEqual([]); // the hour is still open: its files are placed when it closes
      await sink.close();
      expect(parquetFiles(join(root, 'book'))).toHaveLength(2);
      const rows = (await tablesOf(root)).book!;
      expect(rows.map((r) => [Number(r.rec_seq), r.venue_symbol, Number(r.local_ts)])).toEqual([
        [2, 'AUSDT', T0 + 2],
        [3, 'BUSDT', T0 + 3],
        [4, 'AUSDT', T0 + 4],
        [5, 'BUSDT', T0 + 5],
      ]);
    }
  });

  it('keeps and retries the rows of a thread that cannot write (no crash), replaces it, and recovers', async () => {
    const base = tempDir();
    const blocker = join(base, 'a-file');
    writeFileSync(blocker, 'not a folder'); // a file in the way: ENOTDIR, even for root
    const sink = await ThreadedParquetSink.open({ root: join(blocker, 'data'), threads: 1 });
    const warnings: string[] = [];
    const recorder = new Recorder({ sink, pollIntervalMs: 0, onWarning: (w) => warnings.push(w.type) });
    const book = new L2Book();
    book.set(true, 100, 1);
    book.set(false, 101, 1);
    recorder.recordBookLevels(instruments[0]!, T0, T0, 1, book.bids, book.asks);
    await recorder.flush();
    recorder.recordBookLevels(instruments[1]!, T0, T0, 2, book.bids, book.asks);
    await recorder.flush();
    expect(recorder.stats().book).toMatchObject({ accepted: 2, written: 0, waiting: 2, writeFailures: 2 });
    expect(sink.stats().restarts).toBe(2);
    rmSync(blocker);
    await recorder.flush();
    expect(recorder.stats().book).toMatchObject({ accepted: 2, written: 2, waiting: 0, failed: 0 });
    await recorder.close();
    expect(warnings).toEqual(['write_failed', 'write_recovered']);
    const rows = (await tablesOf(join(blocker, 'data'))).book!;
    expect(rows.map((r) => Number(r.rec_seq)).sort()).toEqual([0, 1]);
  });

  it('a file one thread cannot place at close stays staged, and the next start recovers it', async () => {
    const root = tempDir();
    const sink = await ThreadedParquetSink.open({ root, threads: 2 });
    const recorder = new Recorder({ sink, pollIntervalMs: 0, depth: 5 });
    const book = new L2Book();
    book.set(true, 100, 1);
    book.set(false, 101, 1);
    // Partitions alternate between the two threads; one partition's folder is blocked by a file.
    for (let k = 0; k < 4; k++) recorder.recordBookLevels(instruments[k]!, T0, T0, k, book.bids, book.asks);
    await recorder.flush();
    expect(recorder.stats().book).toMatchObject({ written: 4, writeFailures: 0 });
    const blocked = join(root, 'book', 'exchange=binance', 'symbol=C1-USDT');
    mkdirSync(join(root, 'book', 'exchange=binance'), { recursive: true });
    writeFileSync(blocked, 'in the way');
    await recorder.close();
    expect(parquetFiles(join(root, 'book'))).toHaveLength(3);
    rmSync(blocked);
    const report = await cleanStaleStaging(root, { processStartMs: Date.now() + 1 });
    expect(report).toMatchObject({ folders: 1, recoveredFiles: 1, recoveredRows: 1, failed: 0 });
    const rows = (await tablesOf(root)).book!;
    expect(rows.map((r) => Number(r.rec_seq)).sort()).toEqual([0, 1, 2, 3]);
  });

  it('open() removes the staging folders of processes that are gone, and says so', async () => {
    const root = tempDir();
    const stale = join(root, '.staging', '2147483646-0-1-0'); // no such process
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, '7.parquet'), 'half a file');
    const sink = await ThreadedParquetSink.open({ root });
    expect(sink.staleStaging).toMatchObject({
      folders: 1,
      recoveredFiles: 0,
      files: 1,
      bytes: 11,
      failed: 0,
    });
    expect(existsSync(stale)).toBe(false);
    await sink.close();
  });
});
