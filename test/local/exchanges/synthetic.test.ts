import { describe, expect, it } from 'vitest';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import { startSimulators } from '../../../local/exchanges/start-simulators.ts';
import {
  binanceClient,
  bybitClient,
  coinbaseClient,
  expectBooksEqualTruth,
  krakenClient,
  kucoinClient,
} from './clients.ts';
import type { FeedClient } from './harness.ts';
import { settle, until } from './harness.ts';

describe('synthetic market', () => {
  it('200 symbols on every venue: clients of all six venues end with books equal to the truth, 0 gaps', async () => {
    const sims = await startSimulators({
      source: 'synthetic',
      symbols: 200,
      messagesPerSecond: 3000,
      seed: 7,
      autoStart: false,
    });
    try {
      const clients: Array<[ExchangeId, FeedClient, number | undefined]> = [
        ['binance', await binanceClient(sims, 'binance'), undefined],
        ['binance-futures', await binanceClient(sims, 'binance-futures', true), undefined],
        ['kraken', await krakenClient(sims, 10), 10],
        ['coinbase', await coinbaseClient(sims), undefined],
        ['bybit', await bybitClient(sims, 50), 50],
        ['kucoin', await kucoinClient(sims), undefined],
      ];
      sims.start();
      const sources = [...sims.sources.keys()].map((e) => sims.synthetic(e)!);
      await until(() => sources.every((s) => s.steps >= 600), 15_000, '600 steps per venue');
      sims.pause();
      for (const [exchange, fc, depth] of clients) {
        await settle(sims.venues[exchange]!, [fc]);
        expect(sims.market(exchange).size).toBe(200);
        expect(fc.feed.counters.gaps, exchange).toBe(0);
        expect(fc.feed.counters.checksumsFailed, exchange).toBe(0);
        expect(fc.feed.counters.rejected, exchange).toBe(0);
        expectBooksEqualTruth(sims, exchange, fc, depth);
      }
      const kraken = clients.find(([e]) => e === 'kraken')![1];
      expect(kraken.feed.counters.checksumsVerified).toBeGreaterThan(100);
    } finally {
      await sims.close();
    }
  });

  it('is deterministic for a seed', async () => {
    const run = async (): Promise<string> => {
      const sims = await startSimulators({
        venues: ['bybit'],
        source: 'synthetic',
        symbols: 5,
        seed: 3,
        autoStart: false,
      });
      sims.synthetic('bybit')!.stepMany(500);
      const books = [...sims.market('bybit').symbols()].map((t) => JSON.stringify(t.book.snapshot()));
      await sims.close();
      return books.join('\n');
    };
    expect(await run()).toBe(await run());
  });
});
