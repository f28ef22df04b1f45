/** The exact messages each venue gets from us, and how symbols are spread over connections. */
import { describe, expect, it } from 'vitest';
import { BinanceProtocol } from '../../../fargate/connectors/protocols/binance-protocol.ts';
import { BybitProtocol } from '../../../fargate/connectors/protocols/bybit-protocol.ts';
import { CoinbaseProtocol } from '../../../fargate/connectors/protocols/coinbase-protocol.ts';
import { KrakenProtocol } from '../../../fargate/connectors/protocols/kraken-protocol.ts';
import {
  KucoinProtocol,
  parseBulletResponse,
} from '../../../fargate/connectors/protocols/kucoin-protocol.ts';
import { testVenue } from '../helpers/test-venue.ts';

const parse = (m: string): unknown => JSON.parse(m);

describe('Binance', () => {
  it('subscribes depth and trade streams with SUBSCRIBE, lower-case names', () => {
    const p = new BinanceProtocol(testVenue('binance'));
    expect(p.subscribe(['BTCUSDT', 'ETHUSDT'])).toEqual([
      '{"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@trade","ethusdt@depth@100ms","ethusdt@trade"],"id":1}',
    ]);
    const f = new BinanceProtocol(testVenue('binance-futures'));
    expect(parse(f.subscribe(['BTCUSDT'])[0]!)).toEqual({
      method: 'SUBSCRIBE',
      params: ['btcusdt@depth@100ms', 'btcusdt@aggTrade'],
      id: 1,
    });
  });

  it('puts at most 1024 streams on a connection and 200 params in a message', () => {
    const p = new BinanceProtocol(testVenue('binance'));
    const symbols = Array.from({ length: 1500 }, (_, i) => `S${i}USDT`);
    const shards = p.shard(symbols);
    expect(shards.map((s) => s.length)).toEqual([512, 512, 476]);
    const msgs = p.subscribe(shards[0]!);
    expect(msgs.length).toBe(Math.ceil(1024 / 200));
    const params = msgs.flatMap((m) => (parse(m) as { params: string[] }).params);
    expect(params.length).toBe(1024);
    expect(msgs.map((m) => (parse(m) as { id: number }).id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('has no per-symbol resubscribe (REST snapshots) and no client ping', () => {
    const p = new BinanceProtocol(testVenue('binance'));
    expect(p.resubscribeBook()).toBeUndefined();
    expect(p.pingIntervalMs).toBeUndefined();
  });
});

describe('Coinbase', () => {
  it('subscribes book, matches and heartbeat in one message', () => {
    const p = new CoinbaseProtocol(testVenue('coinbase'));
    expect(p.subscribe(['BTC-USD', 'ETH-USD'])).toEqual([
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channels":["level2_batch","matches","heartbeat"]}',
    ]);
    expect(p.resubscribeBook('BTC-USD')).toEqual([
      '{"type":"unsubscribe","product_ids":["BTC-USD"],"channels":["level2_batch"]}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channels":["level2_batch"]}',
    ]);
  });

  it('writes the same subscribe the recorded session sent (fixture), level2 channel', () => {
    const p = new CoinbaseProtocol(
      testVenue('coinbase', { settings: { bookChannel: 'level2', heartbeat: false } }),
    );
    const products = ['SKL-USD', 'SKL-BTC'];
    // test/fixtures/coinbase/cryptofeed_COINBASE.ws.28.0: {"type":"subscribe","product_ids":[…],"channels":["level2"]}
    const [msg] = p.subscribe(products);
    expect(parse(msg!)).toEqual({
      type: 'subscribe',
      product_ids: products,
      channels: ['level2', 'matches'],
    });
  });

  it('splits products over connections', () => {
    const p = new CoinbaseProtocol(testVenue('coinbase', { settings: { maxSymbolsPerConnection: 2 } }));
    expect(p.shard(['A-USD', 'B-USD', 'C-USD'])).toEqual([['A-USD', 'B-USD'], ['C-USD']]);
  });
});

describe('Kraken v1', () => {
  it('subscribes book and trade exactly as the recorded session did', () => {
    const p = new KrakenProtocol(testVenue('kraken', { settings: { bookDepth: 1000 } }));
    const pairs = ['WAVES/EUR', 'XMR/USD'];
    // test/fixtures/kraken/cryptofeed_KRAKEN.ws.50.0 and .48.0 (byte-for-byte the same shape).
    expect(p.subscribe(pairs)).toEqual([
      '{"event":"subscribe","pair":["WAVES/EUR","XMR/USD"],"subscription":{"name":"book","depth":1000}}',
      '{"event":"subscribe","pair":["WAVES/EUR","XMR/USD"],"subscription":{"name":"trade"}}',
    ]);
  });

  it('resubscribes one book, pings with a reqid, splits pairs per message', () => {
    const p = new KrakenProtocol(testVenue('kraken', { settings: { maxSymbolsPerMessage: 2 } }));
    expect(p.resubscribeBook('XBT/USD')).toEqual([
      '{"event":"unsubscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":100}}',
      '{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":100}}',
    ]);
    expect(p.ping(3)).toBe('{"event":"ping","reqid":3}');
    expect(p.subscribe(['A/USD', 'B/USD', 'C/USD']).length).toBe(4);
  });
});

describe('Bybit v5', () => {
  it('subscribes orderbook and publicTrade topics, at most maxArgsPerMessage per request', () => {
    const p = new BybitProtocol(testVenue('bybit', { settings: { maxArgsPerMessage: 3 } }));
    expect(p.subscribe(['BTCUSDT', 'ETHUSDT'])).toEqual([
      '{"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT","orderbook.50.ETHUSDT"]}',
      '{"op":"subscribe","args":["publicTrade.ETHUSDT"]}',
    ]);
    expect(p.ping()).toBe('{"op":"ping"}');
  });

  it('resubscribes the topic the feed names, or the configured depth', () => {
    const p = new BybitProtocol(testVenue('bybit'));
    expect(p.resubscribeBook('XRPUSDT', 'orderbook.500.XRPUSDT')).toEqual([
      '{"op":"unsubscribe","args":["orderbook.500.XRPUSDT"]}',
      '{"op":"subscribe","args":["orderbook.500.XRPUSDT"]}',
    ]);
    expect(p.resubscribeBook('BTCUSDT', undefined)[1]).toBe(
      '{"op":"subscribe","args":["orderbook.50.BTCUSDT"]}',
    );
  });

  it('splits by topic count and by the 21,000-character args limit', () => {
    const byCount = new BybitProtocol(testVenue('bybit', { settings: { maxTopicsPerConnection: 4 } }));
    expect(byCount.shard(['A', 'B', 'C', 'D', 'E']).map((s) => s.length)).toEqual([2, 2, 1]);
    const byChars = new BybitProtocol(testVenue('bybit'));
    const symbols = Array.from({ length: 1000 }, (_, i) => `SYM${String(i).padStart(4, '0')}USDT`);
    const shards = byChars.shard(symbols);
    expect(shards.length).toBeGreaterThan(1);
    for (const s of shards) {
      const args = s.flatMap((x) => byChars.topics(x));
      expect(JSON.stringify(args).length).toBeLessThanOrEqual(21_000);
    }
    expect(shards.flat()).toEqual(symbols);
  });
});

describe('KuCoin', () => {
  it('subscribes level2 and match topics with at most 100 symbols per topic', () => {
    const p = new KucoinProtocol(testVenue('kucoin', { settings: { maxSymbolsPerConnection: 300 } }));
    const symbols = Array.from({ length: 150 }, (_, i) => `C${i}-USDT`);
    const msgs = p.subscribe(symbols).map((m) => parse(m) as { id: number; topic: string });
    expect(msgs.map((m) => m.topic.split(':')[0])).toEqual([
      '/market/level2',
      '/market/match',
      '/market/level2',
      '/market/match',
    ]);
    expect(msgs.map((m) => m.topic.split(':')[1]!.split(',').length)).toEqual([100, 100, 50, 50]);
    expect(p.subscribe(['BTC-USDT'])[0]).toBe(
      '{"id":5,"type":"subscribe","topic":"/market/level2:BTC-USDT","privateChannel":false,"response":true}',
    );
    expect(p.ping(7)).toBe('{"id":"7","type":"ping"}');
  });

  it('reads the bullet-public response and refuses a bad one', () => {
    const ok = parseBulletResponse(
      '{"code":"200000","data":{"token":"T0K","instanceServers":[{"endpoint":"wss://ws-api-spot.kucoin.com/","encrypt":true,"protocol":"websocket","pingInterval":18000,"pingTimeout":10000}]}}',
    );
    expect(ok).toEqual({
      token: 'T0K',
      server: { endpoint: 'wss://ws-api-spot.kucoin.com/', pingInterval: 18000, pingTimeout: 10000 },
    });
    expect(parseBulletResponse('{"code":"400100","msg":"x"}')).toBe('token refused (code 400100)');
    expect(parseBulletResponse('nope')).toBe('token response is not a JSON object');
  });

  it('splits symbols over connections', () => {
    const p = new KucoinProtocol(testVenue('kucoin'));
    expect(p.shard(Array.from({ length: 250 }, (_, i) => `C${i}-USDT`)).map((s) => s.length)).toEqual([
      100, 100, 50,
    ]);
  });
});
