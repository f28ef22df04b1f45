/**
 * Each venue's connector against a loopback server speaking just enough of its protocol: the
 * messages the server receives, pings and heartbeats, connection splitting, in-band resnapshots,
 * KuCoin's token handshake.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import type { ResolvedVenue } from '../../../config/venues.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { seededRandom } from '../../../core/sim/random.ts';
import { systemClock } from '../../../fargate/connectors/clock.ts';
import type { RawTap } from '../../../fargate/connectors/connector-events.ts';
import { VenueConnector } from '../../../fargate/connectors/venue-connector.ts';
import { BinanceLikeMarket } from '../helpers/binance-like-market.ts';
import { bybitServer } from '../helpers/bybit-like-server.ts';
import { Collector } from '../helpers/collect.ts';
import { startTestServer, type TestServer, waitFor } from '../helpers/test-server.ts';
import { testVenue } from '../helpers/test-venue.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function connect(venue: ResolvedVenue, collector = new Collector(), rawTap?: RawTap): VenueConnector {
  const connector = new VenueConnector({
    venue,
    instruments: new InstrumentRegistry(configuredInstruments()),
    listener: collector,
    clock: systemClock(),
    random: seededRandom(5),
    ...(rawTap ? { rawTap } : {}),
  });
  cleanups.push(() => connector.stop());
  connector.start();
  return connector;
}

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(options);
  cleanups.push(() => s.close());
  return s;
}

describe('Binance', () => {
  it('answers server pings with the same payload', async () => {
    const market = await BinanceLikeMarket.start({ pingPayload: 'ping-1633998511' });
    cleanups.push(() => market.close());
    const connector = connect(testVenue('binance', { wsUrl: market.wsUrl, symbols: ['BTCUSDT'] }));
    await waitFor(() => market.pongs.length > 0, 3000, 'pong');
    expect(market.pongs[0]).toEqual({ connection: 0, payload: 'ping-1633998511' });
    expect(connector.shards[0]!.stats.pongsSent).toBe(1);
  });

  it('splits symbols over connections when over the stream limit, each with its own SUBSCRIBE', async () => {
    const market = await BinanceLikeMarket.start();
    cleanups.push(() => market.close());
    const symbols = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'XRPUSDT', 'SOLUSDT'];
    const connector = connect(
      testVenue('binance', {
        wsUrl: market.wsUrl,
        symbols,
        settings: { maxStreamsPerConnection: 4, maxParamsPerMessage: 3 },
      }),
    );
    expect(connector.shards.map((s) => s.symbols)).toEqual([
      ['BTCUSDT', 'ETHUSDT'],
      ['BNBUSDT', 'XRPUSDT'],
      ['SOLUSDT'],
    ]);
    await market.server.waitForConnections(3);
    await waitFor(() => market.server.connections.every((c) => market.subscriptions(c).length >= 2), 3000);
    const byConnection = market.server.connections.map((c) => market.subscriptions(c).sort());
    expect(byConnection.map((s) => s.length).sort()).toEqual([2, 4, 4]);
    expect(byConnection.flat().sort()).toEqual(
      symbols.flatMap((s) => [`${s.toLowerCase()}@depth@100ms`, `${s.toLowerCase()}@trade`]).sort(),
    );
    // 4 streams at most 3 per message: two SUBSCRIBE messages on a full connection.
    const full = market.server.connections.find((c) => market.subscriptions(c).length === 4)!;
    expect(full.received.map((m) => (JSON.parse(m) as { params: string[] }).params.length)).toEqual([3, 1]);
    expect(connector.state).toBe('connected');
  });

  it('paces its messages (Binance allows 5 per second)', async () => {
    const market = await BinanceLikeMarket.start();
    cleanups.push(() => market.close());
    connect(
      testVenue('binance', {
        wsUrl: market.wsUrl,
        symbols: ['BTCUSDT', 'ETHUSDT', 'BNBUSDT'],
        settings: { maxParamsPerMessage: 2, sendIntervalMs: 60 },
      }),
    );
    const times: number[] = [];
    await market.server.waitForConnections(1);
    const conn = market.server.connections[0]!;
    conn.ws.on('message', () => times.push(Date.now()));
    await waitFor(() => conn.received.length === 3, 3000);
    // The first message may already have arrived before we listened; spacing of the rest.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(50);
  });
});

describe('Kraken v1', () => {
  it('subscribes book and trade, then pings with {"event":"ping"}', async () => {
    const s = await server({
      onMessage: (conn, text) => {
        const msg = JSON.parse(text) as { event: string; reqid?: number };
        if (msg.event === 'ping') conn.ws.send(JSON.stringify({ event: 'pong', reqid: msg.reqid }));
      },
    });
    const connector = connect(
      testVenue('kraken', {
        wsUrl: s.wsUrl('/'),
        symbols: ['XBT/USD', 'ETH/USD'],
        settings: { pingIntervalMs: 40 },
      }),
    );
    await waitFor(() => (s.connections[0]?.received.length ?? 0) >= 4, 3000, 'two pings');
    const received = s.connections[0]!.received;
    expect(received.slice(0, 3)).toEqual([
      '{"event":"subscribe","pair":["XBT/USD","ETH/USD"],"subscription":{"name":"book","depth":100}}',
      '{"event":"subscribe","pair":["XBT/USD","ETH/USD"],"subscription":{"name":"trade"}}',
      '{"event":"ping","reqid":1}',
    ]);
    expect(received[3]).toBe('{"event":"ping","reqid":2}');
    expect(connector.shards[0]!.stats.pingsSent).toBeGreaterThanOrEqual(2);
    // The pongs are frames like any other: they reach the feed (which accepts them silently).
    await waitFor(() => connector.shards[0]!.feed.counters.messages >= 2, 2000);
    expect(connector.shards[0]!.feed.counters.rejected).toBe(0);
  });
});

describe('Coinbase', () => {
  it('subscribes the heartbeat channel; heartbeats keep a quiet connection alive', async () => {
    const s = await server({
      onConnection: (conn) => {
        let n = 0;
        const t = setInterval(() => {
          if (conn.ws.readyState !== conn.ws.OPEN) return clearInterval(t);
          n++;
          conn.ws.send(
            JSON.stringify({
              type: 'heartbeat',
              last_trade_id: 1,
              product_id: 'BTC-USD',
              sequence: n,
              time: '2024-01-01T00:00:00.000000Z',
            }),
          );
        }, 20);
        conn.ws.on('close', () => clearInterval(t));
      },
    });
    const connector = connect(
      testVenue('coinbase', { wsUrl: s.wsUrl('/'), symbols: ['BTC-USD'], idleTimeoutMs: 100 }),
    );
    await s.waitForConnections(1);
    // 40 heartbeats, 20 ms apart, span eight idle timeouts (100 ms): none may fire in between.
    await waitFor(() => connector.shards[0]!.feed.counters.messages >= 40, 5000, 'forty heartbeats');
    expect(s.connections.length).toBe(1);
    expect(connector.shards[0]!.stats.disconnects).toBe(0);
    expect(s.connections[0]!.received).toEqual([
      '{"type":"subscribe","product_ids":["BTC-USD"],"channels":["level2_batch","matches","heartbeat"]}',
    ]);
    expect(connector.shards[0]!.feed.counters.rejected).toBe(0);
  });
});

describe('Bybit v5', () => {
  it('pings with {"op":"ping"} and resubscribes a book after a gap', async () => {
    const state = { u: 100, skip: false };
    const s = await bybitServer(state);
    cleanups.push(() => s.close());
    const collector = new Collector();
    const connector = connect(
      testVenue('bybit', {
        wsUrl: s.wsUrl('/v5/public/linear'),
        symbols: ['BTCUSDT'],
        settings: { pingIntervalMs: 30 },
      }),
      collector,
    );
    const shard = connector.shards[0]!;
    const book = () => [...shard.feed.books()][0];
    await waitFor(() => book()?.trust === 'trusted', 3000, 'trusted');
    await waitFor(() => s.connections[0]!.received.includes('{"op":"ping"}'), 3000, 'ping');
    expect(s.connections[0]!.received[0]).toBe(
      '{"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"]}',
    );

    state.skip = true;
    await waitFor(() => shard.feed.counters.gaps === 1, 3000, 'gap');
    await waitFor(() => book()?.trust === 'trusted' && shard.feed.counters.resyncs === 1, 3000, 'resync');
    const control = s.connections[0]!.received.filter((m) => m !== '{"op":"ping"}');
    expect(control.slice(1, 3)).toEqual([
      '{"op":"unsubscribe","args":["orderbook.50.BTCUSDT"]}',
      '{"op":"subscribe","args":["orderbook.50.BTCUSDT"]}',
    ]);
    expect(shard.stats.resubscribes).toBe(1);
    expect(shard.feed.counters.rejected).toBe(0);
    expect(collector.requests.map((r) => r.method)).toEqual(['resubscribe']);
  });

  it('defers a second resubscribe of the same book by the cooldown', async () => {
    const state = { u: 100, skip: false };
    const s = await bybitServer(state);
    cleanups.push(() => s.close());
    const collector = new Collector();
    const connector = connect(
      testVenue('bybit', {
        wsUrl: s.wsUrl('/v5/public/linear'),
        symbols: ['BTCUSDT'],
        resubscribeCooldownMs: 300,
      }),
      collector,
    );
    const shard = connector.shards[0]!;
    await waitFor(() => [...shard.feed.books()][0]?.trust === 'trusted', 3000);
    let unsubscribedAt = 0;
    s.connections[0]!.ws.on('message', (m) => {
      if (m.toString().includes('unsubscribe')) unsubscribedAt = Date.now() * 1000;
    });
    // Subscribed just now: a gap right away waits out the cooldown before resubscribing.
    state.skip = true;
    await waitFor(() => shard.stats.resubscribes === 1 && unsubscribedAt > 0, 3000);
    const subscribedAt = collector.connection()[0]!.localTs;
    expect(unsubscribedAt - subscribedAt).toBeGreaterThanOrEqual(290_000);
    await waitFor(() => [...shard.feed.books()][0]?.trust === 'trusted', 3000);
  });
});

describe('KuCoin', () => {
  it('gets a token, waits for welcome, subscribes, pings at the token’s interval, syncs from REST', async () => {
    const TOKEN = 'secret-token-2neAiuYvAU61ZD';
    let seq = 1000;
    const rest: string[] = [];
    const s = await server({
      onHttp: (req, res) => {
        rest.push(`${req.method} ${req.url}`);
        res.setHeader('content-type', 'application/json');
        if (req.url === '/api/v1/bullet-public' && req.method === 'POST') {
          res.end(
            JSON.stringify({
              code: '200000',
              data: {
                token: TOKEN,
                instanceServers: [
                  {
                    endpoint: `ws://127.0.0.1:${(req.socket.localPort ?? 0).toString()}/endpoint`,
                    encrypt: false,
                    protocol: 'websocket',
                    pingInterval: 40,
                    pingTimeout: 200,
                  },
                ],
              },
            }),
          );
        } else {
          res.end(
            JSON.stringify({
              code: '200000',
              data: {
                sequence: String(seq),
                time: Date.now(),
                bids: [['50000.0', '1.00000000']],
                asks: [['50001.0', '1.00000000']],
              },
            }),
          );
        }
      },
      onConnection: (conn) => {
        conn.ws.send(JSON.stringify({ id: 'hQvf8jkno', type: 'welcome' }));
        const t = setInterval(() => {
          if (conn.ws.readyState !== conn.ws.OPEN) return clearInterval(t);
          seq++;
          conn.ws.send(
            JSON.stringify({
              type: 'message',
              topic: '/market/level2:BTC-USDT',
              subject: 'trade.l2update',
              data: {
                changes: { asks: [['50001.0', `${seq % 7}.00000000`, String(seq)]], bids: [] },
                sequenceStart: seq,
                sequenceEnd: seq,
                symbol: 'BTC-USDT',
                time: Date.now(),
              },
            }),
          );
        }, 5);
        conn.ws.on('close', () => clearInterval(t));
      },
      onMessage: (conn, text) => {
        const msg = JSON.parse(text) as { id: string | number; type: string };
        if (msg.type === 'ping') conn.ws.send(JSON.stringify({ id: msg.id, type: 'pong' }));
        if (msg.type === 'subscribe') conn.ws.send(JSON.stringify({ id: msg.id, type: 'ack' }));
      },
    });
    const collector = new Collector();
    const tapped: string[] = [];
    const connector = connect(
      testVenue('kucoin', { restBaseUrl: s.httpUrl, symbols: ['BTC-USDT'] }),
      collector,
      {
        frame: () => {},
        connection: (_e, _state, url) => tapped.push(url),
        rest: (_e, url) => tapped.push(url),
      },
    );
    const shard = connector.shards[0]!;
    await waitFor(() => [...shard.feed.books()][0]?.trust === 'trusted', 3000, 'trusted');
    const conn = s.connections[0]!;
    expect(conn.path).toMatch(new RegExp(`^/endpoint\\?token=${TOKEN}&connectId=kucoin-0-1-\\d+$`));
    expect(conn.received.slice(0, 2)).toEqual([
      '{"id":1,"type":"subscribe","topic":"/market/level2:BTC-USDT","privateChannel":false,"response":true}',
      '{"id":2,"type":"subscribe","topic":"/market/match:BTC-USDT","privateChannel":false,"response":true}',
    ]);
    await waitFor(() => conn.received.includes('{"id":"1","type":"ping"}'), 3000, 'ping');
    expect(rest).toEqual([
      'POST /api/v1/bullet-public',
      'GET /api/v3/market/orderbook/level2?symbol=BTC-USDT',
    ]);
    expect(shard.feed.counters.gaps).toBe(0);
    expect(shard.feed.counters.rejected).toBe(0);
    // The token never leaves the connector: not in events, logs or the raw tap's URLs.
    const everything = JSON.stringify([collector.events, collector.logs, tapped]);
    expect(everything).not.toContain(TOKEN);
    expect(everything).toContain('token=***');
  });

  it('a refused token counts as a failed attempt: backoff, then an alert after five', async () => {
    const s = await server({
      onHttp: (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end('{"code":"400100","msg":"refused"}');
      },
    });
    const collector = new Collector();
    const connector = connect(
      testVenue('kucoin', {
        restBaseUrl: s.httpUrl,
        symbols: ['BTC-USDT'],
        reconnect: { initialMs: 5, maxMs: 20 },
      }),
      collector,
    );
    await waitFor(() => collector.alerts.length === 1, 3000, 'alert');
    expect(collector.alerts[0]).toMatchObject({ kind: 'connection_failures', consecutiveFailures: 5 });
    expect(collector.alerts[0]!.detail).toContain('token refused (code 400100)');
    expect(connector.shards[0]!.stats.connects).toBe(0);
    expect(s.connections.length).toBe(0);
  });
});
