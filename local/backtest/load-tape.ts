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
 *   recorded rows       a recording with book/trade rows and no raw frames (`cli import` output:
 *                       `book/exchange=…/symbol=…/…`, `trade/…`), read by read-recorded-rows.ts into
 *                       core/backtest/tape/recorded-rows-tape.ts: the stored top of book after each
 *                       row, each symbol from its first book row; trades alone are refused
 *
 * Captures and raw recordings go through the venue feeds into the tape (core/backtest/tape/capture-tape.ts), so a
 * backtest sees exactly what a live strategy would have seen, book sync rules included. They stream:
 * record batches go through the feeds as the file decompresses (or DuckDB reads), so the memory a
 * backtest needs is the tape's, not the frames'. Filters:
 * receive time [from, to), symbols (unified, venue, or exchange:symbol). With a symbols filter the
 * instruments without rows are dropped, so a strategy's default instrument (the first) is the first
 * requested one.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configuredInstruments } from '../../config/instruments.ts';
import {
  type CaptureSourceInfo,
  CaptureTapeBuilder,
  type TapeBuildReport,
} from '../../core/backtest/tape/capture-tape.ts';
import { RecordedRowsTape } from '../../core/backtest/tape/recorded-rows-tape.ts';
import type { Tape } from '../../core/backtest/tape/tape.ts';
import type { CaptureRecord } from '../../core/capture/capture-record.ts';
import { singleSymbolOf } from '../../core/capture/replay-capture.ts';
import type { Micros } from '../../core/market/events.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { variantOfUrl } from '../../core/venues/create-feed.ts';
import { type CaptureStream, listCaptures, openCaptureStream } from '../capture/read-capture.ts';
import { instrumentsFor } from '../capture/reference-data.ts';
import { parquetFiles } from '../storage/duckdb.ts';
import { isRawRecording, rawRecordingStreams } from '../storage/read-raw-recording.ts';
import { compactTape } from './compact-tape.ts';
import { type RecordedRowFiles, readRecordedRows, recordedRowFiles } from './read-recorded-rows.ts';

export type DataKind = 'capture-file' | 'capture-folder' | 'recording' | 'recorded-rows';

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
  /** The capture files read (for a recording: one entry per exchange folder; for recorded rows: the Parquet files). */
  readonly files: readonly string[];
  readonly report: TapeBuildReport;
}

function noMarketData(path: string, detail: string): Error {
  return new Error(
    `--data ${path}: ${detail} (expected capture files *.ws.N.N[.gz], hftbacktest_*.gz, *.zip, a raw recording ` +
      'raw/exchange=…/symbol=…/date=…, or book/trade rows book/exchange=…/symbol=…/date=… as cli import writes)',
  );
}

/** What kind of input `path` is; throws a message that says what was expected. */
export function detectDataKind(path: string): DataKind {
  if (!existsSync(path)) throw new Error(`--data ${path}: no such file or folder`);
  if (!statSync(path).isDirectory()) {
    if (!path.endsWith('.parquet')) return 'capture-file';
    if (/[\\/]raw[\\/]/.test(path)) return 'recording';
    if (/[\\/](book|trade)[\\/]/.test(path)) return 'recorded-rows';
    throw noMarketData(path, 'a Parquet file outside raw/, book/ and trade/');
  }
  // Checked before isRawRecording, which takes any `exchange=` partition below a root without raw/ for raw frames.
  const rows = recordedRowFiles(path);
  if (!existsSync(join(path, 'raw')) && rows.book.length + rows.trade.length > 0) return 'recorded-rows';
  if (isRawRecording(path)) return 'recording';
  if (listCaptures(path).length > 0) return 'capture-folder';
  const parquet = parquetFiles(path);
  if (parquet.length > 0)
    throw noMarketData(path, `${parquet.length} Parquet file(s) but no raw frames and no book/trade rows`);
  throw new Error(
    `--data ${path}: no capture files (*.ws.N.N[.gz], hftbacktest_*.gz, *.zip) and no Parquet recording ` +
      '(raw/exchange=…/symbol=…/date=…, or book/ and trade/ rows as cli import writes) below it',
  );
}

function sourceOf(stream: CaptureStream): CaptureSourceInfo {
  const variant = variantOfUrl(stream.exchange, stream.head.find((r) => r.url)?.url ?? '');
  return { name: stream.path, exchange: stream.exchange, ...(variant !== undefined ? { variant } : {}) };
}

/** Receive-time range and whether any venue message was seen, over everything streamed. */
class StreamedRange {
  lo = Number.POSITIVE_INFINITY;
  hi = Number.NEGATIVE_INFINITY;
  messages = 0;

  add(records: readonly CaptureRecord[]): void {
    for (const r of records) {
      if (r.localTs < this.lo) this.lo = r.localTs;
      if (r.localTs > this.hi) this.hi = r.localTs;
      if (r.kind === 'message') this.messages++;
    }
  }

  text(): string {
    if (!(this.hi >= this.lo)) return 'empty';
    return `${new Date(this.lo / 1000).toISOString()} – ${new Date(this.hi / 1000).toISOString()}`;
  }
}

/** The capture streams of an input: one per capture file, or one per exchange of a recording. */
async function* streamsOf(
  path: string,
  kind: DataKind,
  files: readonly string[],
): AsyncGenerator<CaptureStream> {
  if (kind === 'recording') {
    yield* rawRecordingStreams(path);
    return;
  }
  for (const f of files) yield await openCaptureStream(f);
}

/** Reference data beside each capture, then config (config wins: later entries replace earlier ones). */
function instrumentsOf(kind: DataKind, files: readonly string[]): Instrument[] {
  if (kind === 'recording') return configuredInstruments();
  const dirs = new Map<string, Instrument[]>();
  for (const f of files) dirs.set(resolve(f, '..'), instrumentsFor(f));
  return [...dirs.values()].flat();
}

export async function loadTape(path: string, options: LoadOptions = {}): Promise<LoadedData> {
  const kind = detectDataKind(path);
  const symbols = options.symbols?.filter((s) => s.trim() !== '') ?? [];
  if (kind === 'recorded-rows') return loadRecordedRows(path, recordedRowFiles(path), options, symbols);
  const files = kind === 'recording' ? [] : listCaptures(path);
  const builder = new CaptureTapeBuilder({
    instruments: instrumentsOf(kind, files),
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(symbols.length > 0 ? { symbols } : {}),
  });
  // Captures stream through the feeds one batch at a time: a day of frames is never held whole.
  const range = new StreamedRange();
  const read: string[] = [];
  for await (const stream of streamsOf(path, kind, files)) {
    read.push(stream.path);
    builder.begin(sourceOf(stream), singleSymbolOf(stream.head));
    for await (const batch of stream.batches) {
      range.add(batch);
      builder.replay(batch);
    }
  }
  if (kind === 'recording' && read.length === 0)
    throw new Error(`--data ${path}: the recording holds no raw frames`);
  // Klines imported or backfilled are REST rows without a single venue frame: with imported book rows
  // beside them the rows are the data, without them there is no book to fill against.
  if (kind === 'recording' && range.messages === 0) {
    const rows = recordedRowFiles(recordingRoot(path));
    if (rows.book.length > 0) return loadRecordedRows(path, rows, options, symbols);
    throw new Error(
      `--data ${path}: the recording holds REST responses only (klines?), no venue messages and no book rows — ` +
        'a backtest needs an order book to fill against, and candles or trades alone do not give one (docs/import.md)',
    );
  }
  const { tape: built, report } = builder.finish();
  const tape = symbols.length > 0 ? compactTape(built) : built;
  if (tape.length === 0) {
    const seen = built.instruments.map((i) => `${i.exchange}:${i.venueSymbol}`).join(', ') || 'none';
    throw noDataWithin(path, options, symbols, seen, range.text());
  }
  return { tape, kind, files: read, report };
}

function noDataWithin(
  path: string,
  options: LoadOptions,
  symbols: readonly string[],
  seen: string,
  range: string,
): Error {
  const filters = [
    options.from !== undefined ? `from ${new Date(options.from / 1000).toISOString()}` : '',
    options.to !== undefined ? `to ${new Date(options.to / 1000).toISOString()}` : '',
    symbols.length > 0 ? `symbols ${symbols.join(',')}` : '',
  ].filter(Boolean);
  return new Error(
    `--data ${path}: no market data${filters.length > 0 ? ` within ${filters.join(', ')}` : ''} ` +
      `(instruments in the data: ${seen}; time range: ${range})`,
  );
}

function tradesOnly(path: string): Error {
  return new Error(
    `--data ${path}: the recording holds trade rows and no book rows — the simulated exchange fills orders ` +
      'against the order book (queue position, depth), and trades alone do not give one; import a book ' +
      'dataset (Tardis incremental_book_L2, book_snapshot_*, quotes, or Binance bookTicker) beside the trades (docs/import.md)',
  );
}

/** The recording root of a path to it or to its raw/ folder. */
function recordingRoot(path: string): string {
  return /[\\/]raw[\\/]?$/.test(path) ? resolve(path, '..') : path;
}

async function loadRecordedRows(
  path: string,
  files: RecordedRowFiles,
  options: LoadOptions,
  symbols: readonly string[],
): Promise<LoadedData> {
  if (files.book.length === 0) throw tradesOnly(path);
  const builder = new RecordedRowsTape({
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(symbols.length > 0 ? { symbols } : {}),
    sourceName: (exchange) => `${path} (book/trade rows, ${exchange})`,
  });
  const read = await readRecordedRows(files, builder, configuredInstruments());
  if (read.bookRows === 0) throw tradesOnly(path);
  const { tape: built, report } = builder.finish();
  const tape = symbols.length > 0 ? compactTape(built) : built;
  if (tape.length === 0) {
    const seen = read.instruments.map((i) => `${i.exchange}:${i.venueSymbol}`).join(', ') || 'none';
    throw noDataWithin(path, options, symbols, seen, 'see manifest.json');
  }
  return { tape, kind: 'recorded-rows', files: [...files.book, ...files.trade], report };
}
