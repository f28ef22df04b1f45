/**
 * Load a recorded capture from disk: plain, .gz or .zip; a cryptofeed websocket file is merged with
 * its REST companion (X.ws.N.0 ↔ X.http.0.0) so snapshots land where they were taken in time.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { type CaptureRecord, parseCaptureLine } from '../../core/capture/capture-record.ts';
import { venueOfCapture } from '../../core/capture/venue-of-capture.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';

export interface Capture {
  readonly path: string;
  readonly exchange: ExchangeId;
  /** Records of the capture and its companion, in receive-time order. */
  readonly records: CaptureRecord[];
}

/** Text of a capture file, decompressing .gz and .zip (all entries, in order). */
export function readCaptureText(path: string): string {
  const bytes = readFileSync(path);
  if (path.endsWith('.gz')) return gunzipSync(bytes).toString('utf8');
  if (path.endsWith('.zip')) {
    const entries = unzipSync(new Uint8Array(bytes));
    return Object.keys(entries)
      .sort()
      .map((name) => Buffer.from(entries[name]!).toString('utf8'))
      .join('\n');
  }
  return bytes.toString('utf8');
}

function records(path: string): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  for (const line of readCaptureText(path).split('\n')) {
    const r = parseCaptureLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (r) out.push(r);
  }
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

/** Stable merge of two time-ordered record lists (ties keep `a` first). */
function merge(a: CaptureRecord[], b: CaptureRecord[]): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(b[j]!.localTs < a[i]!.localTs ? b[j++]! : a[i++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

export function readCapture(path: string, exchange?: ExchangeId): Capture {
  let recs = records(path);
  const companion = restCompanion(path);
  if (companion) recs = merge(recs, records(companion));
  const venue =
    exchange ??
    venueOfCapture(basename(path)) ??
    venueOfCapture(recs.find((r) => r.url)?.url ?? '') ??
    venueOfCapture(recs.find((r) => r.kind === 'message')?.body.slice(0, 300) ?? '') ??
    venueOfCapture(path);
  if (!venue) throw new Error(`cannot tell which venue ${path} was recorded from`);
  return { path, exchange: venue, records: recs };
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
