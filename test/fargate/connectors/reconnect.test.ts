/**
 * Losing connections: books go stale and recover from a new snapshot, reconnects back off with
 * jitter within bounds, five failures in a row raise an alert (and recovery resolves it), silent
 * connections are replaced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import type { ResolvedVenue } from '../../../config/venues.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import { seededRandom } from '../../../core/sim/random.ts';
import { Backoff } from '../../../fargate/connectors/backoff.ts';
import { systemClock } from '../../../fargate/connectors/clock.ts';
import { VenueConnector } from '../../../fargate/connectors/venue-connector.ts';
import { createVenueFeed, type FeedFactory } from '../../../fargate/connectors/venue-feed-factory.ts';
import { BinanceLikeMarket } from '../helpers/binance-like-market.ts';
import { Collector } from '../helpers/collect.ts';
import { startTestServer, waitFor } from '../helpers/test-server.ts';
import { testVenue } from '../helpers/test-venue.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function connect(venue: ResolvedVenue, collector: Collector, seed = 1): VenueConnector {
  const connector = new VenueConnector({
    venue,
    instruments: new InstrumentRegistry(configuredInstruments()),
    listener: collector,
    clock: systemClock(),
    random: seededRandom(seed),
  });
  cleanups.push(() => connector.stop());
  connector.start();
  return connector;
}

describe('connection lost', () => {
  it('makes the books stale, reconnects, resnapshots and reports the gap', async () => {
    const market = await BinanceLikeMarket.start();
    cleanups.push(() => market.close());
    const collector = new Collector();
    const connector = connect(
      testVenue('binance', { wsUrl: market.wsUrl, restBaseUrl: market.server.httpUrl, symbols: ['BTCUSDT'] }),
      collector,
    );
    market.startTicking(5);
    const shard = connector.shards[0]!;
    const book = () => [...shard.feed.books()][0];
    await waitFor(() => book()?.trust === 'trusted', 5000, 'trusted book');
    expect(market.restPaths).toEqual(['/api/v3/depth?symbol=BTCUSDT&limit=5000']);

    market.server.connections[0]!.ws.terminate();
    await waitFor(() => shard.stats.disconnects === 1, 5000, 'disconnect seen');
    // The moment the connection is lost the book is no longer trusted.
    expect(book()!.trust).not.toBe('trusted');
    await waitFor(() => book()?.trust === 'trusted' && shard.stats.connects === 2, 5000, 'recovered book');

    expect(collector.states()).toEqual(['connected', 'disconnected', 'reconnecting', 'connected']);
    const states = collector.bookStates('BTC/USDT').map((e) => e.state);
    expect(states).toEqual(['trusted', 'stale', 'resyncing', 'trusted']);
    const counters = shard.feed.counters;
    expect(counters.resyncs).toBe(1);
    expect(counters.snapshots).toBe(2);
    expect(market.restPaths.length).toBe(2);
    expect(shard.stats.lastGapMicros).toBeGreaterThan(0);
    expect(shard.stats.lastGapMicros).toBe(shard.stats.totalGapMicros);
    expect(shard.stats.lastRecoveryMicros).toBeGreaterThanOrEqual(shard.stats.lastGapMicros);
    expect(collector.connection().at(-1)!.detail).toMatch(/reconnected after a gap of \d+\.\d ms/);
    expect(collector.logs.some((l) => /all books trusted again/.test(l))).toBe(true);

    market.stopTicking();
    await waitFor(() => book()?.sequence === market.lastId, 2000, 'the last update');
    const b = book()!;
    expect(b.sequence).toBe(market.lastId);
    const truth = market.trueBookText();
    expect(b.book.snapshot().bids.map((l) => [...l])).toEqual(
      truth.bids.map(([p, q]) => [parseDecimal(p!, 2), parseDecimal(q!, 8)]),
    );
  });

  it('at the venue’s own age limit without a planned switch, reconnects and resyncs', async () => {
    const market = await BinanceLikeMarket.start({ maxConnectionAgeMs: 200 });
    cleanups.push(() => market.close());
    const collector = new Collector();
    const connector = connect(
      testVenue('binance', {
        wsUrl: market.wsUrl,
        restBaseUrl: market.server.httpUrl,
        symbols: ['BTCUSDT'],
        settings: { rotation: undefined },
      }),
      collector,
    );
    market.startTicking(5);
    const shard = connector.shards[0]!;
    await waitFor(() => shard.stats.connects >= 2 && [...shard.feed.books()][0]?.trust === 'trusted', 5000);
    expect(shard.stats.rotations).toBe(0);
    expect(shard.feed.counters.resyncs).toBeGreaterThanOrEqual(1);
  });
});

describe('a resnapshot the venue can only give on a new connection', () => {
  it('replaces the connection at once, without counting a failure', async () => {
    const market = await BinanceLikeMarket.start();
    cleanups.push(() => market.close());
    const collector = new Collector();
    let asked = false;
    // A feed that, once trusted, asks for an in-band snapshot (Binance itself never does).
    const createFeed: FeedFactory = (venue, instruments, listener) => {
      const feed = createVenueFeed(venue, instruments, listener);
      return {
        exchange: feed.exchange,
        get counters() {
          return feed.counters;
        },
        books: () => feed.books(),
        onSnapshot: (s, body, ts) => feed.onSnapshot(s, body, ts),
        onDisconnect: (ts) => feed.onDisconnect(ts),
        onMessage(raw, ts) {
          feed.onMessage(raw, ts);
          if (!asked && [...feed.books()][0]?.trust === 'trusted') {
            asked = true;
            listener.onSnapshotRequest?.({
              exchange: 'binance',
              venueSymbol: 'BTCUSDT',
              symbol: 'BTC/USDT',
              method: 'resubscribe',
              reason: 'test',
            });
          }
        },
      };
    };
    const connector = new VenueConnector({
      venue: testVenue('binance', {
        wsUrl: market.wsUrl,
        restBaseUrl: market.server.httpUrl,
        symbols: ['BTCUSDT'],
      }),
      instruments: new InstrumentRegistry(configuredInstruments()),
      listener: collector,
      clock: systemClock(),
      random: seededRandom(1),
      createFeed,
    });
    cleanups.push(() => connector.stop());
    market.startTicking(5);
    connector.start();
    const shard = connector.shards[0]!;
    await waitFor(() => shard.stats.connects === 2 && [...shard.feed.books()][0]?.trust === 'trusted', 5000);
    expect(collector.states()).toEqual(['connected', 'disconnected', 'reconnecting', 'connected']);
    expect(collector.connection()[2]!.detail).toMatch(/now \(BTCUSDT needs a new snapshot \(test\)\)/);
    expect(shard.stats.failedAttempts).toBe(0);
    expect(shard.stats.consecutiveFailures).toBe(0);
    expect(collector.alerts).toEqual([]);
    expect(market.server.connections.length).toBe(2);
  });
});

describe('reconnect backoff and alerts', () => {
  it('backs off exponentially with 0–50 % seeded jitter, alerts after 5 failures, resolves on data', async () => {
    let accept = false;
    const market = await BinanceLikeMarket.start({ accept: () => accept });
    cleanups.push(() => market.close());
    const collector = new Collector();
    const delays: number[] = [];
    const policy = { initialMs: 20, maxMs: 80, multiplier: 2, jitter: 0.5, alertAfterFailures: 5 };
    const venue = testVenue('binance', {
      wsUrl: market.wsUrl,
      restBaseUrl: market.server.httpUrl,
      symbols: ['BTCUSDT'],
      reconnect: policy,
    });
    let connector: VenueConnector | undefined;
    collector.onEvent = (e) => {
      collector.events.push(e);
      if (e.type === 'connection' && e.state === 'reconnecting') {
        delays.push(connector!.shards[0]!.stats.lastReconnectDelayMs);
      }
    };
    connector = connect(venue, collector, 99);
    await waitFor(() => delays.length >= 6, 5000, 'six failed attempts');
    const expected = new Backoff(policy, seededRandom(99));
    const bases = [20, 40, 80, 80, 80, 80];
    for (let i = 0; i < 6; i++) {
      expect(delays[i]).toBe(expected.next());
      expect(delays[i]).toBeGreaterThanOrEqual(bases[i]!);
      expect(delays[i]).toBeLessThanOrEqual(bases[i]! * 1.5);
    }
    const alerts = collector.alerts.filter((a) => a.kind === 'connection_failures');
    expect(alerts.length).toBe(1);
    expect(alerts[0]).toMatchObject({ exchange: 'binance', shard: 0, consecutiveFailures: 5 });
    expect(alerts[0]!.detail).toMatch(/5 connection failures in a row/);
    expect(connector.shards[0]!.stats.failedAttempts).toBeGreaterThanOrEqual(6);

    accept = true;
    await waitFor(() => collector.alerts.some((a) => a.kind === 'resolved'), 5000, 'resolved alert');
    expect(connector.shards[0]!.stats.consecutiveFailures).toBe(0);
    expect(collector.states().at(-1)).toBe('connected');
  });

  it('replaces a connection that goes silent', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const collector = new Collector();
    const connector = connect(
      testVenue('binance', { wsUrl: server.wsUrl('/stream'), symbols: ['BTCUSDT'], idleTimeoutMs: 80 }),
      collector,
    );
    await server.waitForConnections(2, 3000);
    expect(connector.shards[0]!.stats.disconnects).toBeGreaterThanOrEqual(1);
    expect(collector.connection().find((e) => e.state === 'disconnected')!.detail).toMatch(
      /no frame for \d+ ms/,
    );
  });
});
