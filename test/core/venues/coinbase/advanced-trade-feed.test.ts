import { describe, expect, it } from 'vitest';
import type { BookStateEvent, MarketEvent, TradeEvent } from '../../../../core/market/events.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import { createCoinbaseFeed } from '../../../../core/venues/coinbase/create-coinbase-feed.ts';
import type { RejectReason, SnapshotRequest } from '../../../../core/venues/feed-types.ts';

const instrument = (id: string) =>
  makeInstrument({
    exchange: 'coinbase',
    venueSymbol: id,
    symbol: id.replace('-', '/'),
    base: id.split('-')[0]!,
    quote: id.split('-')[1]!,
    kind: 'spot',
    priceScale: 2,
    sizeScale: 8,
    source: 'reference',
  });

const TS = '2023-02-09T20:32:50.714964855Z';
type Level = [side: 'bid' | 'offer', price: string, qty: string];

function envelope(channel: string, seq: number, events: unknown[]): string {
  return JSON.stringify({ channel, client_id: '', timestamp: TS, sequence_num: seq, events });
}
function l2(seq: number, type: 'snapshot' | 'update', product: string, levels: Level[]): string {
  return envelope('l2_data', seq, [
    {
      type,
      product_id: product,
      updates: levels.map(([side, price_level, new_quantity]) => ({
        side,
        event_time: '2023-02-09T20:32:50.714964Z',
        price_level,
        new_quantity,
      })),
    },
  ]);
}

const BOOK: Level[] = [
  ['bid', '21921.73', '0.06317902'],
  ['bid', '21921.30', '0.002'],
  ['offer', '21921.74', '0.5'],
  ['offer', '21922.00', '1'],
];

function advancedFeed() {
  const events: MarketEvent[] = [];
  const trades: TradeEvent[] = [];
  const requests: SnapshotRequest[] = [];
  const rejects: Array<[RejectReason, string]> = [];
  const feed = createCoinbaseFeed({
    instruments: new InstrumentRegistry([instrument('BTC-USD'), instrument('ETH-USD')]),
    protocol: 'advanced',
    listener: {
      onEvent: (e) => events.push(e),
      onTrade: (t) => trades.push(t),
      onSnapshotRequest: (r) => requests.push(r),
      onReject: (r, d) => rejects.push([r, d]),
    },
  });
  const book = (id: string) => [...feed.books()].find((b) => b.venueSymbol === id)!;
  return { feed, events, trades, requests, rejects, book };
}

describe('Coinbase Advanced Trade level2 (l2_data)', () => {
  it('builds the book from the in-band snapshot and applies absolute updates ("0" removes)', () => {
    const f = advancedFeed();
    f.feed.onMessage(envelope('subscriptions', 0, [{ subscriptions: { level2: ['BTC-USD'] } }]), 1);
    f.feed.onMessage(l2(1, 'snapshot', 'BTC-USD', BOOK), 2);
    f.feed.onMessage(
      l2(2, 'update', 'BTC-USD', [
        ['bid', '21921.73', '0'],
        ['offer', '21921.80', '0.25'],
      ]),
      3,
    );
    const sb = f.book('BTC-USD');
    expect(sb.trust).toBe('trusted');
    expect(sb.book.snapshot()).toEqual({
      bids: [[2192130, 200_000]],
      asks: [
        [2192174, 50_000_000],
        [2192180, 25_000_000],
        [2192200, 100_000_000],
      ],
    });
    expect(sb.sequence).toBe(2);
    expect(sb.exchangeTs).toBe(1675974770714964);
    expect(f.feed.counters.rejected).toBe(0);
  });

  it('sequence_num is connection-wide: a gap anywhere makes every book stale and asks to re-subscribe', () => {
    const f = advancedFeed();
    f.feed.onMessage(l2(1, 'snapshot', 'BTC-USD', BOOK), 1);
    f.feed.onMessage(
      l2(2, 'snapshot', 'ETH-USD', [
        ['bid', '1500.00', '1'],
        ['offer', '1500.50', '2'],
      ]),
      2,
    );
    f.feed.onMessage(envelope('heartbeats', 3, [{ current_time: TS, heartbeat_counter: 3 }]), 3);
    f.feed.onMessage(envelope('heartbeats', 5, [{ current_time: TS, heartbeat_counter: 5 }]), 4); // 4 lost
    expect(f.feed.counters.gaps).toBe(1);
    expect(f.book('BTC-USD').trust).toBe('resyncing');
    expect(f.book('ETH-USD').trust).toBe('resyncing');
    expect(f.requests.map((r) => [r.venueSymbol, r.method])).toEqual([
      ['BTC-USD', 'resubscribe'],
      ['ETH-USD', 'resubscribe'],
    ]);
    // Updates wait for the snapshot; the new snapshot restores trust; the numbering continues from 5.
    f.feed.onMessage(l2(6, 'update', 'BTC-USD', [['bid', '21000.00', '1']]), 5);
    expect(f.book('BTC-USD').book.bids.sizeAtPrice(2100000)).toBe(0);
    f.feed.onMessage(l2(7, 'snapshot', 'BTC-USD', BOOK), 6);
    expect(f.book('BTC-USD').trust).toBe('trusted');
    expect(f.book('ETH-USD').trust).toBe('resyncing');
    expect(f.feed.counters.resyncs).toBe(1);
    const states = f.events.filter(
      (e): e is BookStateEvent => e.type === 'book_state' && e.symbol === 'BTC/USD',
    );
    expect(states.map((s) => s.state)).toEqual(['trusted', 'stale', 'resyncing', 'trusted']);
  });

  it('a sequence_num not above the last breaks the chain: bad_sequence, every book stale, numbering continues', () => {
    const f = advancedFeed();
    f.feed.onMessage(l2(10, 'snapshot', 'BTC-USD', BOOK), 1);
    f.feed.onMessage(l2(11, 'update', 'BTC-USD', [['bid', '21921.73', '1']]), 2);
    f.feed.onMessage(l2(11, 'update', 'BTC-USD', [['bid', '21921.73', '9']]), 3);
    expect(f.feed.duplicates).toBe(1);
    expect(f.feed.counters.rejectedByReason).toEqual({ bad_sequence: 1 });
    expect(f.book('BTC-USD').book.bids.sizeAtPrice(2192173)).toBe(100_000_000);
    expect(f.book('BTC-USD').trust).toBe('resyncing');
    // The re-subscription's snapshot continues the numbering from the message that broke it.
    f.feed.onMessage(l2(12, 'snapshot', 'BTC-USD', BOOK), 4);
    expect(f.book('BTC-USD').trust).toBe('trusted');
  });

  it('a sequence_num raised by a wrong value: the next genuine message breaks the chain again and the books heal', () => {
    const f = advancedFeed();
    f.feed.onMessage(l2(10, 'snapshot', 'BTC-USD', BOOK), 1);
    f.feed.onMessage(l2(1011, 'update', 'BTC-USD', [['bid', '21921.73', '1']]), 2);
    expect(f.book('BTC-USD').trust).toBe('resyncing');
    f.feed.onMessage(l2(12, 'update', 'BTC-USD', [['bid', '21921.73', '2']]), 3);
    f.feed.onMessage(l2(13, 'snapshot', 'BTC-USD', BOOK), 4);
    f.feed.onMessage(l2(14, 'update', 'BTC-USD', [['bid', '21921.73', '3']]), 5);
    expect(f.book('BTC-USD').trust).toBe('trusted');
    expect(f.book('BTC-USD').book.bids.sizeAtPrice(2192173)).toBe(300_000_000);
    for (const bad of ['"x"', '-1', '9007199254740993', '1e400']) {
      const g = advancedFeed();
      g.feed.onMessage(l2(10, 'snapshot', 'BTC-USD', BOOK), 1);
      g.feed.onMessage(
        l2(11, 'update', 'BTC-USD', []).replace('"sequence_num":11', `"sequence_num":${bad}`),
        2,
      );
      expect(g.feed.counters.rejectedByReason, bad).toEqual({ bad_sequence: 1 });
      expect(g.book('BTC-USD').trust, bad).toBe('resyncing');
    }
  });

  it('a gap before the first snapshot arrived asks for it again too', () => {
    const f = advancedFeed();
    f.feed.onMessage(l2(1, 'snapshot', 'BTC-USD', [['bid', 'x', '1']]), 1); // refused
    expect(f.book('BTC-USD').trust).toBe('awaiting_snapshot');
    expect(f.requests).toHaveLength(1);
    f.feed.onMessage(envelope('heartbeats', 3, []), 2);
    expect(f.requests).toHaveLength(2);
  });

  it('counts malformed input instead of throwing; a bad level rebuilds only its book', () => {
    const f = advancedFeed();
    f.feed.onMessage(l2(1, 'snapshot', 'BTC-USD', BOOK), 1);
    f.feed.onMessage(l2(2, 'snapshot', 'ETH-USD', [['bid', '1500.00', '1']]), 1);
    for (const bad of [
      'nope',
      '{"channel":"l2_data"}',
      envelope('l2_data', 3, [{ type: 'update', updates: [] }]),
      envelope('mystery', 4, []),
    ]) {
      expect(() => f.feed.onMessage(bad, 2)).not.toThrow();
    }
    expect(f.rejects.map((r) => r[0])).toEqual(['malformed', 'malformed', 'malformed', 'unknown_message']);
    f.feed.onMessage(
      envelope('l2_data', 5, [
        {
          type: 'update',
          product_id: 'BTC-USD',
          updates: [{ side: 'middle', price_level: '1', new_quantity: '1' }],
        },
      ]),
      3,
    );
    expect(f.book('BTC-USD').trust).toBe('resyncing');
    expect(f.book('ETH-USD').trust).toBe('trusted');
    f.feed.onMessage(l2(6, 'update', 'ETH-USD', [['offer', '1501.00', '-2']]), 4);
    expect(f.rejects.at(-1)![0]).toBe('negative_size');
    f.feed.onMessage('{"type":"error","message":"authentication failure"}', 5);
    expect(f.feed.venueErrors).toBe(1);
    expect(f.feed.counters.rejected).toBe(7);
  });

  it('a REST body is refused (Advanced Trade books come in-band) and a disconnect resets the numbering', () => {
    const f = advancedFeed();
    f.feed.onSnapshot('BTC-USD', '{}', 1);
    expect(f.rejects[0]![0]).toBe('unknown_message');
    f.feed.onMessage(l2(100, 'snapshot', 'BTC-USD', BOOK), 2);
    f.feed.onDisconnect(3);
    expect(f.book('BTC-USD').trust).toBe('stale');
    f.feed.onMessage(l2(0, 'snapshot', 'BTC-USD', BOOK), 4); // a new connection starts anywhere
    expect(f.book('BTC-USD').trust).toBe('trusted');
    expect(f.feed.counters.gaps).toBe(0);
  });
});

describe('Coinbase Advanced Trade market_trades', () => {
  const trade = (id: string, side: 'BUY' | 'SELL', price: string, size: string) => ({
    trade_id: id,
    product_id: 'ETH-USD',
    price,
    size,
    side,
    time: '2019-08-14T20:42:27.265Z',
  });

  it('emits live update trades (side = aggressor), skips the history snapshot, counts bad trades', () => {
    const f = advancedFeed();
    f.feed.onMessage(
      envelope('market_trades', 0, [{ type: 'snapshot', trades: [trade('1', 'BUY', '1260.01', '0.3')] }]),
      1,
    );
    f.feed.onMessage(
      envelope('market_trades', 1, [
        {
          type: 'update',
          trades: [trade('2', 'SELL', '1260.00', '0.25'), trade('3', 'BUY', '1260.02', '1')],
        },
      ]),
      2,
    );
    expect(f.trades.map((t) => [t.tradeId, t.side, t.price, t.size, t.symbol])).toEqual([
      ['2', 'sell', 126000, 25_000_000, 'ETH/USD'],
      ['3', 'buy', 126002, 100_000_000, 'ETH/USD'],
    ]);
    expect(f.trades[0]!.exchangeTs).toBe(1565815347265000);
    f.feed.onMessage(
      envelope('market_trades', 2, [{ type: 'update', trades: [{ trade_id: '4', side: 'BUY' }] }]),
      3,
    );
    expect(f.feed.counters.rejectedByReason.malformed).toBe(1);
    expect(f.feed.counters.trades).toBe(2);
  });
});
