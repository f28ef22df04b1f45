/**
 * `cli books <capture> [--repeat N] [--json]`: replay a recorded capture (file, folder, or a recording
 * made by `npm start`) through the venue feeds (a recording of book/trade rows only, as `cli import`
 * writes: its stored books), print each book and the feed counters, and measure throughput over N rounds (fresh
 * feeds each round, so every round does the same work).
 */

import { existsSync, statSync } from 'node:fs';
import { loadValidationRules } from '../../config/validation-rules.ts';
import { tapeBooks } from '../../core/backtest/tape/tape-books.ts';
import { type BookLine, type BooksSummary, summarizeFeeds } from '../../core/capture/books-summary.ts';
import { replayCapture } from '../../core/capture/replay-capture.ts';
import { textTableLines } from '../../core/format/text-table.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { QualityMonitor } from '../../core/quality/quality-monitor.ts';
import { createFeed, variantOfUrl } from '../../core/venues/create-feed.ts';
import type { VenueFeed } from '../../core/venues/feed-types.ts';
import { sumCounters } from '../../core/venues/sum-counters.ts';
import { detectDataKind, type LoadedData, loadTape } from '../../local/backtest/load-tape.ts';
import { type Capture, listCaptures, readCapture } from '../../local/capture/read-capture.ts';
import { instrumentsFor } from '../../local/capture/reference-data.ts';
import { isRawRecording, readRawRecording } from '../../local/storage/read-raw-recording.ts';

export interface BooksResult extends BooksSummary {
  captures: string[];
  throughput: { rounds: number; seconds: number; messagesPerSec: number; levelChangesPerSec: number };
}

interface Loaded {
  capture: Capture;
  instruments: Instrument[];
}

function replayAll(loaded: readonly Loaded[], monitors?: QualityMonitor[]): VenueFeed[] {
  return loaded.map(({ capture, instruments }, i) => {
    const monitor = monitors?.[i];
    const feed = createFeed({
      exchange: capture.exchange,
      ...(monitor ? { listener: monitor } : {}),
      // A fresh registry each round: instruments inferred in one round must not help the next.
      instruments: new InstrumentRegistry(instruments),
      variant: variantOfUrl(capture.exchange, capture.records.find((r) => r.url)?.url ?? ''),
    });
    replayCapture(capture.records, feed);
    return feed;
  });
}

/** Captures to replay: a recording folder (npm start's ./data), a capture file, or a folder of captures. */
export async function loadCaptures(path: string): Promise<Capture[]> {
  if (statSync(path).isDirectory() && isRawRecording(path)) return readRawRecording(path);
  return listCaptures(path).map((p) => readCapture(p));
}

/**
 * Imported history (cli import) holds book/trade rows but no venue frames: its books are the stored
 * rows, read the way a backtest reads them (local/backtest/load-tape.ts); `repeat` rounds rebuild them.
 */
async function runRecordedRowBooks(path: string, repeat: number): Promise<BooksResult> {
  const rounds = Math.max(1, Math.floor(repeat));
  let loaded: LoadedData | undefined;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) loaded = await loadTape(path);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const data = loaded!;
  const summary = tapeBooks(data.tape, sumCounters(data.report.feeds));
  return {
    captures: [...data.files],
    ...summary,
    throughput: {
      rounds,
      seconds,
      messagesPerSec: (summary.messages * rounds) / seconds,
      levelChangesPerSec: (summary.levelChanges * rounds) / seconds,
    },
  };
}

export async function runBooks(path: string, repeat = 1): Promise<BooksResult> {
  if (existsSync(path) && detectDataKind(path) === 'recorded-rows') return runRecordedRowBooks(path, repeat);
  const captures = await loadCaptures(path);
  if (captures.length === 0) throw new Error(`no capture files under ${path}`);
  const loaded = captures.map((capture) => ({ capture, instruments: instrumentsFor(capture.path) }));
  const rounds = Math.max(1, Math.floor(repeat));
  let feeds: VenueFeed[] = [];
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) feeds = replayAll(loaded);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // Quality is scored on one more, untimed round, so throughput measures the feeds alone.
  // One monitor per capture: each is scored against its own clock (captures come from different days).
  const rules = loadValidationRules();
  const monitors = loaded.map(() => new QualityMonitor(rules));
  replayAll(loaded, monitors);
  const summary = summarizeFeeds(feeds);
  for (const book of summary.books) {
    const scores = monitors.map((m) => m.score(book.exchange, book.symbol)).filter((s) => s !== undefined);
    // A book nobody may trade on has no usable quality, whatever its stream looked like.
    book.qualityScore = !book.trusted ? 0 : scores.length > 0 ? Math.min(...scores) : null;
  }
  return {
    captures: captures.map((c) => c.path),
    ...summary,
    throughput: {
      rounds,
      seconds,
      messagesPerSec: (summary.messages * rounds) / seconds,
      levelChangesPerSec: (summary.levelChanges * rounds) / seconds,
    },
  };
}

export function formatBooks(result: BooksResult): string {
  const rows: string[][] = [
    [
      'exchange',
      'symbol',
      'state',
      'best bid',
      'best ask',
      'bids',
      'asks',
      'msgs',
      'gaps',
      'crc ok/bad',
      'quality',
    ],
  ];
  for (const b of result.books as BookLine[]) {
    rows.push([
      b.exchange,
      b.symbol,
      b.trust,
      b.bestBidText ?? '—',
      b.bestAskText ?? '—',
      String(b.bidLevels),
      String(b.askLevels),
      String(b.messages),
      String(b.gaps),
      b.checksumsVerified + b.checksumsFailed > 0 ? `${b.checksumsVerified}/${b.checksumsFailed}` : '',
      b.qualityScore === null ? '—' : String(Math.round(b.qualityScore)),
    ]);
  }
  const lines = textTableLines(rows);
  const t = result.throughput;
  const rejected = Object.entries(result.rejectedByReason)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(
    '',
    `messages ${result.messages}  level changes ${result.levelChanges}  trades ${result.trades}  snapshots ${result.snapshots}`,
    `checksums verified ${result.checksumsVerified}  failed ${result.checksumsFailed}  gaps ${result.gaps}  resyncs ${result.resyncs}  crossed ${result.crossed}`,
    `rejected ${result.rejected}${rejected ? ` (${rejected})` : ''}`,
    `throughput over ${t.rounds} round(s), ${t.seconds.toFixed(3)} s: ${Math.round(t.messagesPerSec).toLocaleString('en-US')} messages/s, ${Math.round(t.levelChangesPerSec).toLocaleString('en-US')} level changes/s`,
  );
  return lines.join('\n');
}

export function booksJson(result: BooksResult): string {
  return JSON.stringify(result, null, 2);
}
