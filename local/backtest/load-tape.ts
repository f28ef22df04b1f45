/**
 * `--data <path>` → a Tape. Three kinds of input, told apart by what is on disk:
 *
 *   a capture file      plain/.gz/.zip (cryptofeed, hftbacktest, JSON lines; a cryptofeed websocket
 *                       file brings its REST companion), local/capture/read-capture.ts
 *   a folder of them    every market capture below it (listCaptures), reference data beside each
 *                       (products / asset pairs → instruments, local/capture/reference-data.ts)
 *   a recording         the recorder's Parquet layout `raw/exchange=…/symbol=…/date=…/hour=…/*.parquet`
 *                       (the recording root or its raw/ folder), read back by
 *                       local/storage/read-raw-recording.ts — one capture per exchange
 *
 * Every input goes through the venue feeds into the tape (core/backtest/tape/capture-tape.ts), so a
 * backtest sees exactly what a live strategy would have seen, book sync rules included. Filters:
 * receive time [from, to), symbols (unified, venue, or exchange:symbol). With a symbols filter the
 * instruments without rows are dropped, so a strategy's default instrument (the first) is the first
 * requested one.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { configuredInstruments } from '../../config/instruments.ts';
import {
  buildTapeWithReport,
  type CaptureSource,
  type TapeBuildReport,
} from '../../core/backtest/tape/capture-tape.ts';
import type { Tape } from '../../core/backtest/tape/tape.ts';
import type { Micros } from '../../core/market/events.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { variantOfUrl } from '../../core/venues/create-feed.ts';
import { type Capture, listCaptures, readCapture } from '../capture/read-capture.ts';
import { instrumentsFor } from '../capture/reference-data.ts';
import { parquetFiles } from '../storage/duckdb.ts';
import { isRawRecording, readRawRecording } from '../storage/read-raw-recording.ts';
import { compactTape } from './compact-tape.ts';

export type DataKind = 'capture-file' | 'capture-folder' | 'recording';

export interface LoadOptions {
  /** Keep rows with receive time ≥ from (µs). */
  readonly from?: Micros;
  /** Keep rows with receive time < to (µs). */
  readonly to?: Micros;
  /** Keep only these symbols; all when absent or empty. */
  readonly symbols?: readonly string[];
}

export interface LoadedData {
  readonly tape: Tape;
  readonly kind: DataKind;
  /** The capture files read (for a recording: one entry per exchange folder). */
  readonly files: readonly string[];
  readonly report: TapeBuildReport;
}

/** Tables of a recording that are not the raw frames (fargate/recorder/README.md). */
const DERIVED_TABLES = ['book', 'trade', 'event'];

function rawFramesMissing(path: string, parquetCount: number): Error {
  return new Error(
    `--data ${path}: ${parquetCount} Parquet file(s) but no raw frames — a backtest replays the raw ` +
      'recording (raw/exchange=<venue>/symbol=ALL/date=<YYYY-MM-DD>/hour=<HH>/part-*.parquet, written by ' +
      'the recorder, fargate/recorder) through the venue feeds; the book/trade tables alone cannot rebuild ' +
      'the exact book. Point --data at the recording root or its raw/ folder. Imported history (cli import: ' +
      'book snapshots, trades, klines) has no venue frames and is refused: fills are simulated against the ' +
      'book the venue sent, and trades or candles alone do not give one (docs/import.md).',
  );
}

/** What kind of input `path` is; throws a message that says what was expected. */
export function detectDataKind(path: string): DataKind {
  if (!existsSync(path)) throw new Error(`--data ${path}: no such file or folder`);
  if (!statSync(path).isDirectory()) {
    if (!path.endsWith('.parquet')) return 'capture-file';
    if (/[\\/]raw[\\/]/.test(path)) return 'recording';
    throw rawFramesMissing(path, 1);
  }
  const parquet = parquetFiles(path);
  const hasRaw = existsSync(join(path, 'raw'));
  const derivedOnly =
    !hasRaw &&
    (DERIVED_TABLES.includes(basename(resolve(path))) ||
      DERIVED_TABLES.some((t) => existsSync(join(path, t))));
  if (derivedOnly && parquet.length > 0) throw rawFramesMissing(path, parquet.length);
  if (isRawRecording(path)) return 'recording';
  if (listCaptures(path).length > 0) return 'capture-folder';
  if (parquet.length > 0) throw rawFramesMissing(path, parquet.length);
  throw new Error(
    `--data ${path}: no capture files (*.ws.N.N[.gz], hftbacktest_*.gz, *.zip) and no Parquet recording ` +
      '(raw/exchange=…/symbol=…/date=…) below it',
  );
}

function sourceOf(capture: Capture): CaptureSource {
  const variant = variantOfUrl(capture.exchange, capture.records.find((r) => r.url)?.url ?? '');
  return {
    name: capture.path,
    exchange: capture.exchange,
    records: capture.records,
    ...(variant !== undefined ? { variant } : {}),
  };
}

async function readInputs(
  path: string,
  kind: DataKind,
): Promise<{ captures: Capture[]; instruments: Instrument[] }> {
  if (kind === 'recording') {
    const captures = await readRawRecording(path);
    if (captures.length === 0) throw new Error(`--data ${path}: the recording holds no raw frames`);
    // Klines imported or backfilled are REST rows without a single venue frame: no book to fill against.
    if (!captures.some((c) => c.records.some((r) => r.kind === 'message')))
      throw new Error(
        `--data ${path}: the recording holds REST responses only (klines?) and no venue messages — a backtest ` +
          'needs the order book the venue sent, and candles or trades alone do not give one (docs/import.md)',
      );
    return { captures, instruments: configuredInstruments() };
  }
  const files = listCaptures(path);
  const captures = files.map((f) => readCapture(f));
  // Reference data beside each capture, then config (config wins: later entries replace earlier ones).
  const dirs = new Map<string, Instrument[]>();
  for (const f of files) dirs.set(resolve(f, '..'), instrumentsFor(f));
  const instruments = [...dirs.values()].flat();
  return { captures, instruments };
}

export async function loadTape(path: string, options: LoadOptions = {}): Promise<LoadedData> {
  const kind = detectDataKind(path);
  const { captures, instruments } = await readInputs(path, kind);
  const symbols = options.symbols?.filter((s) => s.trim() !== '') ?? [];
  const { tape: built, report } = buildTapeWithReport(captures.map(sourceOf), {
    instruments,
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(symbols.length > 0 ? { symbols } : {}),
  });
  const tape = symbols.length > 0 ? compactTape(built) : built;
  if (tape.length === 0) {
    const seen = built.instruments.map((i) => `${i.exchange}:${i.venueSymbol}`).join(', ') || 'none';
    const filters = [
      options.from !== undefined ? `from ${new Date(options.from / 1000).toISOString()}` : '',
      options.to !== undefined ? `to ${new Date(options.to / 1000).toISOString()}` : '',
      symbols.length > 0 ? `symbols ${symbols.join(',')}` : '',
    ].filter(Boolean);
    throw new Error(
      `--data ${path}: no market data${filters.length > 0 ? ` within ${filters.join(', ')}` : ''} ` +
        `(instruments in the data: ${seen}; time range: ${timeRange(captures)})`,
    );
  }
  return { tape, kind, files: captures.map((c) => c.path), report };
}

function timeRange(captures: readonly Capture[]): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const c of captures) {
    for (const r of c.records) {
      if (r.localTs < lo) lo = r.localTs;
      if (r.localTs > hi) hi = r.localTs;
    }
  }
  if (!(hi >= lo)) return 'empty';
  return `${new Date(lo / 1000).toISOString()} – ${new Date(hi / 1000).toISOString()}`;
}
