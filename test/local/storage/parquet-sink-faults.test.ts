/**
 * The Parquet sink under file-system faults, injected through its file-system seam (this machine
 * runs tests as root: permissions would not stop a write). A full disk mid-batch, a read-only or
 * inaccessible folder, a staged copy that cannot be removed, a file that cannot be placed: the
 * recorder keeps and retries what is not stored, every row ends up on disk exactly once when the
 * fault clears, no torn append is kept in a staged file, and the counts say what is stored.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
import { cleanStaleStaging } from '../../../local/storage/staging.ts';
import { parseSidecar } from '../../../local/storage/staging-sidecar.ts';

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
  /** disk_full: row-group appends that still fit; the next one is written in part, then ENOSPC. */
  roomForAppends = 0;
  /** Removing a file fails (after a successful link, say) with EIO. */
  unlinkFails = false;
  fired = 0;
  private readonly real = nodeFileSystem;
  private readonly names = new Map<number, string>();

  private check(call: string, path: string): void {
    const code = this.fault === 'read_only' ? 'EROFS' : this.fault === 'no_access' ? 'EACCES' : undefined;
    if (!code) return;
    this.fired++;
    throw errno(code, call, path);
  }

  mkdirSync = (path: string, o: { recursive: true }) => {
    this.check('mkdir', path);
    return this.real.mkdirSync(path, o);
  };
  openSync = (path: string, flags: string) => {
    this.check('open', path);
    const fd = this.real.openSync(path, flags);
    this.names.set(fd, path);
    return fd;
  };
  writeSync = (fd: number, data: Uint8Array, position: number) => {
    const path = this.names.get(fd) ?? '?';
    this.check('write', path);
    // A row group: the staged file beyond its magic.
    if (
      this.fault === 'disk_full' &&
      path.endsWith('.staged') &&
      position >= 4 &&
      this.roomForAppends-- <= 0
    ) {
      this.real.writeSync(fd, data.subarray(0, Math.floor(data.length / 2)), position); // what fitted
      this.fired++;
      throw errno('ENOSPC', 'write', path);
    }
    this.real.writeSync(fd, data, position);
  };
  ftruncateSync = (fd: number, length: number) => this.real.ftruncateSync(fd, length);
  fdatasyncSync = (fd: number) => this.real.fdatasyncSync(fd);
  closeSync = (fd: number) => {
    this.names.delete(fd);
    this.real.closeSync(fd);
  };
  readFileSync = (path: string) => this.real.readFileSync(path);
  statSync = (path: string) => this.real.statSync(path);
  truncateSync = (path: string, length: number) => this.real.truncateSync(path, length);
  linkSync = (a: string, b: string) => {
    this.check('link', b);
    this.real.linkSync(a, b);
  };
  renameSync = (a: string, b: string) => this.real.renameSync(a, b);
  unlinkSync = (path: string) => {
    if (this.unlinkFails) {
      this.fired++;
      throw errno('EIO', 'unlink', path);
    }
    this.real.unlinkSync(path);
  };
  readdirSync = (path: string) => this.real.readdirSync(path);
  existsSync = (path: string) => this.real.existsSync(path);
  rmSync = (path: string, o: { recursive: true; force: true }) => this.real.rmSync(path, o);
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

async function setup() {
  const root = tempDir();
  const fs = new FaultyFileSystem();
  const sink = await ParquetSink.open({ root, fs });
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

/** Every staged file is exactly as long as its sidecar says is committed (nothing half-written kept). */
function stagedFilesCommitted(root: string): boolean {
  const base = join(root, '.staging');
  for (const f of stagingFiles(root).filter((n) => n.endsWith('.staged'))) {
    const staged = join(base, f);
    const sidecar = parseSidecar(readFileSync(staged.replace(/\.staged$/, '.sidecar')));
    const committed = sidecar.rowGroups.at(-1)?.committedLength ?? 4;
    if (sidecar.tornBytes !== 0 || statSync(staged).size !== committed) return false;
  }
  return true;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('ParquetSink faults', () => {
  it('disk full mid-batch: the stored row groups count, the torn append is cut back, the rest is retried once', async () => {
    const s = await setup();
    s.fs.fault = 'disk_full';
    s.fs.roomForAppends = 2;
    s.record(60); // 6 symbols: 6 row groups per batch
    await s.advance(1_000);
    expect(s.fs.fired).toBeGreaterThan(0);
    // Exactly what is committed is counted written: 2 row groups of 10 rows; no file placed yet
    // (the hour is open), and every staged file ends where its sidecar says.
    expect(s.recorder.stats().trade).toMatchObject({
      accepted: 60,
      written: 20,
      files: 0,
      waiting: 40,
      writeFailures: 1,
      retrying: true,
    });
    expect(parquetFiles(s.root)).toEqual([]);
    expect(stagedFilesCommitted(s.root)).toBe(true);
    expect(s.warnings[0]).toMatchObject({ type: 'write_failed', kind: 'trade', rows: 40, code: 'ENOSPC' });

    // Still full: the retry fails whole; rows recorded meanwhile join the kept ones.
    s.fs.roomForAppends = 0;
    s.record(12);
    await s.advance(100);
    expect(s.recorder.stats().trade).toMatchObject({ written: 20, waiting: 52, writeFailures: 2 });
    expect(stagedFilesCommitted(s.root)).toBe(true);

    s.fs.fault = 'none';
    await s.advance(200);
    expect(s.recorder.stats().trade).toMatchObject({
      accepted: 72,
      written: 72,
      waiting: 0,
      dropped: 0,
      retrying: false,
    });
    expect(s.warnings.at(-1)).toMatchObject({ type: 'write_recovered', failedAttempts: 2 });
    await s.recorder.close();
    // One file per symbol and hour; every row once.
    expect(parquetFiles(join(s.root, 'trade'))).toHaveLength(SYMBOLS);
    const ids = await tradeIds(s.root);
    expect([...ids].sort((a, b) => a - b)).toEqual(range(72));
    expect(readdirSync(join(s.root, '.staging'))).toEqual([]);
  });

  it.each([
    ['read-only folder', 'read_only', 'EROFS'],
    ['folder without write access', 'no_access', 'EACCES'],
  ] as const)(
    '%s: nothing stored while it lasts, every row once when it clears',
    async (_what, fault, code) => {
      const s = await setup();
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
      expect(s.recorder.stats().trade).toMatchObject({
        accepted: 60,
        written: 60,
        waiting: 0,
        retrying: false,
      });
      await s.recorder.close();
      expect([...(await tradeIds(s.root))].sort((a, b) => a - b)).toEqual(range(60));
    },
  );

  it('a file linked into place counts as placed even when removing its staged copy fails', async () => {
    const s = await setup();
    s.fs.unlinkFails = true;
    s.record(12);
    await s.advance(1_000);
    expect(s.recorder.stats().trade).toMatchObject({ written: 12, writeFailures: 0 });
    await s.recorder.close();
    expect(s.fs.fired).toBe(SYMBOLS); // every staged pair stayed (the first unlink of each failed)
    expect(parquetFiles(join(s.root, 'trade'))).toHaveLength(SYMBOLS);
    expect([...(await tradeIds(s.root))].sort((a, b) => a - b)).toEqual(range(12));
    expect(readdirSync(join(s.root, '.staging'))).toEqual([]); // the staging folder goes as a whole
    expect(s.warnings).toEqual([]);
  });

  it('a file that cannot be placed at close stays staged, and the next start recovers every row', async () => {
    const s = await setup();
    s.record(24);
    await s.advance(1_000);
    s.fs.fault = 'read_only';
    await s.recorder.close();
    expect(s.fs.fired).toBeGreaterThan(0);
    expect(parquetFiles(s.root)).toEqual([]);
    expect(stagingFiles(s.root).filter((f) => f.endsWith('.staged'))).toHaveLength(SYMBOLS);
    s.fs.fault = 'none';
    // The staging folder is this process's: treat it as a dead namesake's (made before "we" started).
    const report = await cleanStaleStaging(s.root, { processStartMs: Date.now() + 1 });
    expect(report).toMatchObject({
      folders: 1,
      recoveredFiles: SYMBOLS,
      recoveredRows: 24,
      tornRecords: 0,
      failed: 0,
    });
    expect([...(await tradeIds(s.root))].sort((a, b) => a - b)).toEqual(range(24));
  });
});
