import { describe, expect, it } from 'vitest';
import type {
  BookStateEvent,
  L3OrderEvent,
  MarketEvent,
  TradeEvent,
} from '../../../../core/market/events.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { seededRandom } from '../../../../core/sim/random.ts';
import { createCoinbaseFeed } from '../../../../core/venues/coinbase/create-coinbase-feed.ts';
import type { RejectReason, SnapshotRequest } from '../../../../core/venues/feed-types.ts';

const P = 'BTC-USD';
const BTC_USD = makeInstrument({
  exchange: 'coinbase',
  venueSymbol: P,
  symbol: 'BTC/USD',
  base: 'BTC',
  quote: 'USD',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 8,
  source: 'reference',
});
const TIME = '2022-06-09T04:01:48.757000Z';

type Fields = Record<string, unknown>;
const wire = (type: string, sequence: number, fields: Fields) =>
  JSON.stringify({ type, product_id: P, sequence, time: TIME, ...fields });
const open = (seq: number, id: string, side: 'buy' | 'sell', price: string, size: string) =>
  wire('open', seq, { order_id: id, side, price, remaining_size: size });
const done = (seq: number, id: string, reason: 'canceled' | 'filled' = 'canceled', remaining = '0') =>
  wire('done', seq, { order_id: id, reason, remaining_size: remaining, side: 'buy', price: '1' });
const match = (
  seq: number,
  maker: string,
  side: 'buy' | 'sell',
  price: string,
  size: string,
  tradeId: number,
) =>
  wire('match', seq, {
    trade_id: tradeId,
    maker_order_id: maker,
    taker_order_id: 'taker',
    side,
    price,
    size,
  });
const received = (seq: number, id: string) =>
  wire('received', seq, { order_id: id, order_type: 'limit', side: 'buy', price: '10.00', size: '1' });
const snapshot = (sequence: number, bids: string[][], asks: string[][]) =>
  JSON.stringify({ sequence, bids, asks });

function fullFeed(options: { maxBuffered?: number } = {}) {
  const events: MarketEvent[] = [];
  const trades: TradeEvent[] = [];
  const requests: SnapshotRequest[] = [];
  const rejects: Array<[RejectReason, string]> = [];
  const feed = createCoinbaseFeed({
    instruments: new InstrumentRegistry([BTC_USD]),
    protocol: 'exchange',
    book: 'full',
    ...options,
    listener: {
      onEvent: (e) => events.push(e),
      onTrade: (t) => trades.push(t),
      onSnapshotRequest: (r) => requests.push(r),
      onReject: (r, d) => rejects.push([r, d]),
    },
  });
  const sb = () => [...feed.books()].find((b) => b.venueSymbol === P)!;
  const l3 = () => feed.l3Book(P)!;
  const l3Events = () => events.filter((e): e is L3OrderEvent => e.type === 'l3_order');
  const states = () => events.filter((e): e is BookStateEvent => e.type === 'book_state').map((e) => e.state);
  /** The L2 book must always equal the L3 book's aggregate. */
  const expectAggregateInSync = () => {
    const book = l3();
    for (const isBid of [true, false]) {
      const side = isBid ? sb().book.bids : sb().book.asks;
      expect(side.count).toBe(book.levelCount(isBid));
      for (let i = 0; i < side.count; i++) {
        const orders = book.ordersAt(isBid, side.priceAt(i));
        expect(orders.reduce((s, [, q]) => s + q, 0)).toBe(side.sizeAt(i));
      }
    }
  };
  return { feed, events, trades, requests, rejects, sb, l3, l3Events, states, expectAggregateInSync };
}

/** A trusted book at sequence 100: bids a(100.00×1), b(100.00×2), c(99.00×5); asks x(101.00×1). */
function trustedAt100() {
  const f = fullFeed();
  f.feed.onMessage(received(100, 'zz'), 1); // buffers, asks for the snapshot
  f.feed.onSnapshot(
    P,
    snapshot(
      100,
      [
        ['100.00', '1', 'a'],
        ['100.00', '2', 'b'],
        ['99.00', '5', 'c'],
      ],
      [['101.00', '1', 'x']],
    ),
    2,
  );
  expect(f.sb().trust).toBe('trusted');
  return f;
}

describe('Coinbase full channel (L3): snapshot alignment', () => {
  it('buffers until the REST level-3 snapshot, discards sequence ≤ snapshot, applies the rest', () => {
    const f = fullFeed();
    f.feed.onMessage(open(101, 'o1', 'buy', '99.50', '0.5'), 1);
    f.feed.onMessage(open(102, 'o2', 'sell', '100.50', '1.5'), 2);
    f.feed.onMessage(open(103, 'o3', 'buy', '99.50', '0.25'), 3);
    f.feed.onMessage(done(104, 'o1'), 4);
    expect(f.requests).toEqual([
      {
        exchange: 'coinbase',
        venueSymbol: P,
        symbol: 'BTC/USD',
        method: 'rest',
        path: '/products/BTC-USD/book?level=3',
        weight: 1,
        reason: 'no L3 book yet',
      },
    ]);
    expect(f.feed.books()).toEqual(expect.anything());
    // The snapshot already contains 101 and 102 (o1 and o2 rest on it).
    f.feed.onSnapshot(P, snapshot(102, [['99.50', '0.5', 'o1']], [['100.50', '1.5', 'o2']]), 5);
    const sb = f.sb();
    expect(sb.trust).toBe('trusted');
    expect(sb.sequence).toBe(104);
    expect(f.l3().ordersAt(true, 9950)).toEqual([['o3', 25_000_000]]);
    expect(sb.book.snapshot()).toEqual({ bids: [[9950, 25_000_000]], asks: [[10050, 150_000_000]] });
    expect(f.l3Events().map((e) => [e.action, e.sequence, e.orderId])).toEqual([
      ['open', 103, 'o3'],
      ['done', 104, 'o1'],
    ]);
    expect(f.feed.counters.snapshots).toBe(1);
    expect(f.feed.counters.gaps).toBe(0);
    f.expectAggregateInSync();
  });

  it('fetches again when the snapshot is older than the first buffered message', () => {
    const f = fullFeed();
    f.feed.onMessage(open(110, 'o1', 'buy', '99.50', '1'), 1);
    f.feed.onSnapshot(P, snapshot(100, [], []), 2);
    expect(f.requests.map((r) => r.reason)).toEqual([
      'no L3 book yet',
      'snapshot 100 older than buffered sequence 110',
    ]);
    expect(f.feed.books()).toEqual(expect.anything());
    expect(f.feed.l3Book(P)).toBeUndefined();
    f.feed.onSnapshot(P, snapshot(109, [], []), 3);
    expect(f.sb().trust).toBe('trusted');
    expect(f.l3().has('o1')).toBe(true);
  });

  it('a snapshot with a duplicate order id or a bad size is refused (counted) and asked for again', () => {
    const f = fullFeed();
    f.feed.onMessage(received(5, 'r'), 1);
    f.feed.onSnapshot(
      P,
      snapshot(
        5,
        [
          ['1.00', '1', 'a'],
          ['1.00', '1', 'a'],
        ],
        [],
      ),
      2,
    );
    expect(f.feed.counters.rejectedByReason.malformed).toBe(1);
    f.feed.onMessage(received(6, 'r2'), 3); // the next message asks again
    expect(f.requests).toHaveLength(2);
    f.feed.onSnapshot(P, snapshot(6, [['1.001', '1', 'a']], []), 4);
    expect(f.feed.counters.rejectedByReason.precision).toBe(1);
    f.feed.onSnapshot(P, '{"sequence":"6"}', 5);
    expect(f.feed.counters.rejectedByReason.malformed).toBe(2);
    f.feed.onSnapshot(P, snapshot(6, [['1.00', '1', 'a']], []), 6);
    expect(f.sb().trust).toBe('trusted');
    expect(f.sb().book.snapshot().bids).toEqual([[100, 100_000_000]]);
  });
});

describe('Coinbase full channel (L3): sequence rules', () => {
  it('a gap marks the book stale, buffers, asks for a snapshot and recovers from it', () => {
    const f = trustedAt100();
    f.feed.onMessage(open(101, 'o1', 'buy', '98.00', '1'), 3);
    f.feed.onMessage(open(103, 'o3', 'buy', '97.00', '1'), 4); // 102 lost
    expect(f.feed.counters.gaps).toBe(1);
    expect(f.sb().trust).toBe('resyncing');
    expect(f.requests.at(-1)).toMatchObject({ method: 'rest', reason: 'gap: sequence 103, expected 102' });
    f.feed.onMessage(open(104, 'o4', 'sell', '102.00', '1'), 5);
    expect(f.l3().has('o3')).toBe(false); // waiting
    f.feed.onSnapshot(
      P,
      snapshot(
        103,
        [
          ['98.00', '1', 'o1'],
          ['97.00', '1', 'o3'],
        ],
        [['101.00', '1', 'x']],
      ),
      6,
    );
    expect(f.sb().trust).toBe('trusted');
    expect(f.sb().sequence).toBe(104);
    expect(f.l3().has('o4')).toBe(true);
    expect(f.feed.counters.resyncs).toBe(1);
    expect(f.states()).toEqual(['trusted', 'stale', 'resyncing', 'trusted']);
    f.expectAggregateInSync();
  });

  it('drops duplicates and out-of-order messages without touching the book', () => {
    const f = trustedAt100();
    f.feed.onMessage(open(101, 'o1', 'buy', '98.00', '1'), 3);
    f.feed.onMessage(open(101, 'o1', 'buy', '98.00', '1'), 4); // duplicate
    f.feed.onMessage(done(99, 'a'), 5); // older than the book
    f.feed.onMessage(done(100, 'b'), 6); // already in the snapshot
    expect(f.feed.duplicates).toBe(3);
    expect(f.sb().trust).toBe('trusted');
    expect(f.l3().has('a')).toBe(true);
    expect(f.l3().has('b')).toBe(true);
    expect(f.l3().orderCount).toBe(5);
    expect(f.feed.counters.gaps).toBe(0);
    expect(f.feed.counters.rejected).toBe(0);
  });

  it('a sequence that is not a safe non-negative integer breaks trust (bad_sequence) and the snapshot heals', () => {
    for (const bad of ['"x"', '-1', '1.5', '9007199254740993', '1e400', 'null', '[101]']) {
      const f = trustedAt100();
      const raw = open(101, 'o1', 'buy', '98.00', '1').replace('"sequence":101', `"sequence":${bad}`);
      expect(raw).toContain(bad);
      f.feed.onMessage(raw, 3);
      expect(f.feed.counters.rejectedByReason, bad).toEqual({ bad_sequence: 1 });
      expect(f.sb().trust, bad).toBe('resyncing');
      f.feed.onMessage(open(102, 'o2', 'buy', '98.00', '1'), 4);
      f.feed.onSnapshot(P, snapshot(101, [['98.00', '1', 'o1']], [['101.00', '1', 'x']]), 5);
      expect(f.sb().trust, bad).toBe('trusted');
      expect(f.l3().has('o2'), bad).toBe(true);
    }
  });

  it('a buffered message with a wrong sequence is dropped when a later one continues the book', () => {
    const f = trustedAt100();
    f.feed.onMessage(open(1101, 'o1', 'buy', '98.00', '1'), 3); // 101 read as 1101: a gap
    expect(f.sb().trust).toBe('resyncing');
    f.feed.onMessage(open(102, 'o2', 'buy', '97.00', '1'), 4);
    f.feed.onSnapshot(P, snapshot(101, [['98.00', '1', 'o1']], [['101.00', '1', 'x']]), 5);
    expect(f.sb().trust).toBe('trusted');
    expect(f.sb().sequence).toBe(102);
    expect(f.l3().has('o2')).toBe(true);
  });

  it('a match against an order we do not hold is treated as a missed message (gap)', () => {
    const f = trustedAt100();
    f.feed.onMessage(match(101, 'ghost', 'sell', '101.00', '1', 7), 3);
    expect(f.feed.counters.gaps).toBe(1);
    expect(f.sb().trust).toBe('resyncing');
    // The trade itself is still reported: trades do not depend on our book.
    expect(f.trades).toHaveLength(1);
  });
});

describe('Coinbase full channel (L3): order life cycle', () => {
  it('open appends to the queue; a partial match fills in place; done removes; queueAhead follows', () => {
    const f = trustedAt100();
    f.feed.onMessage(open(101, 'd', 'buy', '100.00', '4'), 3);
    const l3 = f.l3();
    expect(l3.ordersAt(true, 10000).map(([id]) => id)).toEqual(['a', 'b', 'd']);
    expect(l3.queueAhead('d')).toBe(300_000_000);
    // A seller hits the bid: match side is the maker's (buy) → aggressor sell.
    f.feed.onMessage(match(102, 'a', 'buy', '100.00', '0.4', 555), 4);
    expect(f.trades.at(-1)).toMatchObject({ side: 'sell', price: 10000, size: 40_000_000, tradeId: '555' });
    expect(l3.ordersAt(true, 10000)).toEqual([
      ['a', 60_000_000],
      ['b', 200_000_000],
      ['d', 400_000_000],
    ]);
    expect(l3.queueAhead('d')).toBe(260_000_000);
    f.feed.onMessage(done(103, 'b'), 5);
    expect(l3.queueAhead('d')).toBe(60_000_000);
    expect(f.sb().book.bids.sizeAt(0)).toBe(460_000_000);
    // Complete fill removes the order at the match; its done is then a no-op.
    f.feed.onMessage(match(104, 'a', 'buy', '100.00', '0.6', 556), 6);
    f.feed.onMessage(done(105, 'a', 'filled'), 7);
    expect(l3.has('a')).toBe(false);
    expect(l3.queueAhead('d')).toBe(0);
    expect(f.sb().sequence).toBe(105);
    const evs = f.l3Events();
    expect(evs.map((e) => [e.action, e.orderId, e.side, e.price, e.size])).toEqual([
      ['open', 'd', 'buy', 10000, 400_000_000],
      ['match', 'a', 'buy', 10000, 40_000_000],
      ['done', 'b', 'buy', 10000, 0],
      ['match', 'a', 'buy', 10000, 60_000_000],
    ]);
    expect(evs[1]).toMatchObject({ takerOrderId: 'taker', tradeId: '555', symbol: 'BTC/USD' });
    expect(evs[2]).toMatchObject({ reason: 'canceled' });
    f.expectAggregateInSync();
  });

  it('done and change for orders never on the book are ignored (market orders, received-only)', () => {
    const f = trustedAt100();
    f.feed.onMessage(received(101, 'm1'), 3);
    f.feed.onMessage(
      wire('change', 102, { order_id: 'm1', new_funds: '5', old_funds: '10', price: null, side: 'buy' }),
      4,
    );
    f.feed.onMessage(wire('done', 103, { order_id: 'm1', reason: 'filled', side: 'buy' }), 5);
    f.feed.onMessage(
      wire('activate', 104, { order_id: 's1', stop_type: 'entry', side: 'buy', stop_price: '5' }),
      6,
    );
    expect(f.sb().trust).toBe('trusted');
    expect(f.sb().sequence).toBe(104);
    expect(f.feed.counters.rejected).toBe(0);
    expect(f.l3Events().map((e) => e.action)).toEqual(['received']);
  });

  it('change: new_size keeps priority on a decrease; Modify new_price moves the order to the back of its new level', () => {
    const f = trustedAt100();
    const l3 = f.l3();
    // STP-style size decrease of 'a': stays first.
    f.feed.onMessage(
      wire('change', 101, { order_id: 'a', new_size: '0.5', old_size: '1', price: '100.00', side: 'buy' }),
      3,
    );
    expect(l3.ordersAt(true, 10000)).toEqual([
      ['a', 50_000_000],
      ['b', 200_000_000],
    ]);
    // Modify Order (changelog example shape): price 100.00 → 99.00, size unchanged.
    f.feed.onMessage(
      wire('change', 102, {
        order_id: 'a',
        old_size: '0.5',
        new_size: '0.5',
        old_price: '100.00',
        new_price: '99.00',
        side: 'buy',
      }),
      4,
    );
    expect(l3.ordersAt(true, 10000)).toEqual([['b', 200_000_000]]);
    expect(l3.ordersAt(true, 9900)).toEqual([
      ['c', 500_000_000],
      ['a', 50_000_000],
    ]);
    // Modify increasing size at the same price: loses priority.
    f.feed.onMessage(wire('change', 103, { order_id: 'c', old_size: '5', new_size: '6', side: 'buy' }), 5);
    expect(l3.ordersAt(true, 9900).map(([id]) => id)).toEqual(['a', 'c']);
    expect(f.sb().book.snapshot().bids).toEqual([
      [10000, 200_000_000],
      [9900, 650_000_000],
    ]);
    // The done of a modified order names whatever price; removal is by id.
    f.feed.onMessage(
      wire('done', 104, {
        order_id: 'a',
        reason: 'canceled',
        price: '100.00',
        remaining_size: '0.5',
        side: 'buy',
      }),
      6,
    );
    expect(l3.has('a')).toBe(false);
    expect(f.l3Events().map((e) => [e.action, e.orderId, e.price, e.size])).toEqual([
      ['change', 'a', 10000, 50_000_000],
      ['change', 'a', 9900, 50_000_000],
      ['change', 'c', 9900, 600_000_000],
      ['done', 'a', 9900, 50_000_000],
    ]);
    f.expectAggregateInSync();
  });

  it('malformed messages are counted, never thrown; one inside the sequence rebuilds the book', () => {
    const f = trustedAt100();
    for (const bad of [
      '{',
      '"x"',
      '{"type":"open","product_id":"ETH-USD"}',
      '{"type":"open","sequence":1}',
    ]) {
      expect(() => f.feed.onMessage(bad, 3)).not.toThrow();
    }
    expect(f.rejects.map((r) => r[0])).toEqual(['malformed', 'malformed', 'bad_sequence', 'malformed']);
    expect(f.sb().trust).toBe('trusted');
    f.feed.onMessage(open(101, 'q', 'buy', 'NaN', '1'), 4);
    expect(f.rejects.at(-1)![0]).toBe('bad_decimal');
    expect(f.sb().trust).toBe('resyncing');
    f.feed.onSnapshot(P, snapshot(101, [], []), 5);
    f.feed.onMessage(open(102, 'q', 'sideways' as 'buy', '1.00', '1'), 6);
    expect(f.rejects.at(-1)![0]).toBe('malformed');
    f.feed.onSnapshot(P, snapshot(102, [], []), 7);
    f.feed.onMessage(open(103, 'q', 'buy', '1.001', '1'), 8);
    expect(f.rejects.at(-1)![0]).toBe('precision');
    f.feed.onSnapshot(P, snapshot(103, [], []), 9);
    f.feed.onMessage(open(104, 'q', 'buy', '1.00', '-1'), 10);
    expect(f.rejects.at(-1)![0]).toBe('negative_size');
    expect(f.feed.counters.rejected).toBe(8);
  });

  it('refuses level2 messages on a full-channel feed (counted)', () => {
    const f = fullFeed();
    f.feed.onMessage('{"type":"snapshot","product_id":"BTC-USD","bids":[],"asks":[]}', 1);
    f.feed.onMessage('{"type":"l2update","product_id":"BTC-USD","changes":[],"time":"x"}', 1);
    expect(f.feed.counters.rejectedByReason.unknown_message).toBe(2);
  });

  it('a disconnect voids the buffers; the next message asks for a new snapshot', () => {
    const f = trustedAt100();
    f.feed.onDisconnect(3);
    expect(f.sb().trust).toBe('stale');
    f.feed.onMessage(open(500, 'n', 'buy', '90.00', '1'), 4);
    expect(f.sb().trust).toBe('resyncing');
    expect(f.requests).toHaveLength(2);
    f.feed.onSnapshot(P, snapshot(499, [], []), 5);
    expect(f.sb().trust).toBe('trusted');
    expect(f.l3().orderCount).toBe(1);
  });
});

describe('Coinbase full channel (L3): a long random stream', () => {
  it('stays equal to a simple model of the exchange; duplicates re-sent on the way change nothing', () => {
    const random = seededRandom(12345);
    const rnd = (n: number) => Math.floor(random() * n);
    const model = new Map<string, { side: 'buy' | 'sell'; price: number; size: number }>();
    const f = fullFeed();
    const msgs: string[] = [];
    let seq = 1000;
    let next = 0;
    for (let i = 0; i < 3000; i++) {
      const ids = [...model.keys()];
      const r = rnd(10);
      seq++;
      if (r < 4 || ids.length < 5) {
        const side = rnd(2) === 0 ? 'buy' : 'sell';
        const price = side === 'buy' ? 9900 + rnd(50) : 10001 + rnd(50);
        const size = 1 + rnd(9);
        const id = `o${next++}`;
        model.set(id, { side, price, size });
        msgs.push(open(seq, id, side, (price / 100).toFixed(2), String(size)));
      } else if (r < 7) {
        const id = ids[rnd(ids.length)]!;
        model.delete(id);
        msgs.push(done(seq, id));
      } else if (r < 9) {
        const id = ids[rnd(ids.length)]!;
        const o = model.get(id)!;
        const q = 1 + rnd(o.size);
        if (q === o.size) model.delete(id);
        else o.size -= q;
        msgs.push(match(seq, id, o.side, (o.price / 100).toFixed(2), String(q), seq));
      } else {
        const id = ids[rnd(ids.length)]!;
        const o = model.get(id)!;
        o.size = 1 + rnd(12);
        msgs.push(wire('change', seq, { order_id: id, new_size: String(o.size), side: o.side }));
      }
      if (rnd(20) === 0 && msgs.length > 2) msgs.push(msgs[msgs.length - 2]!); // a duplicate
    }
    // Snapshot taken at 1000 (empty book), delivered after 50 messages were buffered.
    msgs.forEach((m, i) => {
      if (i === 50) f.feed.onSnapshot(P, snapshot(1000, [], []), i);
      f.feed.onMessage(m, i + 1);
    });
    expect(f.sb().trust).toBe('trusted');
    expect(f.feed.counters.gaps).toBe(0);
    expect(f.feed.counters.rejected).toBe(0);
    expect(f.feed.duplicates).toBeGreaterThan(50);
    const agg = (side: 'buy' | 'sell') => {
      const m = new Map<number, number>();
      for (const o of model.values())
        if (o.side === side) m.set(o.price, (m.get(o.price) ?? 0) + o.size * 1e8);
      return [...m.entries()].sort((a, b) => (side === 'buy' ? b[0] - a[0] : a[0] - b[0]));
    };
    expect(f.sb().book.snapshot()).toEqual({ bids: agg('buy'), asks: agg('sell') });
    expect(f.l3().orderCount).toBe(model.size);
    f.expectAggregateInSync();
  });
});
