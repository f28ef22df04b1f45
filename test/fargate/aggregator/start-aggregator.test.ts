import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import { startAggregator } from '../../../fargate/aggregator/start-aggregator.ts';
import type { RawTap } from '../../../fargate/connectors/connector-events.ts';
import { BinanceLikeMarket } from '../helpers/binance-like-market.ts';
import { bybitServer } from '../helpers/bybit-like-server.ts';
import { Collector } from '../helpers/collect.ts';
import { waitFor } from '../helpers/test-server.ts';
import { testVenue } from '../helpers/test-venue.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('startAggregator', () => {
  it('runs every configured venue in one process and stops them all', async () => {
    const market = await BinanceLikeMarket.start();
    cleanups.push(() => market.close());
    const bybit = await bybitServer({ u: 10, skip: false });
    cleanups.push(() => bybit.close());
    market.startTicking(5);

    const collectors = new Map<ExchangeId, Collector>();
    const frames: Array<[ExchangeId, number]> = [];
    const rest: string[] = [];
    const tap: RawTap = {
      frame: (exchange, _raw, ts) => frames.push([exchange, ts]),
      rest: (exchange, url, venueSymbol) => rest.push(`${exchange} ${venueSymbol} ${url}`),
    };
    const agg = startAggregator({
      venues: [
        testVenue('binance', {
          wsUrl: market.wsUrl,
          restBaseUrl: market.server.httpUrl,
          symbols: ['BTCUSDT', 'ETHUSDT'],
          settings: { maxStreamsPerConnection: 2 },
        }),
        testVenue('bybit', { wsUrl: bybit.wsUrl('/v5/public/linear'), symbols: ['BTCUSDT'] }),
      ],
      listener: (exchange) => {
        const c = new Collector();
        collectors.set(exchange, c);
        return c;
      },
      rawTap: tap,
      seed: 1,
    });
    cleanups.push(() => agg.stop());

    const binance = agg.venue('binance')!;
    const bybitHandle = agg.venue('bybit')!;
    expect(binance.shards.length).toBe(2);
    await waitFor(
      () =>
        [...binance.feed.books()].some((b) => b.trust === 'trusted') &&
        [...bybitHandle.feed.books()].some((b) => b.trust === 'trusted'),
      5000,
      'books on both venues',
    );
    expect(binance.state()).toBe('connected');
    expect(bybitHandle.state()).toBe('connected');
    expect(binance.stats().connects).toBe(2);
    // The venue view sums its shards' counters.
    const [a, b] = binance.shards.map((s) => s.feed.counters.messages);
    expect(binance.counters().messages).toBe(a! + b!);
    expect(rest).toEqual([
      `binance BTCUSDT http://${market.server.host}/api/v3/depth?symbol=BTCUSDT&limit=5000`,
    ]);
    expect(new Set(frames.map(([e]) => e))).toEqual(new Set(['binance', 'bybit']));
    // Listeners are per venue; connection events carry the venue.
    expect(
      collectors
        .get('binance')!
        .connection()
        .every((e) => e.exchange === 'binance'),
    ).toBe(true);
    expect(collectors.get('bybit')!.states()).toEqual(['connected']);

    await agg.stop();
    expect(binance.state()).toBe('stopped');
    expect(bybitHandle.state()).toBe('stopped');
    await waitFor(() => market.server.open().length === 0 && bybit.open().length === 0, 3000, 'closed');
  });

  it('refuses a venue configured twice', () => {
    const v = testVenue('kraken');
    expect(() => startAggregator({ venues: [v, v] })).toThrow(/configured twice/);
  });
});
