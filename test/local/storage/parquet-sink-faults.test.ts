/**
 * The Parquet sink under file-system faults, injected through its file-system seam (this machine
 * runs tests as root: permissions would not stop a write). A full disk mid-batch, a read-only or
 * inaccessible folder, a staged copy that cannot be removed: the recorder keeps and retries what is
 * not stored, every row ends up on disk exactly once when the fault clears, no partial staging file
 * is left behind, and the counts say what is on disk.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { TradeEvent } from '../../../core/market/events.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import { Recorder, type RecorderWarning } from '../../../fargate/recorder/recorder.ts';
import { openDuckDb, parquetFiles, readParquetSql } from '../../../local/storage/duckdb.ts';
import { ParquetSink } from '../../../local/storage/parquet-sink.ts';
import { nodeFileSystem, type SinkFileSystem } from '../../../local/storage/sink-file-system.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sink-faults-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = 1723161253937085;
const SYMBOLS = 6;
const instruments = Array.from({ length: SYMBOLS }, (_, s) =>
  makeInstrument({
    exchange: 'binance',
    venueSymbol: `C${s}USDT`,
    symbol: `C${s}/USDT`,
    base: `C${s}`,
    quote: 'USDT',
    kind: 'spot',
    priceScale: 2,
    sizeScale: 8,
  }),
);

function errno(code: string, call: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${call} '${path}'`), { code, syscall: call, path });
}

type Fault = 'none' | 'disk_full' | 'read_only' | 'no_access';

/** node:fs with faults on demand; `fired` counts the faults that actually happened. */
class FaultyFileSystem implements SinkFileSystem {
  fault: Fault = 'none';
  /** disk_full: files that still fit; the next one is written in part, then ENOSPC. */
  roomForFiles = 0;
  /** Removing a file fails (after a successful link, say) with EIO. */
  unlinkFails = false;
  fired = 0;
  private readonly real = nodeFileSystem;

  private check(call: string, path: string): void {
    const code = this.fault === 'read_only' ? 'EROFS' : this.fault === 'no_access' ? 'EACCES' : undefined;
    if (!code) return;
    this.fired++;
    throw errno(code, call, path);
  }

  private full(path: string, data: Uint8Array, write: (d: Uint8Array) => void): void {
    this.check('open', path);
    if (this.fault === 'disk_full' && this.roomForFiles-- <= 0) {
      write(data.subarray(0, Math.floor(data.length / 2))); // what fitted
      this.fired++;
      throw errno('ENOSPC', 'write', path);
    }
    write(data);
  }

  mkdir = async (path: string, o: { recursive: true }) => {
    this.check('mkdir', path);
    return this.real.mkdir(path, o);
  };
  writeFile = async (path: string, data: Uint8Array) =>
    this.full(path, data, (d) => this.real.writeFileSync(path, d));
  link = async (a: string, b: string) => {
    this.check('link', b);
    return this.real.link(a, b);
  };
  unlink = async (path: string) => {
    if (this.unlinkFails) {
      this.fired++;
      throw errno('EIO', 'unlink', path);
    }
    return this.real.unlink(path);
  };
  rename = async (a: string, b: string) => this.real.rename(a, b);
  readdir = async (path: string) => this.real.readdir(path);
  rm = async (path: string, o: { recursive: true; force: true }) => this.real.rm(path, o);
  mkdirSync = (path: string, o: { recursive: true }) => {
    this.check('mkdir', path);
    return this.real.mkdirSync(path, o);
  };
  writeFileSync = (path: string, data: Uint8Array) =>
    this.full(path, data, (d) => this.real.writeFileSync(path, d));
  linkSync = (a: string, b: string) => {
    this.check('link', b);
    this.real.linkSync(a, b);
  };
  unlinkSync = (path: string) => {
    if (this.unlinkFails) {
      this.fired++;
      throw errno('EIO', 'unlink', path);
    }
    this.real.unlinkSync(path);
  };
  renameSync = (a: string, b: string) => this.real.renameSync(a, b);
  readdirSync = (path: string) => this.real.readdirSync(path);
  existsSync = (path: string) => this.real.existsSync(path);
}

function trade(i: number): TradeEvent {
  return {
    type: 'trade',
    exchange: 'binance',
    symbol: instruments[i % SYMBOLS]!.symbol,
    exchangeTs: T0 + i,
    localTs: T0 + i,
    tradeId: String(i),
    price: 5_000_000 + i,
    size: 1 + i,
    side: 'buy',
  };
}

async function setup(syncIo: boolean) {
  const root = tempDir();
  const fs = new FaultyFileSystem();
  const sink = await ParquetSink.open({ root, fs, syncIo });
  let now = 0;
  const warnings: RecorderWarning[] = [];
  const recorder = new Recorder({
    sink,
    clock: () => now,
    pollIntervalMs: 0,
    random: () => 0,
    retry: { initialMs: 100, maxMs: 400, multiplier: 2, jitter: 0 },
    policy: { maxRows: 10_000, maxDelayMs: 1_000 },
    onWarning: (w) => warnings.push(w),
  });
  let next = 0;
  const record = (n: number) => {
    for (let k = 0; k < n; k++) {
      const i = next++;
      recorder.recordTrade(trade(i), instruments[i % SYMBOLS]!);
    }
  };
  /** Advance the clock, poll, and wait for the sink (real file I/O) to settle. */
  const advance = async (ms: number) => {
    now += ms;
    recorder.poll();
    await settled(recorder);
  };
  return { root, fs, sink, recorder, warnings, record, advance, recorded: () => next };
}

/** Wait until no write is in flight (the sink does real file I/O). */
async function settled(recorder: Recorder): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (recorder.stats().trade.inFlight === 0) return;
    await tick();
  }
  throw new Error('a write is still in flight');
}

async function tradeIds(root: string): Promise<number[]> {
  const files = parquetFiles(join(root, 'trade'));
  if (files.length === 0) return [];
  const db = await openDuckDb();
  try {
    const rows = (
      await db.connection.runAndReadAll(`SELECT trade_id FROM ${readParquetSql(files)} ORDER BY rec_seq`)
    ).getRowObjectsJson() as Array<{ trade_id: string }>;
    return rows.map((r) => Number(r.trade_id));
  } finally {
    db.close();
  }
}

function stagingFiles(root: string): string[] {
  const base = join(root, '.staging');
  try {
    return readdirSync(base).flatMap((d) => readdirSync(join(base, d)).map((f) => `${d}/${f}`));
  } catch {
    return [];
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe.each([
  ['on the event loop', false],
  ['with synchronous calls (writer threads)', true],
])('ParquetSink faults, %s', (_name, syncIo) => {
  it('disk full mid-batch: the placed files count, no partial staging file stays, the rest is retried once', async () => {
    const s = await setup(syncIo);
    s.fs.fault = 'disk_full';
    s.fs.roomForFiles = 2;
    s.record(60); // 6 symbols: 6 files per batch
    await s.advance(1_000);
    expect(s.fs.fired).toBeGreaterThan(0);
    const t = s.recorder.stats().trade;
    // Exactly what is on disk is counted written: 2 files of 10 rows.
    expect(parquetFiles(join(s.root, 'trade'))).toHaveLength(2);
    expect(t).toMatchObject({
      accepted: 60,
      written: 20,
      files: 2,
      waiting: 40,
      writeFailures: 1,
      retrying: true,
    });
    expect((await tradeIds(s.root)).length).toBe(20);
    expect(stagingFiles(s.root)).toEqual([]); // the half-written file was removed
    expect(s.warnings[0]).toMatchObject({ type: 'write_failed', kind: 'trade', rows: 40, code: 'ENOSPC' });

    // Still full: the retry fails whole; rows recorded meanwhile join the kept ones.
    s.fs.roomForFiles = 0;
    s.record(12);
    await s.advance(100);
    expect(s.recorder.stats().trade).toMatchObject({ written: 20, waiting: 52, writeFailures: 2 });
    expect(stagingFiles(s.root)).toEqual([]);

    s.fs.fault = 'none';
    await s.advance(200);
    const ids = await tradeIds(s.root);
    expect([...ids].sort((a, b) => a - b)).toEqual(range(72)); // every row once
    const done = s.recorder.stats().trade;
    expect(done).toMatchObject({ accepted: 72, written: 72, waiting: 0, dropped: 0, retrying: false });
    expect(done.files).toBe(parquetFiles(join(s.root, 'trade')).length);
    expect(s.warnings.at(-1)).toMatchObject({ type: 'write_recovered', failedAttempts: 2 });
    await s.recorder.close();
    expect(readdirSync(join(s.root, '.staging'))).toEqual([]);
  });

  it.each([
    ['read-only folder', 'read_only', 'EROFS'],
    ['folder without write access', 'no_access', 'EACCES'],
  ] as const)(
    '%s: nothing stored while it lasts, every row once when it clears',
    async (_what, fault, code) => {
      const s = await setup(syncIo);
      s.fs.fault = fault;
      s.record(30);
      await s.advance(1_000);
      await s.advance(100);
      s.record(30);
      await s.advance(200);
      expect(s.fs.fired).toBeGreaterThanOrEqual(3);
      expect(s.recorder.stats().trade).toMatchObject({ written: 0, files: 0, waiting: 60, writeFailures: 3 });
      expect(parquetFiles(s.root)).toEqual([]);
      expect(stagingFiles(s.root)).toEqual([]);
      expect(s.warnings.filter((w) => w.type === 'write_failed')).toEqual([
        expect.objectContaining({ code, rows: 30, heldBack: 0 }),
      ]);
      s.fs.fault = 'none';
      await s.advance(400);
      expect([...(await tradeIds(s.root))].sort((a, b) => a - b)).toEqual(range(60));
      expect(s.recorder.stats().trade).toMatchObject({
        accepted: 60,
        written: 60,
        waiting: 0,
        retrying: false,
      });
      await s.recorder.close();
    },
  );

  it('a file linked into place counts as written even when removing its staged copy fails', async () => {
    const s = await setup(syncIo);
    s.fs.unlinkFails = true;
    s.record(12);
    await s.advance(1_000);
    expect(s.fs.fired).toBe(SYMBOLS); // every staged copy stayed
    expect(s.recorder.stats().trade).toMatchObject({ written: 12, files: SYMBOLS, writeFailures: 0 });
    expect([...(await tradeIds(s.root))].sort((a, b) => a - b)).toEqual(range(12));
    expect(stagingFiles(s.root)).toHaveLength(SYMBOLS);
    await s.recorder.close(); // the staging folder goes as a whole
    expect(readdirSync(join(s.root, '.staging'))).toEqual([]);
    expect(s.warnings).toEqual([]);
  });
});
