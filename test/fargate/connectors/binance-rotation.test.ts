/**
 * Binance's 24 h connection limit, shrunk to a few hundred ms: the shard opens a replacement ahead of
 * the limit and switches without a gap — the feed counts no gap, the book stays trusted throughout
 * and ends equal to the simulator's true book, and no trade is lost or repeated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import { seededRandom } from '../../../core/sim/random.ts';
import type { SymbolBook } from '../../../core/venues/symbol-book.ts';
import { systemClock } from '../../../fargate/connectors/clock.ts';
import { VenueConnector } from '../../../fargate/connectors/venue-connector.ts';
import { BinanceLikeMarket } from '../helpers/binance-like-market.ts';
import { Collector } from '../helpers/collect.ts';
import { waitFor } from '../helpers/test-server.ts';
import { testVenue } from '../helpers/test-venue.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function expectBookEquals(sb: SymbolBook, market: BinanceLikeMarket): void {
  const { priceScale, sizeScale } = sb.instrument;
  const truth = market.trueBookText();
  const units = (levels: string[][]) =>
    levels.map(([p, q]) => [parseDecimal(p!, priceScale), parseDecimal(q!, sizeScale)]);
  const ours = sb.book.snapshot();
  expect(ours.bids.map((l) => [...l])).toEqual(units(truth.bids));
  expect(ours.asks.map((l) => [...l])).toEqual(units(truth.asks));
}

async function run(options: { futures: boolean; delayMs: (i: number) => number; symbol: string }) {
  const market = await BinanceLikeMarket.start({
    futures: options.futures,
    delayMs: options.delayMs,
    symbol: options.symbol,
  });
  cleanups.push(() => market.close());
  const exchange = options.futures ? 'binance-futures' : 'binance';
  const venue = testVenue(exchange, {
    wsUrl: market.wsUrl,
    restBaseUrl: market.server.httpUrl,
    symbols: [options.symbol],
    settings: { rotation: { rotateAfterMs: 250, syncTimeoutMs: 3000, retryMs: 200 } },
  });
  const collector = new Collector();
  const connector = new VenueConnector({
    venue,
    instruments: new InstrumentRegistry(configuredInstruments()),
    listener: collector,
    clock: systemClock(),
    random: seededRandom(1),
  });
  cleanups.push(() => connector.stop());
  market.startTicking(4);
  connector.start();
  const shard = connector.shards[0]!;
  const book = () => [...shard.feed.books()][0];
  await waitFor(() => book()?.trust === 'trusted', 5000, 'first trusted book');
  await waitFor(() => shard.stats.rotations >= 2, 8000, 'two rotations');
  market.stopTicking();
  // The last depth update and the last trade have reached the feed (whichever connection brought them).
  await waitFor(
    () => book()?.sequence === market.lastId && collector.trades.at(-1)?.tradeId === String(market.tradeId),
    2000,
    'the last update and trade',
  );
  return { market, connector, collector, shard, book: book()! };
}

describe('Binance overlap-and-switch ahead of the 24 h limit', () => {
  for (const [name, delayMs] of [
    ['equal connections', () => 0],
    ['the new connection runs ahead', (i: number) => (i % 2 === 0 ? 25 : 0)],
    ['the new connection lags', (i: number) => (i % 2 === 1 ? 25 : 0)],
  ] as const) {
    it(`spot, ${name}: no gap, book trusted throughout, equal to the true book`, async () => {
      const { market, collector, shard, book } = await run({ futures: false, delayMs, symbol: 'BTCUSDT' });
      const counters = shard.feed.counters;
      expect(counters.gaps).toBe(0);
      expect(counters.resyncs).toBe(0);
      expect(counters.snapshots).toBe(1);
      expect(market.restPaths.length).toBe(1);
      expect(shard.stats.forcedRotations).toBe(0);
      expect(shard.stats.disconnects).toBe(0);
      expect(shard.stats.overlapDuplicates).toBeGreaterThan(0);
      // Trusted once, never anything else afterwards.
      const states = collector.bookStates('BTC/USDT').map((e) => e.state);
      expect(states.slice(states.indexOf('trusted'))).toEqual(['trusted']);
      expect(collector.states().filter((s) => s !== 'connected')).toEqual([]);
      // Three connections opened, only the newest still open.
      expect(market.server.connections.length).toBe(3);
      await waitFor(() => market.server.open().length === 1, 2000, 'old connections closed');
      expect(book.trust).toBe('trusted');
      expect(book.sequence).toBe(market.lastId);
      expectBookEquals(book, market);
      // Every trade once, in order, none missing after the first one seen.
      const ids = collector.trades.map((t) => Number(t.tradeId));
      expect(ids.length).toBeGreaterThan(10);
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
      expect(ids[ids.length - 1]).toBe(market.tradeId);
      // Receive times handed to the feed never step back.
      const ts = collector.trades.map((t) => t.localTs);
      for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]!);
    });
  }

  it('USD-M futures (pu chain), the new connection ahead: no gap', async () => {
    const { market, collector, shard, book } = await run({
      futures: true,
      delayMs: (i) => (i % 2 === 0 ? 25 : 0),
      symbol: 'XYZUSDT',
    });
    expect(shard.feed.counters.gaps).toBe(0);
    expect(shard.feed.counters.snapshots).toBe(1);
    expect(shard.stats.forcedRotations).toBe(0);
    expect(book.trust).toBe('trusted');
    expect(book.sequence).toBe(market.lastId);
    expectBookEquals(book, market);
    const ids = collector.trades.map((t) => Number(t.tradeId));
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
  });

  it('a failed replacement leaves the old connection serving and is retried', async () => {
    let accept = true;
    const market = await BinanceLikeMarket.start({ accept: () => accept });
    cleanups.push(() => market.close());
    const collector = new Collector();
    const connector = new VenueConnector({
      venue: testVenue('binance', {
        wsUrl: market.wsUrl,
        restBaseUrl: market.server.httpUrl,
        symbols: ['BTCUSDT'],
        settings: { rotation: { rotateAfterMs: 150, syncTimeoutMs: 3000, retryMs: 100 } },
      }),
      instruments: new InstrumentRegistry(configuredInstruments()),
      listener: collector,
      clock: systemClock(),
      random: seededRandom(1),
    });
    cleanups.push(() => connector.stop());
    market.startTicking(4);
    connector.start();
    const shard = connector.shards[0]!;
    await waitFor(() => [...shard.feed.books()][0]?.trust === 'trusted', 5000);
    accept = false;
    await waitFor(
      () => collector.logs.filter((l) => /rotation postponed/.test(l)).length >= 2,
      5000,
      'two refusals',
    );
    expect(shard.stats.rotations).toBe(0);
    accept = true;
    await waitFor(() => shard.stats.rotations === 1, 5000, 'rotation after retry');
    expect(shard.stats.disconnects).toBe(0);
    expect(shard.feed.counters.gaps).toBe(0);
    expect([...shard.feed.books()][0]!.trust).toBe('trusted');
  });

  it('when the old connection dies mid-overlap the replacement takes over (forced), books resync', async () => {
    // The new connection runs 300 ms ahead: its frames wait for the old one, which is cut first.
    const market = await BinanceLikeMarket.start({ delayMs: (i) => (i === 0 ? 300 : 0) });
    cleanups.push(() => market.close());
    const collector = new Collector();
    const connector = new VenueConnector({
      venue: testVenue('binance', {
        wsUrl: market.wsUrl,
        restBaseUrl: market.server.httpUrl,
        symbols: ['BTCUSDT'],
        settings: { rotation: { rotateAfterMs: 400, syncTimeoutMs: 5000, retryMs: 100 } },
      }),
      instruments: new InstrumentRegistry(configuredInstruments()),
      listener: collector,
      clock: systemClock(),
      random: seededRandom(1),
    });
    cleanups.push(() => connector.stop());
    market.startTicking(4);
    connector.start();
    const shard = connector.shards[0]!;
    await waitFor(() => [...shard.feed.books()][0]?.trust === 'trusted', 5000);
    await market.server.waitForConnections(2, 5000);
    await new Promise((r) => setTimeout(r, 60));
    market.server.connections[0]!.ws.terminate();
    await waitFor(() => shard.stats.rotations === 1, 3000, 'promotion');
    expect(shard.stats.forcedRotations).toBe(1);
    expect(shard.stats.disconnects).toBe(0);
    expect(collector.states()).not.toContain('disconnected');
    // Updates only the old connection had were lost with it: a counted gap, then a fresh snapshot.
    await waitFor(
      () => [...shard.feed.books()][0]?.trust === 'trusted' && shard.feed.counters.resyncs === 1,
      5000,
    );
    expect(shard.feed.counters.gaps).toBe(1);
    market.stopTicking();
    await waitFor(() => [...shard.feed.books()][0]?.sequence === market.lastId, 2000, 'the last update');
    expectBookEquals([...shard.feed.books()][0]!, market);
  });
});
