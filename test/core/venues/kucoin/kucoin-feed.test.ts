import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../../core/capture/capture-record.ts';
import { replayCapture } from '../../../../core/capture/replay-capture.ts';
import type { BookStateEvent, MarketEvent, TradeEvent } from '../../../../core/market/events.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { MAX_SKIPPED_RUN } from '../../../../core/venues/feed-core.ts';
import type { RejectReason, SnapshotRequest } from '../../../../core/venues/feed-types.ts';
import { createKucoinFeed } from '../../../../core/venues/kucoin/kucoin-feed.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';
import { fixture } from '../../../support/fixtures.ts';

const FIXTURE = 'kucoin/cryptofeed_KUCOIN.ws.1.0.gz';

interface WireUpdate {
  symbol: string;
  sequenceStart: number;
  sequenceEnd: number;
  changes: { asks: [string, string, string][]; bids: [string, string, string][] };
}

function harness(instruments = new InstrumentRegistry()) {
  const requests: SnapshotRequest[] = [];
  const events: MarketEvent[] = [];
  const trades: TradeEvent[] = [];
  const rejects: Array<[RejectReason, string]> = [];
  const feed = createKucoinFeed({
    instruments,
    listener: {
      onSnapshotRequest: (r) => requests.push(r),
      onEvent: (e) => events.push(e),
      onTrade: (t) => trades.push(t),
      onReject: (r, d) => rejects.push([r, d]),
    },
  });
  const states = () => events.filter((e): e is BookStateEvent => e.type === 'book_state');
  return { feed, requests, events, trades, rejects, states };
}

/**
 * Independent reference of KuCoin's calibration: JSON.parse, BigInt sequences, decimal strings as
 * Map keys. Per symbol: buffer until the snapshot, drop what it contains, then chain.
 */
function reference(records: readonly CaptureRecord[]) {
  interface Book {
    bids: Map<string, string>;
    asks: Map<string, string>;
    seq: bigint;
    zero: number;
    /** Level writes: snapshot levels + applied changes with a non-zero price. */
    writes: number;
  }
  const books = new Map<string, Book>();
  const pending = new Map<string, WireUpdate[]>();
  const apply = (b: Book, u: WireUpdate) => {
    const start = BigInt(u.sequenceStart);
    const end = BigInt(u.sequenceEnd);
    if (end <= b.seq) return;
    if (start > b.seq + 1n) throw new Error('reference gap');
    for (const [side, list] of [
      [b.bids, u.changes.bids],
      [b.asks, u.changes.asks],
    ] as const) {
      for (const [p, q, s] of list) {
        if (BigInt(s) <= b.seq) continue;
        if (Number(p) === 0) {
          b.zero++;
          continue;
        }
        Number(q) === 0 ? side.delete(p) : side.set(p, q);
        b.writes++;
      }
    }
    b.seq = end;
  };
  for (const r of records) {
    if (r.kind === 'rest') {
      const symbol = /symbol=([^&]+)/.exec(r.url)![1]!;
      const d = (JSON.parse(r.body) as { data: { sequence: string; bids: string[][]; asks: string[][] } })
        .data;
      const b: Book = {
        bids: new Map(d.bids.map(([p, q]) => [p!, q!])),
        asks: new Map(d.asks.map(([p, q]) => [p!, q!])),
        seq: BigInt(d.sequence),
        zero: 0,
        writes: d.bids.length + d.asks.length,
      };
      books.set(symbol, b);
      for (const u of pending.get(symbol) ?? []) apply(b, u);
    } else if (r.kind === 'message' && r.body.includes('"trade.l2update"')) {
      const u = (JSON.parse(r.body) as { data: WireUpdate }).data;
      const b = books.get(u.symbol);
      if (b) apply(b, u);
      else pending.set(u.symbol, [...(pending.get(u.symbol) ?? []), u]);
    }
  }
  return books;
}

describe('KuCoin feed on the real capture', () => {
  const capture = readCapture(fixture(FIXTURE));

  it('merges the REST companion: 9 snapshots, 3,853 level-2 updates of which 1,355 price-"0" entries', () => {
    expect(capture.exchange).toBe('kucoin');
    const rest = capture.records.filter((r) => r.kind === 'rest');
    expect(rest).toHaveLength(9);
    const updates = capture.records
      .filter((r) => r.kind === 'message' && r.body.includes('"trade.l2update"'))
      .map((r) => (JSON.parse(r.body) as { data: WireUpdate }).data);
    expect(updates).toHaveLength(3853);
    const zero = updates.flatMap((u) => [...u.changes.asks, ...u.changes.bids]).filter(([p]) => p === '0');
    expect(zero).toHaveLength(1355);
  });

  it('0 gaps; every representable book trusted, not crossed and equal to an independent reference', () => {
    const { feed, rejects, requests } = harness();
    const result = replayCapture(capture.records, feed);
    expect(result.unroutedSnapshots).toBe(0);
    expect(feed.counters.gaps).toBe(0);
    expect(feed.counters.crossed).toBe(0);
    expect(feed.counters.trades).toBe(18);

    // CAPP-BTC's snapshot holds ["0.0000000001","452338153.08"] beside 8-decimal sizes: 4.5e16 units,
    // past 2^53, so no exact integer scale exists for it. It is refused (counted) and stays untrusted;
    // it is the only rejection of the capture.
    expect(feed.counters.rejected).toBe(1);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]![1]).toContain('CAPP-BTC');
    const capp = feed.counters.rejectedByReason;
    expect(capp).toEqual({ overflow: 1 });

    const ref = reference(capture.records);
    const books = [...feed.books()];
    expect(books).toHaveLength(9);
    let trusted = 0;
    for (const sb of books) {
      if (sb.venueSymbol === 'CAPP-BTC') {
        expect(sb.trust).not.toBe('trusted');
        continue;
      }
      trusted++;
      expect(sb.trust, sb.venueSymbol).toBe('trusted');
      expect(sb.book.isCrossed()).toBe(false);
      const r = ref.get(sb.venueSymbol)!;
      expect(BigInt(sb.sequence)).toBe(r.seq);
      const { priceScale, sizeScale } = sb.instrument;
      const sort = (m: Map<string, string>, desc: boolean) =>
        [...m.entries()]
          .map(([p, q]) => [parseDecimal(p, priceScale), parseDecimal(q, sizeScale)])
          .sort((a, b) => (desc ? b[0]! - a[0]! : a[0]! - b[0]!));
      const ours = sb.book.snapshot();
      expect(ours.bids, sb.venueSymbol).toEqual(sort(r.bids, true));
      expect(ours.asks, sb.venueSymbol).toEqual(sort(r.asks, false));
    }
    expect(trusted).toBe(8);
    // One request per symbol (CAPP-BTC twice: its refused snapshot lets the next update ask again).
    expect(requests.map((r) => r.venueSymbol).sort()).toEqual([
      'ANKR-BTC',
      'BCHSV-USDT',
      'CAPP-BTC',
      'CAPP-BTC',
      'COV-BTC',
      'DAPPT-BTC',
      'EQZ-BTC',
      'FET-BTC',
      'NRG-BTC',
      'SNX-BTC',
    ]);
    expect(requests[0]).toMatchObject({
      exchange: 'kucoin',
      method: 'rest',
      path: '/api/v3/market/orderbook/level2?symbol=BCHSV-USDT',
    });
  });

  it('price-"0" entries advance the sequence without touching the book', () => {
    const { feed } = harness();
    replayCapture(capture.records, feed);
    const ref = reference(capture.records);
    const expectedZero = [...ref.entries()]
      .filter(([s]) => s !== 'CAPP-BTC')
      .reduce((n, [, b]) => n + b.zero, 0);
    expect(expectedZero).toBe(1303); // the other 52 are older than their snapshot, or CAPP-BTC's
    expect(feed.stats.zeroPriceChanges).toBe(expectedZero);
    for (const sb of feed.books()) {
      if (!sb.trusted) continue;
      // The book ends at the last sequenceEnd the capture holds for it (many of which were price-0 only).
      const last = capture.records
        .filter((r) => r.body.includes(`"symbol":"${sb.venueSymbol}"`) && r.body.includes('"trade.l2update"'))
        .map((r) => (JSON.parse(r.body) as { data: WireUpdate }).data.sequenceEnd)
        .at(-1);
      expect(sb.sequence).toBe(last);
      expect(sb.book.bids.priceAt(sb.book.bids.count - 1)).toBeGreaterThan(0);
      expect(sb.book.asks.priceAt(sb.book.asks.count - 1)).toBeGreaterThan(0);
      // Level writes = snapshot levels + applied changes with a non-zero price: price-0 entries wrote nothing.
      expect(sb.counters.levelChanges).toBe(ref.get(sb.venueSymbol)!.writes);
    }
  });

  it('a dropped update is a gap: stale, a REST snapshot is requested', () => {
    const firstRest = capture.records.findIndex((r) => r.kind === 'rest');
    const drop = capture.records.findIndex(
      (r, i) => i > firstRest + 200 && r.body.includes('"trade.l2update"') && r.body.includes('BCHSV-USDT'),
    );
    const { feed, requests, states } = harness();
    replayCapture(
      capture.records.filter((_, i) => i !== drop),
      feed,
    );
    expect(feed.counters.gaps).toBe(1);
    const bsv = [...feed.books()].find((b) => b.venueSymbol === 'BCHSV-USDT');
    expect(bsv?.trust).toBe('resyncing');
    expect(states().some((s) => s.symbol === 'BSV/USDT' && s.reason.startsWith('gap: sequenceStart='))).toBe(
      true,
    );
    expect(requests.filter((r) => r.venueSymbol === 'BCHSV-USDT').at(-1)).toMatchObject({
      reason: expect.stringMatching(/^gap: /),
      method: 'rest',
      path: '/api/v3/market/orderbook/level2?symbol=BCHSV-USDT',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-made frames.

const BTC = makeInstrument({
  exchange: 'kucoin',
  venueSymbol: 'BTC-USDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 1,
  sizeScale: 4,
});

type Change = [string, string, string | number];

function l2(
  start: number,
  end: number,
  bids: Change[] = [],
  asks: Change[] = [],
  symbol = 'BTC-USDT',
): string {
  return JSON.stringify({
    type: 'message',
    topic: `/market/level2:${symbol}`,
    subject: 'trade.l2update',
    data: { changes: { asks, bids }, sequenceEnd: end, sequenceStart: start, symbol, time: 1663747970273 },
  });
}

function snapshot(
  sequence: number | string,
  bids: string[][] = [['100.0', '1']],
  asks: string[][] = [['101.0', '1']],
) {
  return JSON.stringify({
    code: '200000',
    data: { sequence: String(sequence), time: 1663747970000, bids, asks },
  });
}

function fresh() {
  const h = harness(new InstrumentRegistry([BTC]));
  const book = () => [...h.feed.books()].find((b) => b.venueSymbol === 'BTC-USDT');
  return { ...h, book };
}

describe('KuCoin calibration on hand-made frames', () => {
  it('buffers until the snapshot, drops what it contains, applies the rest in order', () => {
    const { feed, requests, book } = fresh();
    feed.onMessage(l2(99, 100, [['100.0', '5', '100']]), 1);
    feed.onMessage(l2(101, 102, [['99.0', '2', '101']], [['101.0', '0', '102']]), 2);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      venueSymbol: 'BTC-USDT',
      path: '/api/v3/market/orderbook/level2?symbol=BTC-USDT',
    });
    feed.onSnapshot(
      'BTC-USDT',
      snapshot(
        100,
        [['100.0', '3']],
        [
          ['101.0', '1'],
          ['102.0', '4'],
        ],
      ),
      3,
    );
    const sb = book()!;
    expect(sb.trust).toBe('trusted');
    expect(sb.sequence).toBe(102);
    expect(sb.book.snapshot()).toEqual({
      bids: [
        [1000, 30000],
        [990, 20000],
      ],
      asks: [[1020, 40000]],
    });
    expect(feed.stats.skippedMessages).toBe(1);
  });

  it('a message straddling the snapshot applies only the changes after it', () => {
    const { feed, book } = fresh();
    feed.onMessage(
      l2(
        104,
        107,
        [
          ['100.0', '9', '104'],
          ['99.0', '1', '106'],
        ],
        [
          ['101.0', '7', '105'],
          ['102.0', '2', '107'],
        ],
      ),
      1,
    );
    feed.onSnapshot('BTC-USDT', snapshot(105), 2);
    expect(book()!.book.snapshot()).toEqual({
      bids: [
        [1000, 10000],
        [990, 10000],
      ],
      asks: [
        [1010, 10000],
        [1020, 20000],
      ],
    });
    expect(book()!.sequence).toBe(107);
    expect(feed.stats.staleChanges).toBe(2);
  });

  it('a gap marks the book stale, keeps the revealing message and heals from the next snapshot', () => {
    const { feed, requests, book, states } = fresh();
    feed.onSnapshot('BTC-USDT', snapshot(100), 1);
    feed.onMessage(l2(101, 101, [['100.0', '2', '101']]), 2);
    feed.onMessage(l2(103, 104, [['100.0', '4', '103']], [['101.0', '0', '104']]), 3);
    expect(feed.counters.gaps).toBe(1);
    expect(book()!.trust).toBe('resyncing');
    expect(states().at(-2)?.reason).toBe('gap: sequenceStart=103 expected ≤ 102');
    expect(requests).toHaveLength(1);
    feed.onMessage(l2(105, 105, [['99.0', '1', '105']]), 4);
    expect(requests).toHaveLength(1); // once per stale episode
    feed.onSnapshot('BTC-USDT', snapshot(103, [['100.0', '4']], [['101.0', '3']]), 5);
    const sb = book()!;
    expect(sb.trust).toBe('trusted');
    expect(feed.counters.resyncs).toBe(1);
    expect(sb.sequence).toBe(105);
    // 103 was in the snapshot, 104 (its ask removal) and 105 applied from the buffer.
    expect(sb.book.snapshot()).toEqual({
      bids: [
        [1000, 40000],
        [990, 10000],
      ],
      asks: [],
    });
  });

  it('a duplicate (or older) message is skipped without a gap', () => {
    const { feed, book } = fresh();
    feed.onSnapshot('BTC-USDT', snapshot(100), 1);
    const m = l2(101, 102, [['100.0', '2', '101']], [['101.0', '3', '102']]);
    feed.onMessage(m, 2);
    const last = l2(103, 103, [['100.0', '7', '103']]);
    feed.onMessage(last, 3);
    feed.onMessage(m, 4);
    feed.onMessage(last, 5);
    expect(feed.counters.gaps).toBe(0);
    expect(feed.stats.skippedMessages).toBe(2);
    expect(book()!.sequence).toBe(103);
    expect(book()!.book.bids.sizeAtPrice(1000)).toBe(70000);
    expect(book()!.trust).toBe('trusted');
  });

  it('a snapshot older than the first buffered message is fetched again, not applied', () => {
    const { feed, requests, book } = fresh();
    feed.onMessage(l2(110, 112, [['100.0', '2', '112']]), 1);
    feed.onSnapshot('BTC-USDT', snapshot(100), 2);
    expect(book()).toBeUndefined();
    expect(requests.map((r) => r.reason)).toEqual([
      'no book yet',
      'snapshot 100 older than buffered sequenceStart 110',
    ]);
    feed.onSnapshot('BTC-USDT', snapshot(109), 3);
    expect(book()!.trust).toBe('trusted');
    expect(book()!.sequence).toBe(112);
    expect(book()!.book.bids.sizeAtPrice(1000)).toBe(20000);
  });

  it('an unsolicited snapshot for a trusted book is ignored', () => {
    const { feed, book } = fresh();
    feed.onSnapshot('BTC-USDT', snapshot(100), 1);
    feed.onMessage(l2(101, 101, [['100.0', '2', '101']]), 2);
    feed.onSnapshot('BTC-USDT', snapshot(90, [['1.0', '1']]), 3);
    expect(book()!.sequence).toBe(101);
    expect(feed.counters.snapshots).toBe(1);
  });

  it('price "0" changes nothing but advances the sequence; size "0" removes', () => {
    const { feed, book } = fresh();
    feed.onSnapshot('BTC-USDT', snapshot(100), 1);
    feed.onMessage(l2(101, 101, [], [['0', '0', '101']]), 2);
    expect(book()!.sequence).toBe(101);
    expect(book()!.book.snapshot()).toEqual({ bids: [[1000, 10000]], asks: [[1010, 10000]] });
    feed.onMessage(l2(102, 102, [['100.0', '0', '102']]), 3);
    expect(book()!.book.bids.count).toBe(0);
    expect(feed.counters.gaps).toBe(0);
    expect(feed.stats.zeroPriceChanges).toBe(1);
  });

  it('sequences are exact at 1.6e12 and may arrive as strings', () => {
    const { feed, book } = fresh();
    feed.onSnapshot('BTC-USDT', snapshot('1613277183892'), 1);
    feed.onMessage(l2(1613277183893, 1613277183893, [['100.0', '2', '1613277183893']]), 2);
    feed.onMessage(
      '{"type":"message","topic":"/market/level2:BTC-USDT","subject":"trade.l2update","data":{"changes":{"asks":[],"bids":[["100.0","3","1613277183894"]]},"sequenceStart":"1613277183894","sequenceEnd":"1613277183894","symbol":"BTC-USDT"}}',
      3,
    );
    expect(book()!.sequence).toBe(1613277183894);
    expect(book()!.book.bids.sizeAtPrice(1000)).toBe(30000);
    feed.onMessage(l2(1613277183896, 1613277183896), 4);
    expect(feed.counters.gaps).toBe(1);
  });

  it('malformed frames are counted, never thrown, and leave the book alone', () => {
    const { feed, book } = fresh();
    feed.onSnapshot('BTC-USDT', snapshot(100), 1);
    const bad = [
      'not json',
      '[]',
      '{"type":"message","topic":"/market/level2:ETH-USDT","subject":"trade.l2update","data":{"symbol":"ETH-USDT"}}',
      '{"type":"message","topic":"/market/match:BTC-USDT","subject":"trade.l3match","data":{"symbol":"BTC-USDT","side":"up"}}',
    ];
    for (const raw of bad) expect(() => feed.onMessage(raw, 2)).not.toThrow();
    expect(feed.counters.rejectedByReason).toEqual({ malformed: bad.length });
    expect(book()!.trust).toBe('trusted');
  });

  it('a message whose sequences cannot be right is refused as bad_sequence and its book rebuilt', () => {
    const bad = [
      l2(-5, 101),
      l2(102, 101),
      l2(1.5, 2),
      '{"type":"message","topic":"/market/level2:BTC-USDT","subject":"trade.l2update","data":{"changes":{"asks":[],"bids":[["1","2"]]},"sequenceStart":101,"sequenceEnd":101,"symbol":"BTC-USDT"}}',
      l2(101, 101).replace('"sequenceEnd":101', '"sequenceEnd":9007199254740993'),
      l2(101, 101).replace('"sequenceEnd":101', '"sequenceEnd":1e400'),
      l2(101, 101, [['100.0', '1', '100']]), // a change before sequenceStart
      l2(101, 102, [['100.0', '1', '101']]), // nothing carries sequenceEnd
      l2(101, 102, [['100.0', '1', '102']], [['101.0', '1', '102']]), // one seq on both sides
      l2(101, 102, [
        ['100.0', '1', '102'],
        ['99.0', '1', '101'],
      ]), // not increasing
      '{"type":"message","topic":"/market/level2:BTC-USDT","subject":"trade.l2update","data":{"changes":{"asks":[],"bids":[]},"sequenceStart":101,"symbol":"BTC-USDT"}}',
    ];
    for (const raw of bad) {
      const { feed, book, requests } = fresh();
      feed.onSnapshot('BTC-USDT', snapshot(100), 1);
      feed.onMessage(raw, 2);
      expect(feed.counters.rejectedByReason, raw).toEqual({ bad_sequence: 1 });
      expect(book()!.trust, raw).toBe('resyncing');
      expect(requests, raw).toHaveLength(1);
      // The next snapshot rebuilds it.
      feed.onMessage(l2(102, 102, [['99.0', '2', '102']]), 3);
      feed.onSnapshot('BTC-USDT', snapshot(101), 4);
      expect(book()!.trust, raw).toBe('trusted');
      expect(book()!.sequence, raw).toBe(102);
    }
  });

  it('consecutive messages chain exactly; an overlap mid-stream breaks trust', () => {
    const { feed, book } = fresh();
    feed.onSnapshot('BTC-USDT', snapshot(100), 1);
    // Straddling the snapshot is normal: the part up to 100 is in it.
    feed.onMessage(
      l2(
        99,
        101,
        [
          ['100.0', '2', '99'],
          ['99.0', '1', '101'],
        ],
        [['101.0', '5', '100']],
      ),
      2,
    );
    expect(book()!.book.snapshot()).toEqual({
      bids: [
        [1000, 10000],
        [990, 10000],
      ],
      asks: [[1010, 10000]],
    });
    expect(book()!.trust).toBe('trusted');
    feed.onMessage(l2(101, 103, [['98.0', '1', '102']], [['102.0', '1', '103']]), 3);
    expect(feed.counters.rejectedByReason).toEqual({ bad_sequence: 1 });
    expect(book()!.trust).toBe('resyncing');
  });

  it('a bad change makes the book stale', () => {
    const { feed, book, requests } = fresh();
    feed.onSnapshot('BTC-USDT', snapshot(100), 1);
    feed.onMessage(l2(101, 101, [['1o0.0', '1', '101']]), 3);
    expect(feed.counters.rejectedByReason.bad_decimal).toBe(1);
    feed.onMessage(l2(102, 102, [['100.0', '1', 'x']]), 4); // the book is already stale: counted only
    expect(feed.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(book()!.trust).toBe('resyncing');
    expect(requests).toHaveLength(1);
  });

  it('diffs the snapshot already holds: a catch-up right after it, a run that never ends makes the book stale', () => {
    const { feed, book } = fresh();
    // A snapshot far ahead of the stream (its sequence read too high).
    feed.onSnapshot('BTC-USDT', snapshot(10_000), 0);
    const send = (k: number, at: number) =>
      feed.onMessage(l2(101 + k, 101 + k, [['99.0', '1', String(101 + k)]]), at);
    // Within 2 s of the snapshot the skips are catch-up (the websocket lags the REST response)...
    for (let k = 0; k < 100; k++) send(k, 19_000 * k);
    expect(feed.counters.gaps).toBe(0);
    expect(book()!.trust).toBe('trusted');
    // ...after it, a run longer than FeedCore allows is a book sequence ahead of the feed.
    for (let k = 100; k <= 100 + MAX_SKIPPED_RUN; k++) send(k, 2_000_001 + k);
    expect(feed.counters.skippedApplied).toBe(101 + MAX_SKIPPED_RUN);
    expect(feed.counters.gaps).toBe(1);
    expect(book()!.trust).toBe('resyncing');
  });

  it('a buffered message that does not chain onto the buffer drops what is before it', () => {
    const { feed, book } = fresh();
    feed.onMessage(l2(101, 101, [['99.0', '1', '101']]), 1);
    feed.onMessage(l2(105, 105, [['99.0', '3', '105']]), 2); // 102–104 never arrived
    feed.onMessage(l2(106, 106, [['98.0', '3', '106']]), 3);
    expect(feed.stats.unbridgeable).toBe(1);
    feed.onSnapshot('BTC-USDT', snapshot(104), 4);
    expect(book()!.trust).toBe('trusted');
    expect(book()!.sequence).toBe(106);
    expect(book()!.book.bids.sizeAtPrice(990)).toBe(30000);
  });

  it('refused snapshot responses are counted; asking again stops after three in a row', () => {
    const { feed, requests } = fresh();
    feed.onMessage(l2(101, 101), 1);
    expect(requests).toHaveLength(1);
    feed.onSnapshot('BTC-USDT', '{"code":"429000","msg":"Too Many Requests"}', 2);
    feed.onMessage(l2(102, 102), 3);
    expect(requests).toHaveLength(2);
    feed.onSnapshot('BTC-USDT', '{"code":"200000","data":{"sequence":"x","bids":[],"asks":[]}}', 4);
    feed.onMessage(l2(103, 103), 5);
    feed.onSnapshot('BTC-USDT', 'oops', 6);
    feed.onMessage(l2(104, 104), 7);
    expect(requests).toHaveLength(3);
    expect(feed.counters.rejectedByReason).toEqual({ unknown_message: 1, bad_sequence: 1, malformed: 1 });
    feed.onDisconnect(8);
    feed.onMessage(l2(201, 201), 9);
    expect(requests).toHaveLength(4);
  });

  it('control frames, tickers and candles are silent; unknown subjects and venue errors are counted', () => {
    const { feed } = fresh();
    for (const raw of [
      '{"id":"NSkIrWGB1s","type":"welcome"}',
      '{"id":"1","type":"ack"}',
      '{"id":"2","type":"pong"}',
      '{"data":{"sequence":"1612844051653","bestAsk":"0.00028717","price":"0.00028676","time":1619378326323},"subject":"trade.ticker","topic":"/market/ticker:SNX-BTC","type":"message"}',
      '{"data":{"symbol":"DAPPT-BTC","candles":["1619378220","0.1"],"time":1619378328806000034},"subject":"trade.candles.add","topic":"/market/candles:DAPPT-BTC_1min","type":"message"}',
    ])
      feed.onMessage(raw, 1);
    expect(feed.counters.rejected).toBe(0);
    feed.onMessage('{"type":"message","topic":"/market/new:X","subject":"trade.new","data":{}}', 2);
    feed.onMessage('{"id":"3","type":"error","code":404,"data":"topic /market/xx is not found"}', 3);
    expect(feed.counters.rejectedByReason).toEqual({ unknown_message: 2 });
  });

  it('l3match: taker side, trade id, ns time cut to µs without a float', () => {
    const { feed, trades } = fresh();
    feed.onMessage(
      '{"data":{"symbol":"BTC-USDT","sequence":"1612701563869","side":"sell","size":"0.0125","price":"30000.5","takerOrderId":"t","time":"1619378327739050725","type":"match","makerOrderId":"m","tradeId":"6085c09769bc506996295e36"},"subject":"trade.l3match","topic":"/market/match:BTC-USDT","type":"message"}',
      5,
    );
    expect(trades).toEqual([
      {
        type: 'trade',
        exchange: 'kucoin',
        symbol: 'BTC/USDT',
        exchangeTs: 1619378327739050,
        localTs: 5,
        tradeId: '6085c09769bc506996295e36',
        price: 300005,
        size: 125,
        side: 'sell',
      },
    ]);
  });
});

describe('KuCoin calibration against a model (property)', () => {
  // A stream of single-level changes with consecutive sequences, cut into messages. The feed joins
  // late (misses the first `skip` messages) and gets the model's state at some sequence as its
  // snapshot, at some point of the stream.
  const change = fc.record({
    bid: fc.boolean(),
    price: fc.integer({ min: 0, max: 12 }), // 0 = the price-"0" no-op entry
    size: fc.integer({ min: 0, max: 3 }),
  });

  it('a trusted book always equals the model at its sequence; a covering snapshot always syncs', () => {
    fc.assert(
      fc.property(
        fc.array(change, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (changes, cuts, snapRaw, deliverRaw, skipRaw) => {
          const base = 1_612_694_580_000;
          const bids = new Map<number, number>();
          const asks = new Map<number, number>();
          // Model state after each sequence (index = sequence - base).
          const states = [{ bids: new Map<number, number>(), asks: new Map<number, number>() }];
          for (const c of changes) {
            if (c.price > 0) {
              // Bids at 1–12, asks at 21–32: never crossed.
              const m = c.bid ? bids : asks;
              const p = c.bid ? c.price : c.price + 20;
              c.size === 0 ? m.delete(p) : m.set(p, c.size);
            }
            states.push({ bids: new Map(bids), asks: new Map(asks) });
          }
          const messages: Array<{ start: number; raw: string }> = [];
          for (let at = 0, k = 0; at < changes.length; k++) {
            const n = Math.min(cuts[k % cuts.length]!, changes.length - at);
            const bidsW: Change[] = [];
            const asksW: Change[] = [];
            for (let j = at; j < at + n; j++) {
              const c = changes[j]!;
              const px = c.price === 0 ? '0' : `${c.bid ? c.price : c.price + 20}.0`;
              (c.bid ? bidsW : asksW).push([px, c.price === 0 ? '0' : String(c.size), String(base + j + 1)]);
            }
            messages.push({ start: at + 1, raw: l2(base + at + 1, base + at + n, bidsW, asksW) });
            at += n;
          }
          const skip = skipRaw % messages.length;
          const snapSeq = snapRaw % (changes.length + 1);
          const deliverAt = skip + (deliverRaw % (messages.length - skip + 1));
          const levels = (m: Map<number, number>) => [...m].map(([p, q]) => [`${p}.0`, String(q)]);
          const body = snapshot(base + snapSeq, levels(states[snapSeq]!.bids), levels(states[snapSeq]!.asks));

          const { feed, book } = fresh();
          for (let i = skip; i <= messages.length; i++) {
            if (i === deliverAt) feed.onSnapshot('BTC-USDT', body, i);
            if (i < messages.length) feed.onMessage(messages[i]!.raw, i);
          }
          const sb = book();
          const sorted = (m: Map<number, number>, desc: boolean) =>
            [...m].sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0])).map(([p, q]) => [p * 10, q * 10_000]);
          expect(feed.counters.rejected).toBe(0);
          if (sb?.trust === 'trusted') {
            const model = states[sb.sequence - base]!;
            expect(sb.book.snapshot()).toEqual({
              bids: sorted(model.bids, true),
              asks: sorted(model.asks, false),
            });
          }
          // The snapshot covers every change before the first message the feed saw: it must sync to the end.
          if (snapSeq >= messages[skip]!.start - 1) {
            expect(feed.counters.gaps).toBe(0);
            expect(sb?.trust).toBe('trusted');
            expect(sb!.sequence).toBe(base + changes.length);
          } else {
            expect(sb?.trust).not.toBe('trusted');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
