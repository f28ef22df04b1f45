/**
 * Test clients for each simulated venue: a raw websocket speaking the venue's real subscribe
 * messages, feeding the venue's core feed (createFeed), answering the feed's snapshot requests as
 * a connector would, plus the book-vs-truth assertions.
 */
import { expect } from 'vitest';
import type { TradeEvent } from '../../../core/market/events.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import { InstrumentRegistry } from '../../../core/market/instrument-registry.ts';
import { createFeed } from '../../../core/venues/create-feed.ts';
import type { FeedListener } from '../../../core/venues/feed-types.ts';
import { compareBook } from '../../../local/exchanges/compare-book.ts';
import type { Simulators } from '../../../local/exchanges/start-simulators.ts';
import { FeedClient, RawClient } from './harness.ts';

function symbolsOf(sims: Simulators, exchange: ExchangeId): string[] {
  return [...sims.market(exchange).symbols()].map((t) => t.venueSymbol);
}

/** Binance: combined-stream URL (or `/stream` + SUBSCRIBE), REST snapshots on request. */
export async function binanceClient(
  sims: Simulators,
  exchange: 'binance' | 'binance-futures' = 'binance',
  viaSubscribeMessage = false,
): Promise<FeedClient> {
  const urls = sims.urls[exchange]!;
  const streams = symbolsOf(sims, exchange).flatMap((s) => [
    `${s.toLowerCase()}@depth@100ms`,
    `${s.toLowerCase()}@trade`,
  ]);
  const raw = await RawClient.connect(
    viaSubscribeMessage ? `${urls.ws}/stream` : `${urls.ws}/stream?streams=${streams.join('/')}`,
  );
  let fc: FeedClient | undefined;
  const listener: FeedListener = { onSnapshotRequest: (r) => fc!.fetchSnapshot(r.venueSymbol, r.path!) };
  fc = new FeedClient(
    createFeed({ exchange, instruments: new InstrumentRegistry(), listener }),
    raw,
    urls.rest,
  );
  if (viaSubscribeMessage) {
    raw.send({ method: 'SUBSCRIBE', params: streams, id: 1 });
    await raw.waitFor((f) => f === '{"result":null,"id":1}');
  }
  return fc;
}

/** Kraken v1: book-N + trade subscriptions; resync = unsubscribe + subscribe. */
export async function krakenClient(sims: Simulators, depth: number): Promise<FeedClient> {
  const pairs = symbolsOf(sims, 'kraken');
  const raw = await RawClient.connect(sims.urls.kraken!.ws);
  await raw.waitFor((f) => f.includes('"systemStatus"'));
  let fc: FeedClient | undefined;
  const listener: FeedListener = {
    onSnapshotRequest: (r) => {
      fc!.resubscribes.push(r.venueSymbol);
      const sub = { name: 'book', depth };
      fc!.client.send({ event: 'unsubscribe', pair: [r.venueSymbol], subscription: sub });
      fc!.client.send({ event: 'subscribe', pair: [r.venueSymbol], subscription: sub });
    },
  };
  const feed = createFeed({
    exchange: 'kraken',
    variant: 'v1',
    instruments: new InstrumentRegistry(),
    listener,
  });
  fc = new FeedClient(feed, raw, sims.urls.kraken!.rest);
  raw.send({ event: 'subscribe', pair: pairs, subscription: { name: 'book', depth } });
  raw.send({ event: 'subscribe', pair: pairs, subscription: { name: 'trade' } });
  await raw.waitFor((f) => f.includes('"channelName":"trade"') && f.includes(`"${pairs.at(-1)}"`));
  return fc;
}

/** Coinbase Exchange: level2_batch + matches + heartbeat; resync = subscribe again. */
export async function coinbaseClient(sims: Simulators, trades: TradeEvent[] = []): Promise<FeedClient> {
  const products = symbolsOf(sims, 'coinbase');
  const raw = await RawClient.connect(sims.urls.coinbase!.ws);
  let fc: FeedClient | undefined;
  const listener: FeedListener = {
    onSnapshotRequest: (r) => {
      fc!.resubscribes.push(r.venueSymbol);
      fc!.client.send({ type: 'subscribe', product_ids: [r.venueSymbol], channels: ['level2_batch'] });
    },
    onTrade: (t) => trades.push(t),
  };
  const feed = createFeed({
    exchange: 'coinbase',
    variant: 'exchange',
    instruments: new InstrumentRegistry(),
    listener,
  });
  fc = new FeedClient(feed, raw, sims.urls.coinbase!.rest);
  raw.send({ type: 'subscribe', product_ids: products, channels: ['level2_batch', 'matches', 'heartbeat'] });
  await raw.waitFor((f) => f.includes('"type":"subscriptions"'));
  return fc;
}

/** Bybit v5: orderbook.N + publicTrade; resync = unsubscribe + subscribe. */
export async function bybitClient(sims: Simulators, depth: number): Promise<FeedClient> {
  const list = symbolsOf(sims, 'bybit');
  const raw = await RawClient.connect(sims.urls.bybit!.ws);
  let fc: FeedClient | undefined;
  const listener: FeedListener = {
    onSnapshotRequest: (r) => {
      fc!.resubscribes.push(r.venueSymbol);
      const topic = `orderbook.${depth}.${r.venueSymbol}`;
      fc!.client.send({ op: 'unsubscribe', args: [topic] });
      fc!.client.send({ op: 'subscribe', args: [topic] });
    },
  };
  fc = new FeedClient(
    createFeed({ exchange: 'bybit', instruments: new InstrumentRegistry(), listener }),
    raw,
    sims.urls.bybit!.rest,
  );
  raw.send({
    op: 'subscribe',
    req_id: 'sub-1',
    args: list.flatMap((s) => [`orderbook.${depth}.${s}`, `publicTrade.${s}`]),
  });
  await raw.waitFor((f) => f.includes('"req_id":"sub-1"'));
  return fc;
}

interface Bullet {
  code: string;
  data: { token: string; instanceServers: Array<{ endpoint: string; pingInterval: number }> };
}

/** KuCoin: bullet-public → token → welcome → level2 + match topics (≤ 100 symbols each); REST snapshots. */
export async function kucoinClient(sims: Simulators): Promise<FeedClient> {
  const list = symbolsOf(sims, 'kucoin');
  const rest = sims.urls.kucoin!.rest;
  const bullet = (await (await fetch(`${rest}/api/v1/bullet-public`, { method: 'POST' })).json()) as Bullet;
  expect(bullet.code).toBe('200000');
  const server = bullet.data.instanceServers[0]!;
  expect(server.pingInterval).toBeGreaterThan(0);
  const raw = await RawClient.connect(`${server.endpoint}?token=${bullet.data.token}&connectId=c1`);
  await raw.waitFor((f) => f === '{"id":"c1","type":"welcome"}');
  let fc: FeedClient | undefined;
  const listener: FeedListener = { onSnapshotRequest: (r) => fc!.fetchSnapshot(r.venueSymbol, r.path!) };
  fc = new FeedClient(
    createFeed({ exchange: 'kucoin', instruments: new InstrumentRegistry(), listener }),
    raw,
    rest,
  );
  for (let i = 0; i < list.length; i += 100) {
    const chunk = list.slice(i, i + 100).join(',');
    raw.send({
      id: `l2-${i}`,
      type: 'subscribe',
      topic: `/market/level2:${chunk}`,
      privateChannel: false,
      response: true,
    });
    raw.send({
      id: `m-${i}`,
      type: 'subscribe',
      topic: `/market/match:${chunk}`,
      privateChannel: false,
      response: true,
    });
    await raw.waitFor((f) => f === `{"id":"m-${i}","type":"ack"}`);
  }
  return fc;
}

/**
 * Every symbol of the venue: the client's book is trusted and its top `depth` (default all) equals
 * the truth's; venues with update ids also agree on the id. Symbols whose truth is empty are skipped
 * (KuCoin CAPP-BTC: its recorded snapshot cannot be represented exactly, see core/venues/kucoin).
 */
export function expectBooksEqualTruth(
  sims: Simulators,
  exchange: ExchangeId,
  fc: FeedClient,
  depth?: number,
): void {
  for (const t of sims.market(exchange).symbols()) {
    if (t.book.bids.count + t.book.asks.count === 0) continue;
    const sb = [...fc.feed.books()].find((b) => b.venueSymbol === t.venueSymbol);
    // Diff-only venues (Binance, KuCoin) never push a book nobody asked for: a client asks for the
    // snapshot on the symbol's first diff, so a symbol the run never updated has no book — rightly.
    if (!sb && diffOnly(exchange) && !fc.client.frames.some((f) => f.includes(`"${t.venueSymbol}"`)))
      continue;
    expect(sb?.trust, `${exchange} ${t.venueSymbol}`).toBe('trusted');
    const truth = sims.trueBook(exchange, t.venueSymbol, depth)!;
    expect(compareBook(sb!, truth, depth).differences).toEqual([]);
    if (exchange === 'binance' || exchange === 'binance-futures' || exchange === 'kucoin') {
      expect(sb!.sequence).toBe(truth.sequence);
    }
  }
}

function diffOnly(exchange: ExchangeId): boolean {
  return exchange === 'binance' || exchange === 'binance-futures' || exchange === 'kucoin';
}
