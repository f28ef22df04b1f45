import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayCapture } from '../../../../core/capture/replay-capture.ts';
import type { BookStateEvent, MarketEvent, TradeEvent } from '../../../../core/market/events.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { type BybitCategory, createBybitFeed } from '../../../../core/venues/bybit/bybit-feed.ts';
import type { RejectReason, SnapshotRequest } from '../../../../core/venues/feed-types.ts';
import { readCapture } from '../../../../local/capture/read-capture.ts';
import { fixture } from '../../../support/fixtures.ts';

const FIXTURE = 'bybit/nautilus_xrpusdt-ob500.data.zip';

interface WireBook {
  type: 'snapshot' | 'delta';
  data: { s: string; u: number; b: [string, string][]; a: [string, string][] };
}

/** Independent reference: JSON.parse, decimal strings as Map keys, the documented rules. */
function referenceBook(bodies: readonly string[]) {
  const bids = new Map<string, string>();
  const asks = new Map<string, string>();
  let u = -1;
  for (const body of bodies) {
    const w = JSON.parse(body) as WireBook;
    if (w.type === 'snapshot') {
      bids.clear();
      asks.clear();
    } else if (w.data.u !== u + 1) throw new Error('reference gap');
    for (const [p, q] of w.data.b) Number(q) === 0 ? bids.delete(p) : bids.set(p, q);
    for (const [p, q] of w.data.a) Number(q) === 0 ? asks.delete(p) : asks.set(p, q);
    u = w.data.u;
  }
  const sort = (m: Map<string, string>, desc: boolean) =>
    [...m.entries()].sort((a, b) => (desc ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
  return { bids: sort(bids, true), asks: sort(asks, false), u };
}

function harness(category: BybitCategory = 'linear', instruments = new InstrumentRegistry()) {
  const requests: SnapshotRequest[] = [];
  const events: MarketEvent[] = [];
  const trades: TradeEvent[] = [];
  const rejects: Array<[RejectReason, string]> = [];
  const feed = createBybitFeed({
    category,
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

/** A hand-made orderbook frame. */
function book(
  type: 'snapshot' | 'delta',
  u: number,
  b: [string, string][],
  a: [string, string][],
  {
    depth = 50,
    symbol = 'BTCUSDT',
    ts = 1700000000000,
    cts,
  }: { depth?: number; symbol?: string; ts?: number; cts?: number } = {},
): string {
  return JSON.stringify({
    topic: `orderbook.${depth}.${symbol}`,
    type,
    ts,
    data: { s: symbol, b, a, u, seq: 1000 + u },
    ...(cts !== undefined ? { cts } : {}),
  });
}

const SNAP_BIDS: [string, string][] = [
  ['100.0', '1'],
  ['99.5', '2'],
];
const SNAP_ASKS: [string, string][] = [
  ['101.0', '3'],
  ['101.5', '4'],
];
const SNAP = book('snapshot', 10, SNAP_BIDS, SNAP_ASKS);

function levels(feed: ReturnType<typeof harness>['feed']) {
  const [sb] = [...feed.books()];
  return sb!.book.snapshot();
}

describe('Bybit feed on the real orderbook.500 download', () => {
  it('1 snapshot (500x500) + 49 deltas: u chain unbroken, trusted, equal to an independent reference', () => {
    const capture = readCapture(fixture(FIXTURE));
    expect(capture.exchange).toBe('bybit');
    const { feed, requests, rejects } = harness('linear');
    const result = replayCapture(capture.records, feed);
    expect(result.messages).toBe(50);
    expect(feed.counters.snapshots).toBe(1);
    expect(feed.counters.gaps).toBe(0);
    expect(feed.counters.rejected).toBe(0);
    expect(rejects).toEqual([]);
    expect(feed.counters.crossed).toBe(0);
    expect(requests).toEqual([]);

    const [sb] = [...feed.books()];
    expect(sb?.trust).toBe('trusted');
    expect(sb?.symbol).toBe('XRP/USDT:USDT');
    expect(sb?.sequence).toBe(20254918);
    expect(sb?.book.isCrossed()).toBe(false);

    const bodies = capture.records.map((r) => r.body);
    const first = JSON.parse(bodies[0]!) as WireBook;
    expect(first.type).toBe('snapshot');
    expect([first.data.b.length, first.data.a.length]).toEqual([500, 500]);
    const totalLevels = bodies.reduce((n, b) => {
      const w = JSON.parse(b) as WireBook;
      return n + w.data.b.length + w.data.a.length;
    }, 0);
    expect(feed.counters.levelChanges).toBe(totalLevels);

    const ref = referenceBook(bodies);
    expect(ref.u).toBe(20254918);
    const i = sb!.instrument;
    const ours = sb!.book.snapshot();
    expect(ours.bids).toHaveLength(500);
    expect(ours.asks).toHaveLength(500);
    expect(ours.bids).toEqual(
      ref.bids.map(([p, q]) => [parseDecimal(p, i.priceScale), parseDecimal(q, i.sizeScale)]),
    );
    expect(ours.asks).toEqual(
      ref.asks.map(([p, q]) => [parseDecimal(p, i.priceScale), parseDecimal(q, i.sizeScale)]),
    );
  });

  it('stamps the book with the matching-engine time (cts) in µs and the capture time as localTs', () => {
    const capture = readCapture(fixture(FIXTURE));
    const { feed } = harness('linear');
    replayCapture(capture.records, feed);
    const last = JSON.parse(capture.records.at(-1)!.body) as { ts: number; cts: number };
    const [sb] = [...feed.books()];
    expect(sb?.exchangeTs).toBe(last.cts * 1000);
    expect(sb?.localTs).toBe(last.ts * 1000);
  });

  it('a dropped delta is a gap: stale, resubscribe requested, later deltas ignored, the next snapshot heals', () => {
    const capture = readCapture(fixture(FIXTURE));
    const records = capture.records.filter((_, i) => i !== 20);
    const { feed, requests, states } = harness('linear');
    replayCapture(records, feed);
    expect(feed.counters.gaps).toBe(1);
    expect(feed.counters.rejected).toBe(0);
    const [sb] = [...feed.books()];
    expect(sb?.trust).toBe('resyncing');
    expect(
      states().some((s) => s.state === 'stale' && s.reason.startsWith('gap: u=20254890 expected 20254889')),
    ).toBe(true);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ exchange: 'bybit', venueSymbol: 'XRPUSDT', method: 'resubscribe' });
    // Deltas after the gap did not touch the book: it still holds u of the last good delta.
    expect(sb?.sequence).toBe(20254888);
    // Resubscribing makes Bybit send a snapshot: the book is trusted again, counted as a resync.
    feed.onMessage(capture.records[0]!.body, 1);
    expect(sb?.trust).toBe('trusted');
    expect(feed.counters.resyncs).toBe(1);
  });
});

describe('Bybit book rules on hand-made frames', () => {
  it('applies consecutive deltas; size 0 removes; a gap stops the book', () => {
    const { feed, requests } = harness();
    feed.onMessage(SNAP, 1);
    feed.onMessage(book('delta', 11, [['100.0', '0']], [['101.0', '5']]), 2);
    expect(levels(feed)).toEqual({
      bids: [[995, 2]],
      asks: [
        [1010, 5],
        [1015, 4],
      ],
    });
    feed.onMessage(book('delta', 13, [['99.0', '1']], []), 3);
    expect(feed.counters.gaps).toBe(1);
    expect(requests.map((r) => r.method)).toEqual(['resubscribe']);
    expect(levels(feed).bids).toEqual([[995, 2]]);
  });

  it('u = 1 is a service restart: the message overwrites the book even as a delta', () => {
    const { feed } = harness();
    feed.onMessage(SNAP, 1);
    feed.onMessage(book('delta', 1, [['90.0', '7']], [['91.0', '8']]), 2);
    const [sb] = [...feed.books()];
    expect(sb?.trust).toBe('trusted');
    expect(sb?.sequence).toBe(1);
    expect(levels(feed)).toEqual({ bids: [[900, 7]], asks: [[910, 8]] });
    expect(feed.counters.gaps).toBe(0);
    feed.onMessage(book('delta', 2, [['90.5', '1']], []), 3);
    expect(sb?.sequence).toBe(2);
    expect(levels(feed).bids).toEqual([
      [905, 1],
      [900, 7],
    ]);
  });

  it('a snapshot mid-stream resets the book (levels missing from it disappear)', () => {
    const { feed } = harness();
    feed.onMessage(SNAP, 1);
    feed.onMessage(book('delta', 11, [['99.0', '9']], []), 2);
    feed.onMessage(book('snapshot', 500, [['98.0', '1']], [['102.0', '1']]), 3);
    expect(levels(feed)).toEqual({ bids: [[980, 1]], asks: [[1020, 1]] });
    const [sb] = [...feed.books()];
    expect(sb?.sequence).toBe(500);
    expect(feed.counters.snapshots).toBe(2);
    expect(feed.counters.gaps).toBe(0);
    feed.onMessage(book('delta', 501, [], [['102.0', '0']]), 4);
    expect(levels(feed).asks).toEqual([]);
  });

  it('level-1 streams resend the snapshot with the same u: not a gap', () => {
    const { feed } = harness();
    const one = (u: number, bid: string) => book('snapshot', u, [[bid, '1']], [['101.0', '1']], { depth: 1 });
    feed.onMessage(one(7, '100.0'), 1);
    feed.onMessage(one(7, '100.0'), 2);
    feed.onMessage(one(8, '100.5'), 3);
    feed.onMessage(one(8, '100.5'), 4);
    expect(feed.counters.gaps).toBe(0);
    expect(feed.counters.rejected).toBe(0);
    expect(levels(feed).bids).toEqual([[1005, 1]]);
    expect([...feed.books()][0]?.trust).toBe('trusted');
  });

  it('keeps the book within the topic depth (levels pushed out get no delete)', () => {
    const { feed } = harness();
    const opts = { depth: 2 };
    feed.onMessage(book('snapshot', 5, SNAP_BIDS, SNAP_ASKS, opts), 1);
    feed.onMessage(book('delta', 6, [['100.5', '1']], [['100.8', '1']], opts), 2);
    expect(levels(feed)).toEqual({
      bids: [
        [1005, 1],
        [1000, 1],
      ],
      asks: [
        [1008, 1],
        [1010, 3],
      ],
    });
  });

  it('a delta not after the book (u ≤ last) is refused, changes nothing and breaks trust (Bybit never re-sends one)', () => {
    const { feed, requests } = harness();
    feed.onMessage(SNAP, 1);
    feed.onMessage(book('delta', 10, [['100.0', '9']], []), 2);
    expect(feed.counters.rejectedByReason).toEqual({ bad_sequence: 1 });
    expect(levels(feed).bids[0]).toEqual([1000, 1]);
    expect([...feed.books()][0]?.trust).toBe('resyncing');
    expect(requests).toHaveLength(1);
  });

  it('deltas before any snapshot ask once for a resubscribe and are dropped', () => {
    const { feed, requests } = harness();
    feed.onMessage(book('delta', 11, [['100.0', '1']], []), 1);
    feed.onMessage(book('delta', 12, [['100.0', '2']], []), 2);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      venueSymbol: 'BTCUSDT',
      symbol: 'BTC/USDT:USDT',
      method: 'resubscribe',
    });
    feed.onMessage(SNAP, 3);
    feed.onMessage(book('delta', 11, [['100.0', '3']], []), 4);
    expect(levels(feed).bids[0]).toEqual([1000, 3]);
  });

  it('after a disconnect every book is stale; the first delta asks for a resubscribe once', () => {
    const { feed, requests } = harness();
    feed.onMessage(SNAP, 1);
    feed.onDisconnect(2);
    const [sb] = [...feed.books()];
    expect(sb?.trust).toBe('stale');
    feed.onMessage(book('delta', 11, [['100.0', '3']], []), 3);
    feed.onMessage(book('delta', 12, [['100.0', '4']], []), 4);
    expect(requests).toHaveLength(1);
    expect(sb?.trust).toBe('resyncing');
    feed.onMessage(SNAP, 5);
    expect(sb?.trust).toBe('trusted');
    expect(feed.counters.resyncs).toBe(1);
  });

  it('a bad decimal inside a delta is counted and makes the book stale; a malformed frame never throws', () => {
    const { feed, requests } = harness();
    feed.onMessage(SNAP, 1);
    feed.onMessage(book('delta', 11, [['10x0.0', '1']], []), 2);
    expect(feed.counters.rejectedByReason.bad_decimal).toBe(1);
    expect([...feed.books()][0]?.trust).toBe('resyncing');
    expect(requests).toHaveLength(1);
    const bad = [
      'not json',
      '[1,2]',
      '{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[[1,2]],"a":[],"u":3}}',
      '{"topic":"orderbook.50.BTCUSDT","type":"update","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":3}}',
      '{"topic":"orderbook.50.ETHUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":3}}',
      '{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Up"}]}',
      '{"topic":"tickers.BTCUSDT","type":"delta","ts":1,"data":{"symbol":"BTCUSDT","markPrice":5}}',
    ];
    for (const raw of bad) expect(() => feed.onMessage(raw, 3)).not.toThrow();
    expect(feed.counters.rejectedByReason.malformed).toBe(bad.length);
    // A missing u is a bad sequence (counted; this book is already stale).
    feed.onMessage(
      '{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[]}}',
      4,
    );
    expect(feed.counters.rejectedByReason.bad_sequence).toBe(1);
  });

  it('a u or seq that is not a safe sequence, or a seq going back, breaks trust (bad_sequence)', () => {
    const frames = [
      book('delta', 11, [['100.0', '2']], []).replace('"u":11', '"u":9007199254740993'),
      book('delta', 11, [['100.0', '2']], []).replace('"u":11', '"u":1e400'),
      book('delta', 11, [['100.0', '2']], []).replace('"u":11', '"u":[11]'),
      book('delta', 11, [['100.0', '2']], []).replace('"u":11', '"u":0'),
      book('delta', 11, [['100.0', '2']], []).replace(/"seq":\d+/, '"seq":"x"'),
      book('delta', 11, [['100.0', '2']], []).replace(/"seq":\d+/, '"seq":5'),
    ];
    for (const raw of frames) {
      const { feed, requests } = harness();
      feed.onMessage(SNAP, 1);
      feed.onMessage(raw, 2);
      expect(feed.counters.rejectedByReason, raw).toEqual({ bad_sequence: 1 });
      expect([...feed.books()][0]?.trust, raw).toBe('resyncing');
      expect(requests, raw).toHaveLength(1);
      expect(levels(feed).bids[0], raw).toEqual([1000, 1]);
    }
  });

  it('acks and pongs are silent; unknown topics and refused requests are counted as unknown_message', () => {
    const { feed, rejects } = harness();
    feed.onMessage('{"success":true,"ret_msg":"","conn_id":"c1","req_id":"","op":"subscribe"}', 1);
    feed.onMessage('{"success":true,"ret_msg":"pong","conn_id":"c1","req_id":"","op":"ping"}', 2);
    feed.onMessage('{"req_id":"1","op":"pong","args":["1672916271846"],"conn_id":"c1"}', 3);
    expect(feed.counters.rejected).toBe(0);
    feed.onMessage('{"success":false,"ret_msg":"error:handler not found,topic:x","op":"subscribe"}', 4);
    feed.onMessage('{"topic":"kline.1.BTCUSDT","type":"snapshot","ts":1,"data":[]}', 5);
    expect(feed.counters.rejectedByReason.unknown_message).toBe(2);
    expect(rejects[0]?.[1]).toContain('subscribe refused');
  });

  it('refuses a second depth for a symbol it already follows', () => {
    const { feed } = harness();
    feed.onMessage(SNAP, 1);
    feed.onMessage(book('snapshot', 3, [['1.0', '1']], [['2.0', '1']], { depth: 1 }), 2);
    expect(feed.counters.rejectedByReason.unknown_message).toBe(1);
    expect(levels(feed).bids[0]).toEqual([1000, 1]);
  });

  it('onSnapshot takes a websocket snapshot frame and refuses REST bodies', () => {
    const { feed } = harness();
    feed.onSnapshot('BTCUSDT', SNAP, 1);
    expect([...feed.books()][0]?.trust).toBe('trusted');
    feed.onSnapshot('BTCUSDT', '{"retCode":0,"retMsg":"OK","result":{"s":"BTCUSDT","b":[],"a":[],"u":1}}', 2);
    feed.onSnapshot('BTCUSDT', '{"nope":1}', 3);
    expect(feed.counters.rejectedByReason).toEqual({ unknown_message: 1, malformed: 1 });
  });
});

describe('Bybit trades and tickers', () => {
  it('publicTrade: one trade per fill, taker side from S, trade id i, time T in µs', () => {
    const { feed, trades } = harness('spot');
    feed.onMessage(
      JSON.stringify({
        topic: 'publicTrade.BTCUSDT',
        type: 'snapshot',
        ts: 1672304486868,
        data: [
          {
            T: 1672304486865,
            s: 'BTCUSDT',
            S: 'Buy',
            v: '0.001',
            p: '16578.50',
            L: 'PlusTick',
            i: 'a-1',
            BT: false,
          },
          { T: 1672304486866, s: 'BTCUSDT', S: 'Sell', v: '0.25', p: '16578.00', i: 'a-2', BT: false },
        ],
      }),
      1672304486900000,
    );
    expect(trades).toHaveLength(2);
    expect(trades[0]).toMatchObject({
      exchange: 'bybit',
      symbol: 'BTC/USDT',
      tradeId: 'a-1',
      side: 'buy',
      exchangeTs: 1672304486865000,
      localTs: 1672304486900000,
    });
    expect(trades[1]).toMatchObject({ tradeId: 'a-2', side: 'sell' });
    const [sb] = [...feed.books()];
    expect(trades[1]!.price).toBe(parseDecimal('16578.00', sb!.instrument.priceScale));
    expect(trades[1]!.size).toBe(parseDecimal('0.25', sb!.instrument.sizeScale));
  });

  it('linear tickers: deltas are merged over the snapshot into a complete DerivativeTickerEvent', () => {
    const btc = makeInstrument({
      exchange: 'bybit',
      venueSymbol: 'BTCUSDT',
      symbol: 'BTC/USDT:USDT',
      base: 'BTC',
      quote: 'USDT',
      kind: 'perp',
      priceScale: 2,
      sizeScale: 3,
    });
    const { feed, events } = harness('linear', new InstrumentRegistry([btc]));
    feed.onMessage(
      JSON.stringify({
        topic: 'tickers.BTCUSDT',
        type: 'snapshot',
        data: {
          symbol: 'BTCUSDT',
          lastPrice: '17216.00',
          markPrice: '17217.33',
          indexPrice: '17227.36',
          openInterest: '68744.761',
          nextFundingTime: '1673280000000',
          fundingRate: '-0.000212',
          bid1Price: '17215.50',
        },
        cs: 24987956059,
        ts: 1673272861686,
      }),
      1,
    );
    feed.onMessage(
      '{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","markPrice":"17218.01"},"cs":1,"ts":1673272862000}',
      2,
    );
    const tickers = events.filter((e) => e.type === 'derivative_ticker');
    expect(tickers).toHaveLength(2);
    expect(tickers[1]).toEqual({
      type: 'derivative_ticker',
      exchange: 'bybit',
      symbol: 'BTC/USDT:USDT',
      exchangeTs: 1673272862000000,
      localTs: 2,
      markPrice: 1721801,
      indexPrice: 1722736,
      lastPrice: 1721600,
      fundingRate: -0.000212,
      nextFundingTs: 1673280000000000,
      openInterest: 68744761,
    });
    expect(feed.counters.rejected).toBe(0);
  });

  it('spot tickers are recognised and produce nothing', () => {
    const { feed, events } = harness('spot');
    feed.onMessage(
      '{"topic":"tickers.BTCUSDT","type":"snapshot","ts":1,"cs":1,"data":{"symbol":"BTCUSDT","lastPrice":"1.0"}}',
      1,
    );
    expect(events).toEqual([]);
    expect(feed.counters.rejected).toBe(0);
  });
});

describe('Bybit book against a model (property)', () => {
  const level = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 5 }));
  const side = fc.array(level, { maxLength: 8 });
  const delta = fc.record({ b: side, a: side });

  it('any run of consecutive deltas leaves the book equal to a string-keyed model cut to the depth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(delta, { maxLength: 30 }), (depth, deltas) => {
        const { feed } = harness();
        // Bids 1.0–4.0, asks 4.1–8.0: never crossed; prices written with one decimal as Bybit does.
        const bidPx = (n: number) => (n / 10).toFixed(1);
        const askPx = (n: number) => ((n + 40) / 10).toFixed(1);
        const frame = (type: 'snapshot' | 'delta', u: number, d: { b: number[][]; a: number[][] }) =>
          book(
            type,
            u,
            d.b.map(([p, q]) => [bidPx(p!), String(q)]),
            d.a.map(([p, q]) => [askPx(p!), String(q)]),
            { depth },
          );
        const model = { b: new Map<number, number>(), a: new Map<number, number>() };
        const apply = (d: { b: number[][]; a: number[][] }) => {
          for (const [p, q] of d.b) q === 0 ? model.b.delete(p!) : model.b.set(p!, q!);
          for (const [p, q] of d.a) q === 0 ? model.a.delete(p!) : model.a.set(p!, q!);
          const keep = (m: Map<number, number>, desc: boolean) =>
            new Map([...m].sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0])).slice(0, depth));
          model.b = keep(model.b, true);
          model.a = keep(model.a, false);
        };
        const seed = { b: [[1, 1]], a: [[1, 1]] };
        feed.onMessage(frame('snapshot', 100, seed), 0);
        apply(seed);
        deltas.forEach((d, i) => {
          feed.onMessage(frame('delta', 101 + i, d), i + 1);
          apply(d);
        });
        const [sb] = [...feed.books()];
        const ps = sb!.instrument.priceScale;
        const scaled = (n: number) => n * 10 ** (ps - 1);
        const ours = sb!.book.snapshot();
        expect(ours.bids).toEqual([...model.b].sort((x, y) => y[0] - x[0]).map(([p, q]) => [scaled(p), q]));
        expect(ours.asks).toEqual(
          [...model.a].sort((x, y) => x[0] - y[0]).map(([p, q]) => [scaled(p + 40), q]),
        );
        expect(sb!.trust).toBe('trusted');
        expect(feed.counters.gaps + feed.counters.rejected).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
