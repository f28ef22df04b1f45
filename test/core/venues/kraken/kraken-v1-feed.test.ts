import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCaptureLine } from '../../../../core/capture/capture-record.ts';
import { replayCapture } from '../../../../core/capture/replay-capture.ts';
import type { MarketEvent, TradeEvent } from '../../../../core/market/events.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import type { FeedListener, RejectReason, SnapshotRequest } from '../../../../core/venues/feed-types.ts';
import { parseKrakenAssetPairs } from '../../../../core/venues/kraken/asset-pairs.ts';
import { bookDepthOf, KrakenV1Feed } from '../../../../core/venues/kraken/kraken-v1-feed.ts';
import { readCapture, readCaptureText } from '../../../../local/capture/read-capture.ts';

const BOOKS = 'test/fixtures/kraken/cryptofeed_KRAKEN.ws.50.0.gz';
const TRADES = 'test/fixtures/kraken/cryptofeed_KRAKEN.ws.48.0.gz';
const REFERENCE = 'test/fixtures/kraken/cryptofeed_KRAKEN.0.gz';

function referenceRegistry(): InstrumentRegistry {
  const line = readCaptureText(REFERENCE).split('\n')[0]!;
  const parsed = parseKrakenAssetPairs(parseCaptureLine(line)!.body)!;
  return new InstrumentRegistry(parsed.instruments);
}

/** A listener that records what the feed reported. */
function recorder() {
  const requests: SnapshotRequest[] = [];
  const rejects: Array<{ reason: RejectReason; detail: string }> = [];
  const trades: TradeEvent[] = [];
  const events: MarketEvent[] = [];
  const listener: FeedListener = {
    onSnapshotRequest: (r) => requests.push(r),
    onReject: (reason, detail) => rejects.push({ reason, detail }),
    onTrade: (t) => trades.push(t),
    onEvent: (e) => events.push(e),
  };
  return { requests, rejects, trades, events, listener };
}

describe('KrakenV1Feed on the recorded book-1000 capture', () => {
  const capture = readCapture(BOOKS);

  for (const [label, registry] of [
    ['inferred instruments', () => new InstrumentRegistry()],
    ['AssetPairs reference data', referenceRegistry],
  ] as const) {
    it(`verifies all 4,269 checksums with ${label}`, () => {
      const rec = recorder();
      const feed = new KrakenV1Feed({ instruments: registry(), listener: rec.listener });
      replayCapture(capture.records, feed);
      const c = feed.counters;
      expect(c.checksumsVerified).toBe(4269);
      expect(c.checksumsFailed).toBe(0);
      expect(c.rejected).toBe(0);
      expect(c.snapshots).toBe(10);
      expect(c.crossed).toBe(0);
      expect(rec.requests).toEqual([]);
      const books = [...feed.books()];
      expect(books).toHaveLength(10);
      for (const b of books) {
        expect(b.trust).toBe('trusted');
        expect(b.book.bids.count).toBeLessThanOrEqual(1000);
        expect(b.book.asks.count).toBeLessThanOrEqual(1000);
      }
      expect(feed.depthOf('XMR/USD')).toBe(1000);
    });
  }

  it('keeps reference scales but takes the wire decimals from the snapshot (XMR/USD)', () => {
    const registry = referenceRegistry();
    expect(registry.get('kraken', 'XMR/USD')?.wirePriceDecimals).toBe(2);
    const feed = new KrakenV1Feed({ instruments: registry });
    replayCapture(capture.records, feed);
    const xmr = [...feed.books()].find((b) => b.venueSymbol === 'XMR/USD')!;
    expect(xmr.instrument.source).toBe('reference');
    expect(xmr.instrument.priceScale).toBe(2);
    expect(xmr.instrument.wirePriceDecimals).toBe(8);
    expect(xmr.instrument.wireSizeDecimals).toBe(8);
    expect(xmr.symbol).toBe('XMR/USD');
  });

  it('detects a corrupted level: checksum failure → stale + resubscribe request', () => {
    // Change the size of one update's level: the venue's checksum no longer matches our book.
    const records = capture.records.slice();
    const idx = records.findIndex(
      (r) => r.kind === 'message' && r.body.includes('"XMR/USD"') && r.body.includes('"c":'),
    );
    const original = records[idx]!;
    // Bump the last digit of the first level's size; the frame stays valid JSON with a valid decimal.
    const body = original.body.replace(
      /("\d+\.\d+",")(\d+\.\d*)(\d)(")/,
      (_m, a: string, b: string, d: string, e: string) => `${a}${b}${(Number(d) + 1) % 10}${e}`,
    );
    expect(body).not.toBe(original.body);
    records[idx] = { ...original, body };
    const rec = recorder();
    const feed = new KrakenV1Feed({ instruments: new InstrumentRegistry(), listener: rec.listener });
    for (const r of records.slice(0, idx + 1)) if (r.kind === 'message') feed.onMessage(r.body, r.localTs);
    expect(feed.counters.checksumsFailed).toBe(1);
    const xmr = [...feed.books()].find((b) => b.venueSymbol === 'XMR/USD')!;
    expect(xmr.trust).toBe('resyncing');
    expect(rec.requests).toHaveLength(1);
    expect(rec.requests[0]).toMatchObject({
      exchange: 'kraken',
      venueSymbol: 'XMR/USD',
      method: 'resubscribe',
    });
    expect(rec.events.some((e) => e.type === 'book_state' && e.state === 'stale')).toBe(true);
    // Later XMR updates are ignored until a snapshot arrives; the other books stay trusted.
    const verifiedBefore = xmr.counters.checksumsVerified;
    for (const r of records.slice(idx + 1)) if (r.kind === 'message') feed.onMessage(r.body, r.localTs);
    expect(xmr.counters.checksumsVerified).toBe(verifiedBefore);
    expect([...feed.books()].filter((b) => b.trust === 'trusted')).toHaveLength(9);
    expect(feed.counters.rejected).toBe(0);
  });
});

describe('KrakenV1Feed trades on the recorded trade capture', () => {
  it('parses every trade with 0 rejections', () => {
    const rec = recorder();
    const feed = new KrakenV1Feed({ instruments: new InstrumentRegistry(), listener: rec.listener });
    const result = replayCapture(readCapture(TRADES).records, feed);
    expect(result.messages).toBeGreaterThan(40);
    expect(feed.counters.rejected).toBe(0);
    expect(rec.trades.length).toBe(10);
    expect(feed.counters.trades).toBe(10);
    const first = rec.trades[0]!;
    // [993,[["354.11000000","0.89594024","1618678142.557535","s","l",""]],"trade","XMR/USD"]
    expect(first).toMatchObject({
      exchange: 'kraken',
      symbol: 'XMR/USD',
      price: 35411,
      size: 89594024,
      side: 'sell',
      exchangeTs: 1618678142557535,
      tradeId: '1618678142.557535-0',
    });
    expect(rec.trades.some((t) => t.side === 'buy')).toBe(true);
    // Ids are unique within the capture.
    expect(new Set(rec.trades.map((t) => `${t.symbol}|${t.tradeId}`)).size).toBe(rec.trades.length);
  });
});

// ---------------------------------------------------------------- hand-made frames

const PAIR = 'XBT/USD';
const instrument = makeInstrument({
  exchange: 'kraken',
  venueSymbol: PAIR,
  symbol: 'BTC/USD',
  base: 'BTC',
  quote: 'USD',
  kind: 'spot',
  priceScale: 1,
  sizeScale: 8,
  source: 'reference',
});

function newFeed() {
  const rec = recorder();
  const feed = new KrakenV1Feed({
    instruments: new InstrumentRegistry([instrument]),
    listener: rec.listener,
  });
  return { feed, rec };
}

const lvl = (p: string, v: string, ts = '1618678133.100000', ...flags: string[]) => [p, v, ts, ...flags];

function snapshotFrame(depth: number, asks: string[][], bids: string[][]): string {
  return JSON.stringify([42, { as: asks, bs: bids }, `book-${depth}`, PAIR]);
}

function updateFrame(depth: number, parts: object[]): string {
  return JSON.stringify([42, ...parts, `book-${depth}`, PAIR]);
}

/** Kraken's checksum of a (small) book given as wire strings, computed the documented way. */
function crcOf(asks: string[][], bids: string[][]): string {
  const f = (s: string) => s.replace('.', '').replace(/^0+/, '');
  let t = '';
  for (const [p, q] of asks.slice(0, 10)) t += f(p!) + f(q!);
  for (const [p, q] of bids.slice(0, 10)) t += f(p!) + f(q!);
  return String(zlibCrc32(t));
}

describe('KrakenV1Feed on hand-made frames', () => {
  it('reads the depth from the channel name', () => {
    expect(bookDepthOf('book-10')).toBe(10);
    expect(bookDepthOf('book-1000')).toBe(1000);
    expect(Number.isNaN(bookDepthOf('trade'))).toBe(true);
    expect(Number.isNaN(bookDepthOf('book-x'))).toBe(true);
  });

  it('applies entries in array order, removes on volume 0, handles republish and verifies "c"', () => {
    const { feed, rec } = newFeed();
    feed.onMessage(
      JSON.stringify({
        channelID: 42,
        channelName: 'book-10',
        event: 'subscriptionStatus',
        pair: PAIR,
        status: 'subscribed',
        subscription: { depth: 10, name: 'book' },
      }),
      1,
    );
    feed.onMessage(
      snapshotFrame(
        10,
        [lvl('100.10000', '1.00000000'), lvl('100.20000', '2.00000000')],
        [lvl('99.90000', '3.00000000')],
      ),
      2,
    );
    const sb = [...feed.books()][0]!;
    expect(sb.trust).toBe('trusted');
    expect(sb.instrument.wirePriceDecimals).toBe(5);
    // Same price twice in one message: the LAST entry wins (array order, not timestamps).
    const asks = [['100.10000', '5.00000000']];
    const bids = [['99.90000', '3.00000000']];
    const c = crcOf(asks, bids);
    feed.onMessage(
      updateFrame(10, [
        {
          a: [
            lvl('100.10000', '4.00000000', '1618678134.2'),
            lvl('100.10000', '5.00000000', '1618678134.1'),
            lvl('100.20000', '0.00000000'),
          ],
        },
        { b: [lvl('99.90000', '3.00000000', '1618678134.3', 'r')], c },
      ]),
      3,
    );
    expect(feed.counters.checksumsVerified).toBe(1);
    expect(feed.counters.checksumsFailed).toBe(0);
    expect(sb.book.asks.top()).toEqual([[1001, 500000000]]);
    expect(sb.book.bids.top()).toEqual([[999, 300000000]]);
    expect(sb.exchangeTs).toBe(1618678134300000);
    expect(rec.rejects).toEqual([]);
  });

  it('truncates to the subscribed depth after every message and records the dropped levels', () => {
    const { feed } = newFeed();
    const asks = [
      lvl('101.00000', '1.00000000'),
      lvl('102.00000', '1.00000000'),
      lvl('103.00000', '1.00000000'),
    ];
    const bids = [
      lvl('99.00000', '1.00000000'),
      lvl('98.00000', '1.00000000'),
      lvl('97.00000', '1.00000000'),
    ];
    // A 5-level snapshot on a depth-3 channel keeps 3.
    feed.onMessage(
      snapshotFrame(3, [...asks, lvl('104.00000', '1.00000000'), lvl('105.00000', '1.00000000')], bids),
      1,
    );
    const sb = [...feed.books()][0]!;
    expect(sb.book.asks.count).toBe(3);
    const seen: Array<[boolean, number, number]> = [];
    const rec2 = recorder();
    const feed2 = new KrakenV1Feed({
      instruments: new InstrumentRegistry([instrument]),
      listener: {
        ...rec2.listener,
        onBook: (_b, ch) => {
          seen.length = 0;
          for (let i = 0; i < ch.count; i++) seen.push([ch.sideAt(i), ch.priceAt(i), ch.sizeAt(i)]);
        },
      },
    });
    feed2.onMessage(snapshotFrame(3, asks, bids), 1);
    // A new best bid pushes 97 out of the top 3; no delete for 97 is sent.
    const newBids = [
      ['99.50000', '1.00000000'],
      ['99.00000', '1.00000000'],
      ['98.00000', '1.00000000'],
    ];
    const c = crcOf(asks, newBids);
    feed2.onMessage(updateFrame(3, [{ b: [lvl('99.50000', '1.00000000')], c }]), 2);
    expect(feed2.counters.checksumsVerified).toBe(1);
    const sb2 = [...feed2.books()][0]!;
    expect(sb2.book.bids.top().map(([p]) => p)).toEqual([995, 990, 980]);
    expect(seen).toEqual([
      [true, 995, 100000000],
      [true, 970, 0],
    ]);
  });

  it('a checksum mismatch makes the book stale, asks to resubscribe, and the next snapshot resyncs', () => {
    const { feed, rec } = newFeed();
    const asks = [lvl('101.00000', '1.00000000')];
    const bids = [lvl('99.00000', '1.00000000')];
    feed.onMessage(snapshotFrame(10, asks, bids), 1);
    feed.onMessage(updateFrame(10, [{ a: [lvl('101.00000', '2.00000000')], c: '12345' }]), 2);
    const sb = [...feed.books()][0]!;
    expect(feed.counters.checksumsFailed).toBe(1);
    expect(sb.trust).toBe('resyncing');
    expect(rec.requests).toEqual([
      expect.objectContaining({ venueSymbol: PAIR, symbol: 'BTC/USD', method: 'resubscribe' }),
    ]);
    // Updates while resyncing are ignored (no second request, no checksum counted).
    feed.onMessage(updateFrame(10, [{ a: [lvl('101.00000', '3.00000000')], c: '1' }]), 3);
    expect(feed.counters.checksumsFailed).toBe(1);
    expect(rec.requests).toHaveLength(1);
    feed.onMessage(snapshotFrame(10, asks, bids), 4);
    expect(sb.trust).toBe('trusted');
    expect(feed.counters.resyncs).toBe(1);
  });

  it('rejects and counts malformed frames without throwing', () => {
    const { feed, rec } = newFeed();
    feed.onMessage(snapshotFrame(10, [lvl('101.00000', '1.00000000')], [lvl('99.00000', '1.00000000')]), 1);
    const bad = [
      JSON.stringify([42, { a: [['abc', '1.00000000', '1']], c: '1' }, 'book-10', PAIR]), // bad decimal
      'not json',
      '{"event":"somethingNew"}',
      '42',
      '[42,{"a":[["101.0","1.0","1"]]},"book-10"]', // too short
      JSON.stringify([42, { x: 1 }, 'book-10', PAIR]), // neither snapshot nor update
      JSON.stringify([42, [['1', '2']], 'trade', PAIR]), // trade entries too short
      JSON.stringify([42, {}, 'mystery', PAIR]),
    ];
    for (const raw of bad) expect(() => feed.onMessage(raw, 2)).not.toThrow();
    expect(feed.counters.rejected).toBe(bad.length);
    expect(feed.counters.rejectedByReason).toEqual({ malformed: 5, unknown_message: 2, bad_decimal: 1 });
    expect(rec.rejects.map((r) => r.reason)).toContain('bad_decimal');
    // The refused update made the book stale and asked for a resubscribe.
    expect([...feed.books()][0]!.trust).toBe('resyncing');
    expect(rec.requests).toHaveLength(1);
  });

  it('ignores heartbeats and status events (counted as messages, not rejected)', () => {
    const { feed } = newFeed();
    feed.onMessage('{"event":"heartbeat"}', 1);
    feed.onMessage('{"connectionID":1,"event":"systemStatus","status":"online","version":"1.8.3"}', 2);
    feed.onMessage('{"event":"pong","reqid":1}', 3);
    expect(feed.counters.messages).toBe(3);
    expect(feed.counters.rejected).toBe(0);
  });

  it('refuses a message for a channel that belongs to another pair', () => {
    const { feed } = newFeed();
    feed.onMessage(
      JSON.stringify({
        channelID: 7,
        channelName: 'book-10',
        event: 'subscriptionStatus',
        pair: 'ETH/USD',
        status: 'subscribed',
        subscription: { depth: 10, name: 'book' },
      }),
      1,
    );
    feed.onMessage(snapshotFrame(10, [lvl('101.00000', '1.00000000')], []).replace('[42,', '[7,'), 2);
    expect(feed.counters.rejectedByReason.malformed).toBe(1);
  });

  it('marks the book stale (without a request) when unsubscribed, and all books on disconnect', () => {
    const { feed, rec } = newFeed();
    feed.onMessage(
      JSON.stringify({
        channelID: 42,
        channelName: 'book-10',
        event: 'subscriptionStatus',
        pair: PAIR,
        status: 'subscribed',
        subscription: { depth: 10, name: 'book' },
      }),
      1,
    );
    feed.onMessage(snapshotFrame(10, [lvl('101.00000', '1.00000000')], [lvl('99.00000', '1.00000000')]), 2);
    const sb = [...feed.books()][0]!;
    feed.onMessage(
      JSON.stringify({
        channelID: 42,
        channelName: 'book-10',
        event: 'subscriptionStatus',
        pair: PAIR,
        status: 'unsubscribed',
        subscription: { depth: 10, name: 'book' },
      }),
      3,
    );
    expect(sb.trust).toBe('stale');
    expect(rec.requests).toHaveLength(0);
    feed.onMessage(snapshotFrame(10, [lvl('101.00000', '1.00000000')], [lvl('99.00000', '1.00000000')]), 4);
    expect(sb.trust).toBe('trusted');
    feed.onDisconnect(5);
    expect(sb.trust).toBe('stale');
  });

  it('asks for a snapshot once when updates arrive for a pair without a book', () => {
    const { feed, rec } = newFeed();
    feed.onMessage(updateFrame(10, [{ a: [lvl('101.00000', '1.00000000')], c: '1' }]), 1);
    feed.onMessage(updateFrame(10, [{ a: [lvl('101.00000', '2.00000000')], c: '1' }]), 2);
    expect(rec.requests).toHaveLength(1);
    expect(rec.requests[0]).toMatchObject({ venueSymbol: PAIR, method: 'resubscribe' });
    expect(feed.counters.rejected).toBe(0);
  });
});
