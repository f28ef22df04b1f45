/**
 * `cli books <capture> [--repeat N] [--json]`: replay a recorded capture (file, folder, or a recording
 * made by `npm start`) through the venue feeds (a recording of book/trade rows only, as `cli import`
 * writes: its stored books), print each book and the feed counters, and measure throughput over N rounds (fresh
 * feeds each round, so every round does the same work). Each round streams the data again (a day of
 * frames is not held in memory); the throughput counts the time inside the feeds only.
 */

import { existsSync, statSync } from 'node:fs';
import { loadValidationRules } from '../../config/validation-rules.ts';
import { tapeBooks } from '../../core/backtest/tape/tape-books.ts';
import { type BookLine, type BooksSummary, summarizeFeeds } from '../../core/capture/books-summary.ts';
import { replayCapture, singleSymbolOf } from '../../core/capture/replay-capture.ts';
import { textTableLines } from '../../core/format/text-table.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { QualityMonitor } from '../../core/quality/quality-monitor.ts';
import { createFeed, variantOfUrl } from '../../core/venues/create-feed.ts';
import type { VenueFeed } from '../../core/venues/feed-types.ts';
import { sumCounters } from '../../core/venues/sum-counters.ts';
import { detectDataKind, type LoadedData, loadTape } from '../../local/backtest/load-tape.ts';
import {
  type Capture,
  type CaptureStream,
  listCaptures,
  openCaptureStream,
  readCapture,
} from '../../local/capture/read-capture.ts';
import { instrumentsFor } from '../../local/capture/reference-data.ts';
import {
  isRawRecording,
  rawRecordingStreams,
  readRawRecording,
} from '../../local/storage/read-raw-recording.ts';

export interface BooksResult extends BooksSummary {
  captures: string[];
  throughput: { rounds: number; seconds: number; messagesPerSec: number; levelChangesPerSec: number };
}

/** The capture streams of `path`, opened afresh: a recording folder (npm start's ./data), a capture file, or a folder of captures. */
async function* openStreams(path: string): AsyncGenerator<CaptureStream> {
  if (statSync(path).isDirectory() && isRawRecording(path)) {
    yield* rawRecordingStreams(path);
    return;
  }
  for (const p of listCaptures(path)) yield await openCaptureStream(p);
}

/** Captures to replay, whole in memory (small inputs; `runBooks` streams). */
export async function loadCaptures(path: string): Promise<Capture[]> {
  if (statSync(path).isDirectory() && isRawRecording(path)) return readRawRecording(path);
  return listCaptures(path).map((p) => readCapture(p));
}

interface Round {
  readonly feeds: VenueFeed[];
  readonly paths: string[];
  /** Time spent inside the feeds (reading and decompressing excluded). */
  readonly feedSeconds: number;
}

/**
 * One pass over every capture, each into a fresh feed, read batch by batch as it decompresses; only
 * the feeds' work on each batch is timed. `monitor(i)`: a listener for the i-th capture.
 */
async function replayRound(
  path: string,
  instrumentsOf: (capturePath: string) => Instrument[],
  monitor?: (i: number) => QualityMonitor,
): Promise<Round> {
  const feeds: VenueFeed[] = [];
  const paths: string[] = [];
  let feedNs = 0n;
  for await (const stream of openStreams(path)) {
    const m = monitor?.(paths.length);
    paths.push(stream.path);
    const feed = createFeed({
      exchange: stream.exchange,
      ...(m ? { listener: m } : {}),
      // A fresh registry each round: instruments inferred in one round must not help the next.
      instruments: new InstrumentRegistry(instrumentsOf(stream.path)),
      variant: variantOfUrl(stream.exchange, stream.head.find((r) => r.url)?.url ?? ''),
    });
    const symbol = singleSymbolOf(stream.head);
    for await (const batch of stream.batches) {
      const started = process.hrtime.bigint();
      replayCapture(batch, feed, symbol);
      feedNs += process.hrtime.bigint() - started;
    }
    feeds.push(feed);
  }
  return { feeds, paths, feedSeconds: Number(feedNs) / 1e9 };
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
  const instruments = new Map<string, Instrument[]>();
  const instrumentsOf = (capturePath: string) => {
    let list = instruments.get(capturePath);
    if (!list) {
      list = instrumentsFor(capturePath);
      instruments.set(capturePath, list);
    }
    return list;
  };
  const rounds = Math.max(1, Math.floor(repeat));
  let last: Round | undefined;
  let seconds = 0;
  for (let r = 0; r < rounds; r++) {
    last = await replayRound(path, instrumentsOf);
    seconds += last.feedSeconds;
  }
  const { feeds, paths } = last!;
  if (paths.length === 0) throw new Error(`no capture files under ${path}`);
  // Quality is scored on one more, untimed round, so throughput measures the feeds alone.
  // One monitor per capture: each is scored against its own clock (captures come from different days).
  const rules = loadValidationRules();
  const monitors: QualityMonitor[] = [];
  await replayRound(path, instrumentsOf, (i) => {
    monitors[i] = new QualityMonitor(rules);
    return monitors[i]!;
  });
  const summary = summarizeFeeds(feeds);
  for (const book of summary.books) {
    const scores = monitors.map((m) => m.score(book.exchange, book.symbol)).filter((s) => s !== undefined);
    // A book nobody may trade on has no usable quality, whatever its stream looked like.
    book.qualityScore = !book.trusted ? 0 : scores.length > 0 ? Math.min(...scores) : null;
  }
  return {
    captures: paths,
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
