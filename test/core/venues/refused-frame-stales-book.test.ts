/**
 * A frame refused whole (a repeated key, nesting past the reader's bound, not JSON at all) that was
 * meant for a book leaves that book missing an update: the book must stop being trusted at once,
 * not only when a later sequence number shows the hole (Coinbase level2 has none to show it).
 */
import { describe, expect, it } from 'vitest';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { createFeed } from '../../../core/venues/create-feed.ts';
import { lastStringOfArray, stringAfter } from '../../../core/venues/string-after.ts';

interface Case {
  readonly exchange: ExchangeId;
  /** Frames (and REST snapshots) that leave exactly one trusted book. */
  readonly setup: ReadonlyArray<{ readonly message?: string; readonly snapshot?: [string, string] }>;
  readonly refused: Record<string, string>;
}

const nested = (frame: string) => `${'['.repeat(70)}${frame}${']'.repeat(70)}`;

const CASES: Case[] = [
  {
    exchange: 'binance',
    setup: [
      { snapshot: ['BTCUSDT', '{"lastUpdateId":100,"bids":[["10.00","1.0"]],"asks":[["11.00","1.0"]]}'] },
    ],
    refused: {
      'repeated key':
        '{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":101,"u":101,"b":[["10.00","2.0"]],"a":[]},"data":1}',
      'nested too deep': `{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":${'['.repeat(70)}1${']'.repeat(70)},"s":"BTCUSDT","U":101,"u":101,"b":[["10.00","2.0"]],"a":[]}}`,
      'envelope of the wrong shape':
        '{"stream":{},"data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":101,"u":101,"b":[["10.00","2.0"]],"a":[]}}',
      'not JSON':
        '{"stream":"btcusdt@depth","stream":+1,"data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":101,"u":101,"b":[["10.00","2.0"]],"a":[]}}',
    },
  },
  {
    exchange: 'bybit',
    setup: [
      {
        message:
          '{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["10.0","1"]],"a":[["11.0","1"]],"u":5,"seq":1},"cts":1}',
      },
    ],
    refused: {
      'repeated key':
        '{"topic":"orderbook.50.BTCUSDT","type":"delta","type":"delta","ts":2,"data":{"s":"BTCUSDT","b":[["10.0","2"]],"a":[],"u":6,"seq":2},"cts":2}',
      'not JSON':
        '{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":2,"data":{"s":"BTCUSDT","b":[["10.0","2"]],"a":[],"u":6,"seq"',
    },
  },
  {
    exchange: 'kucoin',
    setup: [
      {
        snapshot: [
          'BTC-USDT',
          '{"code":"200000","data":{"sequence":"100","time":1,"bids":[["10.0","1"]],"asks":[["11.0","1"]]}}',
        ],
      },
    ],
    refused: {
      'envelope without its type':
        '{"topic":"/market/level2:BTC-USDT","subject":"trade.l2update","data":{"sequenceStart":101,"sequenceEnd":101,"symbol":"BTC-USDT","changes":{"asks":[],"bids":[["10.0","2","101"]]}}}',
      'repeated key':
        '{"type":"message","type":"message","topic":"/market/level2:BTC-USDT","subject":"trade.l2update","data":{"sequenceStart":101,"sequenceEnd":101,"symbol":"BTC-USDT","changes":{"asks":[],"bids":[["10.0","2","101"]]}}}',
    },
  },
  {
    exchange: 'coinbase',
    setup: [
      { message: '{"type":"snapshot","product_id":"BTC-USD","bids":[["10.00","1"]],"asks":[["11.00","1"]]}' },
    ],
    refused: {
      'repeated key':
        '{"type":"l2update","product_id":"BTC-USD","changes":[["buy","10.00","2"]],"changes":[["buy","10.00","3"]],"time":"2021-04-17T16:43:47.736919Z"}',
      'not JSON':
        '{"type":"l2update","product_id":"BTC-USD","changes":[["buy","10.00","2"]],"time":"2021-04-17T16:4',
      'missing changes': '{"type":"l2update","product_id":"BTC-USD","time":"2021-04-17T16:43:47.736919Z"}',
    },
  },
  {
    exchange: 'kraken',
    setup: [
      {
        message:
          '{"channelID":7,"channelName":"book-10","event":"subscriptionStatus","pair":"XBT/USD","status":"subscribed","subscription":{"depth":10,"name":"book"}}',
      },
      {
        message:
          '[7,{"as":[["11.00000","1.00000000","1.1"]],"bs":[["10.00000","1.00000000","1.1"]]},"book-10","XBT/USD"]',
      },
    ],
    refused: {
      'nested too deep': nested('[7,{"b":[["10.00000","2.00000000","1.2"]],"c":"1"},"book-10","XBT/USD"]'),
      'channel id of the wrong type':
        '[{},{"b":[["10.00000","2.00000000","1.2"]],"c":"1"},"book-10","XBT/USD"]',
      'corrupt channel id':
        '[9007199254740993,{"b":[["10.00000","2.00000000","1.2"]],"c":"1"},"book-10","XBT/USD"]',
    },
  },
];

describe.each(CASES)(
  '$exchange: a refused frame that names a trusted book stales it',
  ({ exchange, setup, refused }) => {
    it.each(Object.entries(refused))('%s', (_name, frame) => {
      const feed = createFeed({ exchange, instruments: new InstrumentRegistry() });
      for (const s of setup) {
        if (s.message) feed.onMessage(s.message, 1);
        if (s.snapshot) feed.onSnapshot(s.snapshot[0], s.snapshot[1], 1);
      }
      const books = [...feed.books()];
      expect(books.map((b) => b.trust)).toEqual(['trusted']);
      const rejectedBefore = feed.counters.rejected;
      feed.onMessage(frame, 2);
      expect(feed.counters.rejected).toBe(rejectedBefore + 1);
      expect(books[0]!.trust).not.toBe('trusted');
    });
  },
);

describe('names read from a frame as text', () => {
  it('the string after a prefix, bounded and without escapes', () => {
    expect(stringAfter('{"s":"BTCUSDT","U":1', '"s":"')).toBe('BTCUSDT');
    expect(stringAfter('{"s":"BTC', '"s":"')).toBeUndefined();
    expect(stringAfter(`{"s":"${'A'.repeat(65)}"}`, '"s":"')).toBeUndefined();
    expect(stringAfter('{"s":"A\\"B"}', '"s":"')).toBeUndefined();
  });
  it("the last string of an array (Kraken v1's pair)", () => {
    expect(lastStringOfArray('[7,{},"book-10","XBT/USD"]')).toBe('XBT/USD');
    expect(lastStringOfArray('[7,{},"book-10",5]')).toBeUndefined();
    expect(lastStringOfArray('"x"')).toBeUndefined();
  });
});
