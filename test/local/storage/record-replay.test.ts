import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../core/capture/capture-record.ts';
import { replayCapture } from '../../../core/capture/replay-capture.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { BinanceFeed } from '../../../core/venues/binance/binance-feed.ts';
import type { VenueFeed } from '../../../core/venues/feed-types.ts';
import { Recorder } from '../../../fargate/recorder/recorder.ts';
import { readCapture } from '../../../local/capture/read-capture.ts';
import { ParquetSink } from '../../../local/storage/parquet-sink.ts';
import { isRawRecording, readRawRecording } from '../../../local/storage/read-raw-recording.ts';
import { fixture } from '../../support/fixtures.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rec-replay-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function replay(records: readonly CaptureRecord[], market: 'spot' | 'usdm'): VenueFeed {
  const feed = new BinanceFeed({ market, instruments: new InstrumentRegistry() });
  replayCapture(records, feed);
  return feed;
}

/** Everything a replay leaves behind that a user could see. */
function outcome(feed: VenueFeed) {
  return {
    counters: feed.counters,
    books: [...feed.books()].map((b) => ({
      symbol: b.symbol,
      trust: b.trust,
      sequence: b.sequence,
      exchangeTs: b.exchangeTs,
      localTs: b.localTs,
      counters: b.counters,
      instrument: b.instrument,
      levels: b.book.snapshot(),
    })),
  };
}

/** Record like a live connector: frame by frame, yielding to the event loop now and then. */
async function record(root: string, sources: Array<{ exchange: ExchangeId; records: CaptureRecord[] }>) {
  const sink = await ParquetSink.open({ root });
  const recorder = new Recorder({
    sink,
    policy: { maxRows: 8_000, maxBufferedRows: 200_000 },
    pollIntervalMs: 0,
  });
  let n = 0;
  // Interleave the sources by receive time, as one process recording several venues would.
  const merged = sources
    .flatMap((s, k) => s.records.map((r, i) => ({ r, k, i, exchange: s.exchange })))
    .sort((a, b) => a.r.localTs - b.r.localTs || a.k - b.k || a.i - b.i);
  for (const { r, exchange, k } of merged) {
    recorder.recordCapture(exchange, r, `conn-${k}`);
    if (++n % 4096 === 0) await tick();
  }
  await recorder.close();
  return recorder.stats();
}

describe('record → replay', () => {
  it('a raw Parquet recording of the hftbacktest capture replays to identical counters and book', async () => {
    const capture = readCapture(fixture('binance/hftbacktest_spot_btcusdt_20240808.gz'));
    const root = tempDir();
    const stats = await record(root, [{ exchange: 'binance', records: capture.records }]);
    expect(stats.raw).toMatchObject({
      accepted: capture.records.length,
      written: capture.records.length,
      dropped: 0,
      failed: 0,
    });
    expect(isRawRecording(root)).toBe(true);

    const captures = await readRawRecording(root);
    expect(captures.map((c) => c.exchange)).toEqual(['binance']);
    const back = captures[0]!.records;
    expect(back.length).toBe(capture.records.length);
    // Byte for byte, in order, with the same receive times and kinds (the REST snapshot included).
    expect(back).toEqual(capture.records);

    const original = outcome(replay(capture.records, 'spot'));
    const replayed = outcome(replay(back, 'spot'));
    expect(original.counters.messages).toBe(capture.records.length - 1);
    expect(original.books[0]?.trust).toBe('trusted');
    expect(original.books[0]!.levels.bids.length).toBeGreaterThan(1000);
    expect(replayed).toEqual(original);
  });

  it('several venues in one recording come back one capture per exchange, connection URLs kept', async () => {
    const spot = readCapture(fixture('binance/cryptofeed_BINANCE.ws.1.0.gz'));
    const futures = readCapture(fixture('binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz'));
    const root = tempDir();
    await record(root, [
      { exchange: 'binance', records: spot.records },
      { exchange: 'binance-futures', records: futures.records },
    ]);
    const captures = await readRawRecording(root);
    const byExchange = new Map(captures.map((c) => [c.exchange, c.records]));
    expect([...byExchange.keys()].sort()).toEqual(['binance', 'binance-futures']);
    expect(byExchange.get('binance')).toEqual(spot.records);
    expect(byExchange.get('binance-futures')).toEqual(futures.records);
    expect(byExchange.get('binance')!.some((r) => r.kind === 'open' && r.url.includes('binance'))).toBe(true);

    expect(outcome(replay(byExchange.get('binance')!, 'spot'))).toEqual(
      outcome(replay(spot.records, 'spot')),
    );
    expect(outcome(replay(byExchange.get('binance-futures')!, 'usdm'))).toEqual(
      outcome(replay(futures.records, 'usdm')),
    );
  });

  it('an empty or missing folder, or a capture file, is no recording', async () => {
    const root = tempDir();
    expect(isRawRecording(root)).toBe(false);
    expect(isRawRecording(join(root, 'missing'))).toBe(false);
    expect(isRawRecording(fixture('binance/cryptofeed_BINANCE.ws.1.0.gz'))).toBe(false);
    expect(await readRawRecording(root)).toEqual([]);
  });
});
