import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import type { KucoinFeed } from '../../../core/venues/kucoin/kucoin-feed.ts';
import { wallClock } from '../../../local/exchanges/clock.ts';
import { compareBook } from '../../../local/exchanges/compare-book.ts';
import { type Simulators, startSimulators } from '../../../local/exchanges/start-simulators.ts';
import {
  binanceClient,
  bybitClient,
  coinbaseClient,
  expectBooksEqualTruth,
  krakenClient,
  kucoinClient,
} from './clients.ts';
import { RawClient, settle, until } from './harness.ts';

let sims: Simulators | undefined;
afterEach(async () => {
  await sims?.close();
  sims = undefined;
});

/** One venue with a synthetic market that moves only when the test steps it. */
async function synthetic(
  exchange: ExchangeId,
  symbols = 3,
): Promise<{ s: Simulators; step: (n: number) => void }> {
  sims = await startSimulators({
    venues: [exchange],
    source: 'synthetic',
    symbols,
    depth: 15,
    autoStart: false,
    seed: 42,
  });
  const src = sims.synthetic(exchange)!;
  return { s: sims, step: (n) => src.stepMany(n) };
}

describe('fault injection', () => {
  it('drop message → Binance gap detected, REST resync, book equals the truth again', async () => {
    const { s, step } = await synthetic('binance');
    const fc = await binanceClient(s);
    step(30);
    await settle(s.venues.binance!, [fc]);
    expect(fc.feed.counters.gaps).toBe(0);
    s.faults('binance').dropNextMessage();
    step(30);
    await settle(s.venues.binance!, [fc]);
    expect(s.faults('binance').injected.drop_message).toBe(1);
    expect(fc.feed.counters.gaps).toBe(1);
    expect(fc.feed.counters.resyncs).toBe(1);
    expectBooksEqualTruth(s, 'binance', fc);
  });

  it('reorder → Binance gap; duplicate → harmless (ids repeat, book still equal)', async () => {
    const { s, step } = await synthetic('binance', 1);
    const fc = await binanceClient(s);
    step(20);
    await settle(s.venues.binance!, [fc]);
    s.faults('binance').duplicateNextMessage();
    step(5);
    await settle(s.venues.binance!, [fc]);
    expect(s.faults('binance').injected.duplicate_message).toBe(1);
    const depth = fc.client.frames.filter((f) => f.includes('depthUpdate'));
    expect(new Set(depth).size).toBe(depth.length - 1);
    expect(fc.feed.counters.gaps).toBe(0);
    expectBooksEqualTruth(s, 'binance', fc);
    s.faults('binance').reorderNextMessages();
    step(5);
    await settle(s.venues.binance!, [fc]);
    expect(s.faults('binance').injected.reorder_messages).toBe(1);
    expect(fc.feed.counters.gaps).toBe(1);
    expectBooksEqualTruth(s, 'binance', fc);
  });

  it('refused snapshot → the client sees 429 with Binance’s error body, then recovers on retry', async () => {
    const { s, step } = await synthetic('binance', 1);
    s.faults('binance').refuseNextSnapshot({ status: 429 });
    const fc = await binanceClient(s);
    step(5);
    await settle(s.venues.binance!, [fc]);
    expect(fc.refused).toHaveLength(1);
    expect(fc.refused[0]!.status).toBe(429);
    expect(JSON.parse(fc.refused[0]!.body)).toMatchObject({ code: -1003 });
    expect(s.faults('binance').injected.refuse_snapshot).toBe(1);
    const sym = [...s.market('binance').symbols()][0]!.venueSymbol;
    fc.fetchSnapshot(sym, `/api/v3/depth?symbol=${sym}&limit=5000`);
    step(5);
    await settle(s.venues.binance!, [fc]);
    expectBooksEqualTruth(s, 'binance', fc);
  });

  it('drop connection → disconnect observed; a new connection resyncs to the truth', async () => {
    const { s, step } = await synthetic('binance');
    const fc = await binanceClient(s);
    step(20);
    await settle(s.venues.binance!, [fc]);
    expect(s.faults('binance').dropConnection()).toBe(1);
    await fc.client.waitClosed();
    fc.feed.onDisconnect(wallClock());
    expect([...fc.feed.books()].every((b) => b.trust !== 'trusted')).toBe(true);
    step(20); // the market moves on while the client is away
    const streams = [...s.market('binance').symbols()].map((t) => `${t.venueSymbol.toLowerCase()}@depth`);
    fc.rebind(await RawClient.connect(`${s.urls.binance!.ws}/stream?streams=${streams.join('/')}`));
    await until(() => s.venues.binance!.connections().length === 1, 2000, 'the new connection');
    step(20);
    await settle(s.venues.binance!, [fc]);
    expect(s.faults('binance').injected.drop_connection).toBe(1);
    expect(fc.feed.counters.resyncs).toBe(3);
    expectBooksEqualTruth(s, 'binance', fc);
  });

  it('stall → nothing arrives for the stall, then the backlog in order; books stay exact', async () => {
    const { s, step } = await synthetic('binance');
    const fc = await binanceClient(s);
    step(10);
    await settle(s.venues.binance!, [fc]);
    const venue = s.venues.binance!;
    const before = fc.client.frames.length;
    s.faults('binance').stall(300);
    step(10);
    // Watch the client for as long as the venue reports the stall: not one frame may get through.
    let stalledPolls = 0;
    let leaked = 0;
    await until(
      () => {
        if (!venue.stalled) return true;
        stalledPolls++;
        leaked = Math.max(leaked, fc.client.frames.length - before);
        return false;
      },
      2000,
      'the stall to end',
    );
    expect(stalledPolls).toBeGreaterThan(0);
    expect(leaked).toBe(0);
    await settle(venue, [fc]);
    expect(fc.client.frames.length).toBeGreaterThan(before);
    expect(fc.feed.counters.gaps).toBe(0);
    expect(s.faults('binance').injected.stall).toBe(1);
    expectBooksEqualTruth(s, 'binance', fc);
  });

  it('Kraken: corrupted checksum and dropped update both fail the checksum; resubscribe recovers', async () => {
    const { s, step } = await synthetic('kraken', 2);
    const fc = await krakenClient(s, 10);
    const pairs = [...s.market('kraken').symbols()].map((t) => t.venueSymbol);
    step(20);
    await settle(s.venues.kraken!, [fc]);
    const faults = s.venues.kraken!.faults;
    faults.corruptNextChecksum({ symbol: pairs[0]! });
    step(40);
    await settle(s.venues.kraken!, [fc]);
    expect(faults.injected.corrupt_checksum).toBe(1);
    expect(fc.feed.counters.checksumsFailed).toBe(1);
    faults.dropNextMessage();
    step(40);
    await settle(s.venues.kraken!, [fc]);
    expect(faults.injected.drop_message).toBe(1);
    expect(fc.feed.counters.checksumsFailed).toBe(2);
    expect(fc.resubscribes).toHaveLength(2);
    expectBooksEqualTruth(s, 'kraken', fc, 10);
    // In-band venues refuse the subscription instead of a REST call.
    faults.refuseNextSnapshot();
    fc.client.send({ event: 'unsubscribe', pair: [pairs[0]], subscription: { name: 'book', depth: 10 } });
    fc.client.send({ event: 'subscribe', pair: [pairs[0]], subscription: { name: 'book', depth: 10 } });
    const err = JSON.parse(await fc.client.waitFor((f) => f.includes('"status":"error"')));
    expect(err.errorMessage).toMatch(/refused/);
    expect(faults.injected.refuse_snapshot).toBe(1);
  });

  it('Bybit: duplicate → bad_sequence and a resync (Bybit never re-sends); dropped delta → gap; resubscribe recovers', async () => {
    const { s, step } = await synthetic('bybit', 2);
    const fc = await bybitClient(s, 50);
    step(20);
    await settle(s.venues.bybit!, [fc]);
    s.faults('bybit').duplicateNextMessage();
    step(5);
    await settle(s.venues.bybit!, [fc]);
    expect(s.faults('bybit').injected.duplicate_message).toBe(1);
    expect(fc.feed.counters.rejectedByReason.bad_sequence).toBe(1);
    expect(fc.feed.counters.gaps).toBe(1);
    expect(fc.resubscribes).toHaveLength(1);
    step(20);
    await settle(s.venues.bybit!, [fc]);
    s.faults('bybit').dropNextMessage();
    step(20);
    await settle(s.venues.bybit!, [fc]);
    expect(s.faults('bybit').injected.drop_message).toBe(1);
    expect(fc.feed.counters.gaps).toBe(2);
    expect(fc.resubscribes).toHaveLength(2);
    expectBooksEqualTruth(s, 'bybit', fc, 50);
  });

  it('KuCoin: duplicate skipped; dropped update → gap; 503 refusal with KuCoin’s body; retry recovers', async () => {
    const { s, step } = await synthetic('kucoin', 2);
    const fc = await kucoinClient(s);
    step(20);
    await settle(s.venues.kucoin!, [fc]);
    const stats = (fc.feed as KucoinFeed).stats;
    const skipped = stats.skippedMessages;
    s.faults('kucoin').duplicateNextMessage();
    step(5);
    await settle(s.venues.kucoin!, [fc]);
    expect(s.faults('kucoin').injected.duplicate_message).toBe(1);
    expect(stats.skippedMessages).toBe(skipped + 1);
    s.faults('kucoin').refuseNextSnapshot({ status: 503 });
    s.faults('kucoin').dropNextMessage();
    step(20);
    await settle(s.venues.kucoin!, [fc]);
    expect(s.faults('kucoin').injected.drop_message).toBe(1);
    expect(s.faults('kucoin').injected.refuse_snapshot).toBe(1);
    expect(fc.feed.counters.gaps).toBe(1);
    expect(fc.refused).toEqual([{ status: 503, body: expect.stringContaining('"503000"') }]);
    // The connector retries the refused snapshot.
    const sym = [...fc.feed.books()].find((b) => b.trust !== 'trusted')!.venueSymbol;
    fc.fetchSnapshot(sym, `/api/v3/market/orderbook/level2?symbol=${sym}`);
    step(10);
    await settle(s.venues.kucoin!, [fc]);
    expectBooksEqualTruth(s, 'kucoin', fc);
  });

  it('Coinbase level2 has no sequence: a dropped update is invisible to the feed, only the truth shows it', async () => {
    const { s, step } = await synthetic('coinbase', 1);
    const fc = await coinbaseClient(s);
    step(10);
    await settle(s.venues.coinbase!, [fc]);
    const product = [...s.market('coinbase').symbols()][0]!.venueSymbol;
    const sb = [...fc.feed.books()][0]!;
    expect(compareBook(sb, s.trueBook('coinbase', product)!).equal).toBe(true);
    s.faults('coinbase').dropNextMessage();
    step(1);
    await settle(s.venues.coinbase!, [fc]);
    expect(s.faults('coinbase').injected.drop_message).toBe(1);
    expect(sb.trust).toBe('trusted');
    expect(fc.feed.counters.rejected).toBe(0);
    expect(compareBook(sb, s.trueBook('coinbase', product)!).equal).toBe(false);
    // Subscribing again brings a fresh snapshot.
    fc.client.send({ type: 'subscribe', product_ids: [product], channels: ['level2_batch'] });
    await until(() => compareBook(sb, s.trueBook('coinbase', product)!).equal, 5000, 'fresh snapshot');
  });
});
