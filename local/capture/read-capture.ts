/**
 * Load a recorded capture from disk: plain, .gz or .zip; a cryptofeed websocket file is merged with
 * its REST companion (X.ws.N.0 ↔ X.http.0.0) so snapshots land where they were taken in time.
 *
 * Two ways in, one line reader (capture-lines.ts) and one record decoder (core/capture):
 * - `openCaptureStream`: records in batches as the file decompresses, memory bounded by a batch —
 *   for the backtest loader, `cli books` and anything that may meet a day of data;
 * - `readCapture`: every record in one array, for captures that fit in memory and consumers that
 *   walk them more than once (simulator timelines, fuzz targets, tests).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type CaptureRecord, parseCaptureLine } from '../../core/capture/capture-record.ts';
import { venueOfCapture } from '../../core/capture/venue-of-capture.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { captureChunks, forEachCaptureLineSync, LineSplitter } from './capture-lines.ts';

export interface Capture {
  readonly path: string;
  readonly exchange: ExchangeId;
  /** Records of the capture and its companion, in receive-time order. */
  readonly records: CaptureRecord[];
}

/** A capture read as it decompresses. */
export interface CaptureStream {
  readonly path: string;
  readonly exchange: ExchangeId;
  /** The first records (at least HEAD_RECORDS where the file has them): what venue, protocol variant and stream symbol are told from. */
  readonly head: readonly CaptureRecord[];
  /** Every record (head included), companion merged in, in receive-time order; iterate once. */
  readonly batches: AsyncIterable<readonly CaptureRecord[]>;
}

/** Records looked at before the first batch is handed on (a few chunks of a busy stream). */
const HEAD_RECORDS = 4096;

function decode(line: string, out: CaptureRecord[]): void {
  const r = parseCaptureLine(line);
  if (r) out.push(r);
}

/** The text of a small capture file (its lines, "\r" dropped, joined by "\n"); large files stream through openCaptureStream. */
export function readCaptureText(path: string): string {
  const lines: string[] = [];
  forEachCaptureLineSync(path, (line) => lines.push(line));
  return lines.join('\n');
}

function recordsSync(path: string): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  forEachCaptureLineSync(path, (line) => decode(line, out));
  return out;
}

/** The REST file recorded beside a cryptofeed websocket file, if any. */
export function restCompanion(path: string): string | undefined {
  const name = basename(path);
  const m = /^(.*)\.ws\.\d+\.\d+(\.gz)?$/.exec(name);
  if (!m) return undefined;
  const dir = dirname(path);
  for (const candidate of [`${m[1]}.http.0.0`, `${m[1]}.http.0.0.gz`]) {
    if (existsSync(join(dir, candidate))) return join(dir, candidate);
  }
  return undefined;
}

/**
 * Stable merge of a time-ordered stream with a small time-ordered list, batch by batch (ties keep
 * the stream's record first): `b` is consumed from `at` on; returns the batch merged.
 */
class CompanionMerge {
  private at = 0;
  constructor(private readonly b: readonly CaptureRecord[]) {}

  batch(a: readonly CaptureRecord[]): readonly CaptureRecord[] {
    const b = this.b;
    if (this.at >= b.length) return a;
    const out: CaptureRecord[] = [];
    for (const r of a) {
      while (this.at < b.length && b[this.at]!.localTs < r.localTs) out.push(b[this.at++]!);
      out.push(r);
    }
    return out;
  }

  rest(): readonly CaptureRecord[] {
    const out = this.b.slice(this.at);
    this.at = this.b.length;
    return out;
  }
}

function venueOf(path: string, head: readonly CaptureRecord[], exchange?: ExchangeId): ExchangeId {
  const venue =
    exchange ??
    venueOfCapture(basename(path)) ??
    venueOfCapture(head.find((r) => r.url)?.url ?? '') ??
    venueOfCapture(head.find((r) => r.kind === 'message')?.body.slice(0, 300) ?? '') ??
    venueOfCapture(path);
  if (!venue) throw new Error(`cannot tell which venue ${path} was recorded from`);
  return venue;
}

export function readCapture(path: string, exchange?: ExchangeId): Capture {
  const records = recordsSync(path);
  const companion = restCompanion(path);
  let recs = records;
  if (companion) {
    const merge = new CompanionMerge(recordsSync(companion));
    recs = [...merge.batch(records), ...merge.rest()];
  }
  return { path, exchange: venueOf(path, recs, exchange), records: recs };
}

/** Record batches of one file as it decompresses (one batch per decompressed chunk). */
async function* recordBatches(path: string): AsyncGenerator<CaptureRecord[]> {
  let batch: CaptureRecord[] = [];
  const splitter = new LineSplitter((line) => decode(line, batch));
  for await (const chunk of captureChunks(path)) {
    splitter.push(chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end();
  if (batch.length > 0) yield batch;
}

/**
 * A stream of record batches with its head read: the first batches are pulled until HEAD_RECORDS
 * records are in hand (or the source ends), then handed on first. `exchange` when the source knows it.
 */
export async function captureStreamOf(
  path: string,
  source: AsyncIterator<readonly CaptureRecord[]>,
  exchange?: ExchangeId,
): Promise<CaptureStream> {
  const head: CaptureRecord[] = [];
  let done = false;
  while (head.length < HEAD_RECORDS) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    for (const r of next.value) head.push(r);
  }
  async function* batches(): AsyncGenerator<readonly CaptureRecord[]> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { path, exchange: venueOf(path, head, exchange), head, batches: batches() };
}

/** A file's record batches with its REST companion (if any) merged in by receive time. */
async function* withCompanion(path: string): AsyncGenerator<readonly CaptureRecord[]> {
  const companionPath = restCompanion(path);
  const merge = new CompanionMerge(companionPath ? recordsSync(companionPath) : []);
  for await (const batch of recordBatches(path)) yield merge.batch(batch);
  const rest = merge.rest();
  if (rest.length > 0) yield rest;
}

export function openCaptureStream(path: string, exchange?: ExchangeId): Promise<CaptureStream> {
  return captureStreamOf(path, withCompanion(path), exchange);
}

/** Capture files below a folder (REST companions are found through their websocket file). */
export function listCaptures(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const full = join(path, name);
    if (statSync(full).isDirectory()) out.push(...listCaptures(full));
    else if (isMarketCapture(name)) out.push(full);
  }
  return out;
}

/** Websocket captures, hftbacktest files and zipped JSON lines; not REST companions or reference data. */
export function isMarketCapture(name: string): boolean {
  return /\.ws\.\d+\.\d+(\.gz)?$|^hftbacktest_.*\.gz$|\.zip$/.test(name);
}
