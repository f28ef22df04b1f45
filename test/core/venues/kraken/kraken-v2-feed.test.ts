import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { MarketEvent, TradeEvent } from '../../../../core/market/events.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import type { FeedListener, RejectReason, SnapshotRequest } from '../../../../core/venues/feed-types.ts';
import { KrakenV2Feed } from '../../../../core/venues/kraken/kraken-v2-feed.ts';

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

function newFeed(depth?: number) {
  const rec = recorder();
  const feed = new KrakenV2Feed({ instruments: new InstrumentRegistry(), listener: rec.listener, depth });
  const book = (symbol: string) => [...feed.books()].find((b) => b.venueSymbol === symbol);
  return { feed, rec, book };
}

// The documented v2 example (docs.kraken.com, book checksum v2): GST/USD, price_precision 3,
// qty_precision 8, checksum 1931231958 — the number TEXT keeps the padding ("0.010", "13600.00000000").
const GST_INSTRUMENT =
  '{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"GST/USD","base":"GST","quote":"USD","status":"online","qty_precision":8,"qty_increment":1E-8,"price_precision":3,"cost_precision":5,"marginable":false,"has_index":false,"cost_min":0.5,"price_increment":0.001,"qty_min":200.0}]}}';
const GST_SNAPSHOT =
  '{"channel":"book","type":"snapshot","data":[{"symbol":"GST/USD","bids":[{"price":0.016,"qty":255965.95133811},{"price":0.015,"qty":264465.46682136},{"price":0.014,"qty":198234.50375152},{"price":0.013,"qty":263077.71115063},{"price":0.012,"qty":135283.23181445},{"price":0.011,"qty":232726.34707055},{"price":0.010,"qty":211909.56878553},{"price":0.009,"qty":16666.66666666},{"price":0.008,"qty":13600.00000000},{"price":0.007,"qty":1000.00000000}],"asks":[{"price":0.017,"qty":94510.50669693},{"price":0.018,"qty":232489.98702916},{"price":0.019,"qty":244770.01655926},{"price":0.020,"qty":103394.23779803},{"price":0.021,"qty":120226.44704447},{"price":0.022,"qty":122811.44535027},{"price":0.023,"qty":185766.68965043},{"price":0.024,"qty":95339.83830809},{"price":0.025,"qty":32960.86333331},{"price":0.026,"qty":86326.77204454}],"checksum":1931231958}]}';

/** Kraken's checksum of wire strings (asks low→high, bids high→low), the documented way. */
function crcOf(asks: string[][], bids: string[][]): number {
  const f = (s: string) => s.replace('.', '').replace(/^0+/, '');
  let t = '';
  for (const [p, q] of asks.slice(0, 10)) t += f(p!) + f(q!);
  for (const [p, q] of bids.slice(0, 10)) t += f(p!) + f(q!);
  return zlibCrc32(t);
}

function bookFrame(
  type: 'snapshot' | 'update',
  symbol: string,
  bids: string[][],
  asks: string[][],
  checksum: number,
  timestamp = '2023-10-06T17:35:55.440295Z',
): string {
  const side = (levels: string[][]) => levels.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',');
  return `{"channel":"book","type":"${type}","data":[{"symbol":"${symbol}","bids":[${side(bids)}],"asks":[${side(asks)}],"checksum":${checksum},"timestamp":"${timestamp}"}]}`;
}

describe('KrakenV2Feed book', () => {
  it('verifies the documented GST/USD snapshot checksum with the instrument channel precisions', () => {
    const { feed, rec, book } = newFeed();
    feed.onMessage(GST_INSTRUMENT, 1);
    feed.onMessage(GST_SNAPSHOT, 2);
    expect(rec.rejects).toEqual([]);
    expect(feed.counters.checksumsVerified).toBe(1);
    expect(feed.counters.checksumsFailed).toBe(0);
    const sb = book('GST/USD')!;
    expect(sb.trust).toBe('trusted');
    expect(sb.instrument).toMatchObject({
      priceScale: 3,
      sizeScale: 8,
      wirePriceDecimals: 3,
      wireSizeDecimals: 8,
      tickSize: 1,
      lotSize: 1,
      minSize: 20_000_000_000,
      source: 'reference',
    });
    expect(sb.book.bestBid()).toBe(16);
    expect(sb.book.bestAsk()).toBe(17);
    expect(sb.book.bids.sizeAt(8)).toBe(1_360_000_000_000);
  });

  it('verifies it too without the instrument channel (instrument inferred from the number text)', () => {
    const { feed, book } = newFeed();
    feed.onMessage(GST_SNAPSHOT, 1);
    expect(feed.counters.checksumsVerified).toBe(1);
    expect(book('GST/USD')!.instrument.source).toBe('inferred');
    expect(book('GST/USD')!.trust).toBe('trusted');
  });

  it('reads pretty-printed frames and never rounds a number through a double', () => {
    const { feed, book } = newFeed();
    // 90071992.54740991 = (2^53 - 1) × 10^-8: the nearest double prints as 90071992.5474099, so a
    // float-formatted checksum would miss a digit; the book must hold every digit.
    const bids = [['100.1', '90071992.54740991']];
    const asks = [['100.2', '0.00000001']];
    const frame = `{
      "channel": "book",
      "type": "snapshot",
      "data": [ { "symbol": "BTC/USD",
                  "bids": [ { "price": 100.1, "qty": 90071992.54740991 } ],
                  "asks": [ { "qty": 1e-8, "price": 100.2 } ],
                  "checksum": ${crcOf(asks, bids)} } ]
    }`;
    feed.onMessage(frame, 1);
    expect(feed.counters.rejected).toBe(0);
    const sb = book('BTC/USD')!;
    expect(sb.book.bids.top()).toEqual([[1001, Number.MAX_SAFE_INTEGER]]);
    expect(sb.book.asks.top()).toEqual([[1002, 1]]);
    expect(sb.trust).toBe('trusted');
    expect(feed.counters.checksumsVerified).toBe(1);
  });

  it('applies updates in order, removes qty 0, truncates to the subscribed depth, checks every checksum', () => {
    const { feed, rec, book } = newFeed();
    feed.onMessage(
      '{"method":"subscribe","result":{"channel":"book","depth":2,"snapshot":true,"symbol":"ETH/USD"},"success":true,"time_in":"2023-10-06T17:35:55.000000Z","time_out":"2023-10-06T17:35:55.000001Z"}',
      1,
    );
    expect(feed.depthOf('ETH/USD')).toBe(2);
    feed.onMessage(
      '{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"ETH/USD","base":"ETH","quote":"USD","status":"online","qty_precision":4,"qty_increment":0.0001,"price_precision":2,"price_increment":0.01,"qty_min":0.001}]}}',
      1,
    );
    const bids = [
      ['1500.10', '1.0000'],
      ['1500.00', '2.0000'],
    ];
    const asks = [
      ['1500.20', '1.5000'],
      ['1500.30', '2.5000'],
    ];
    feed.onMessage(bookFrame('snapshot', 'ETH/USD', bids, asks, crcOf(asks, bids)), 2);
    expect(book('ETH/USD')!.trust).toBe('trusted');
    // A better bid pushes 1500.00 out of depth 2; 1500.20 is removed; the same level twice: last wins.
    const newBids = [
      ['1500.15', '3.0000'],
      ['1500.10', '1.0000'],
    ];
    const newAsks = [['1500.30', '2.5000']];
    const update = bookFrame(
      'update',
      'ETH/USD',
      [
        ['1500.15', '9.0000'],
        ['1500.15', '3.0000'],
      ],
      [['1500.20', '0']],
      crcOf(newAsks, newBids),
      '2023-10-06T17:35:56.000001Z',
    );
    feed.onMessage(update, 3);
    expect(rec.rejects).toEqual([]);
    expect(feed.counters.checksumsVerified).toBe(2);
    const sb = book('ETH/USD')!;
    expect(sb.book.bids.top()).toEqual([
      [150015, 30000],
      [150010, 10000],
    ]);
    expect(sb.book.asks.top()).toEqual([[150030, 25000]]);
    expect(sb.exchangeTs).toBe(Date.UTC(2023, 9, 6, 17, 35, 56) * 1000 + 1);
  });

  it('a checksum mismatch on an update → stale + resubscribe; updates ignored until the next snapshot', () => {
    const { feed, rec, book } = newFeed();
    feed.onMessage(GST_INSTRUMENT, 1);
    feed.onMessage(GST_SNAPSHOT, 2);
    // The venue's checksum after this update is of a book we do not have (a lost message).
    feed.onMessage(bookFrame('update', 'GST/USD', [['0.016', '1.00000000']], [], 42), 3);
    const sb = book('GST/USD')!;
    expect(feed.counters.checksumsFailed).toBe(1);
    expect(sb.trust).toBe('resyncing');
    expect(rec.requests).toEqual([
      expect.objectContaining({ exchange: 'kraken', venueSymbol: 'GST/USD', method: 'resubscribe' }),
    ]);
    expect(rec.events.some((e) => e.type === 'book_state' && e.state === 'stale')).toBe(true);
    feed.onMessage(bookFrame('update', 'GST/USD', [['0.016', '2.00000000']], [], 43), 4);
    expect(feed.counters.checksumsFailed).toBe(1);
    feed.onMessage(GST_SNAPSHOT, 5);
    expect(sb.trust).toBe('trusted');
    expect(feed.counters.resyncs).toBe(1);
  });

  it('never trusts a snapshot whose checksum does not match, and asks for another', () => {
    const { feed, rec, book } = newFeed();
    feed.onMessage(GST_INSTRUMENT, 1);
    feed.onMessage(GST_SNAPSHOT.replace('"qty":1000.00000000', '"qty":1000.00000001'), 2);
    const sb = book('GST/USD')!;
    expect(feed.counters.checksumsFailed).toBe(1);
    expect(sb.trust).not.toBe('trusted');
    expect(sb.book.bids.count).toBe(0);
    expect(rec.requests).toHaveLength(1);
    expect(rec.events.some((e) => e.type === 'book_snapshot')).toBe(false);
  });

  it('rebuilds when the instrument channel changes a book’s precision', () => {
    const { feed, rec, book } = newFeed();
    feed.onMessage(GST_INSTRUMENT, 1);
    feed.onMessage(GST_SNAPSHOT, 2);
    feed.onMessage(GST_INSTRUMENT.replace('"price_precision":3', '"price_precision":4'), 3);
    expect(book('GST/USD')!.trust).toBe('resyncing');
    expect(book('GST/USD')!.instrument.priceScale).toBe(4);
    expect(rec.requests).toHaveLength(1);
  });
});

describe('KrakenV2Feed trades', () => {
  it('emits exact trades with the venue trade id, side and RFC 3339 time', () => {
    const { feed, rec } = newFeed();
    feed.onMessage(
      '{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"},{"symbol":"MATIC/USD","side":"buy","price":0.5118,"qty":0.00000001,"ord_type":"limit","trade_id":4665907,"timestamp":"2023-09-25T07:49:37.708706Z"}]}',
      10,
    );
    expect(feed.counters.rejected).toBe(0);
    expect(rec.trades).toHaveLength(2);
    expect(rec.trades[0]).toMatchObject({
      exchange: 'kraken',
      symbol: 'MATIC/USD',
      tradeId: '4665906',
      price: 5117,
      side: 'sell',
      exchangeTs: Date.UTC(2023, 8, 25, 7, 49, 37) * 1000 + 708706,
      localTs: 10,
    });
    expect(rec.trades[1]).toMatchObject({ side: 'buy', tradeId: '4665907' });
    // The inferred size scale covers both trades' digits exactly.
    const b = [...feed.books()][0]!;
    expect(rec.trades[1]!.size).toBe(1);
    expect(b.instrument.sizeScale).toBe(8);
  });

  it('skips the subscription snapshot of past trades', () => {
    const { feed, rec } = newFeed();
    feed.onMessage(
      '{"channel":"trade","type":"snapshot","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":1,"timestamp":"2023-09-25T07:49:37.708706Z"}]}',
      1,
    );
    expect(rec.trades).toHaveLength(0);
    expect(feed.counters.rejected).toBe(0);
  });
});

describe('KrakenV2Feed robustness', () => {
  it('ignores heartbeats, status and acknowledgements without rejecting them', () => {
    const { feed } = newFeed();
    feed.onMessage('{"channel":"heartbeat"}', 1);
    feed.onMessage(
      '{"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":1,"system":"online","version":"2.0.0"}]}',
      2,
    );
    feed.onMessage('{"method":"pong","req_id":1,"time_in":"x","time_out":"y"}', 3);
    feed.onMessage('{"method":"subscribe","error":"Currency pair not supported","success":false}', 4);
    expect(feed.counters.messages).toBe(4);
    expect(feed.counters.rejected).toBe(0);
  });

  it('rejects and counts malformed frames without throwing', () => {
    const { feed, rec, book } = newFeed();
    feed.onMessage(GST_INSTRUMENT, 1);
    feed.onMessage(GST_SNAPSHOT, 2);
    const bad = [
      '{"channel":"book","type":"update","data":[{"symbol":"GST/USD","bids":[{"price":0.0161,"qty":1.0}],"checksum":1}]}', // finer than the tick
      'not json',
      '[1,2,3]',
      '{"channel":"book","type":"update","data":[{"symbol":"GST/USD","bids":[{"price":0.016,"qty":abc}],"checksum":1}]}', // not JSON
      '{"channel":"book","type":"update"}', // no data
      '{"channel":"book","type":"weird","data":[]}',
      '{"channel":"book","type":"update","data":[{"bids":[]}]}', // no symbol
      '{"channel":"trade","type":"update","data":[{"symbol":"GST/USD","side":"buy","price":"x"}]}', // no qty/id
      '{"channel":"mystery","data":[]}',
      '{"hello":1}',
      '{"channel":"book","type":"update","data":[{"symbol":"GST/USD","asks":[{"price":0.02}]}]}', // no qty
    ];
    for (const raw of bad) expect(() => feed.onMessage(raw, 3)).not.toThrow();
    expect(feed.counters.rejected).toBe(bad.length);
    expect(feed.counters.rejectedByReason).toEqual({ malformed: 8, unknown_message: 2, precision: 1 });
    expect(rec.rejects[0]!.reason).toBe('precision');
    // The refused level made the trusted book stale and asked for a resubscribe.
    expect(book('GST/USD')!.trust).toBe('resyncing');
    expect(rec.requests).toHaveLength(1);
  });

  it('makes every book stale on disconnect', () => {
    const { feed, book } = newFeed();
    feed.onMessage(GST_SNAPSHOT, 1);
    feed.onDisconnect(2);
    expect(book('GST/USD')!.trust).toBe('stale');
  });
});
