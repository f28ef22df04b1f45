import { describe, expect, it } from 'vitest';
import type { TradeEvent } from '../../../core/market/events.ts';
import { compareBook } from '../../../local/exchanges/compare-book.ts';
import { startSimulators } from '../../../local/exchanges/start-simulators.ts';
import { coinbaseClient } from './clients.ts';
import { FIXTURES, RawClient, settle, until } from './harness.ts';

const COINBASE = [[`${FIXTURES}coinbase/cryptofeed_COINBASE.ws.28.0.gz`]];

describe('simulated Coinbase Exchange', () => {
  it('level2_batch + matches: snapshots, l2updates and trades leave books equal to the truth across loops', async () => {
    const sims = await startSimulators({
      venues: ['coinbase'],
      captures: { coinbase: COINBASE },
      speed: 'max',
      autoStart: false,
    });
    try {
      const trades: TradeEvent[] = [];
      const fc = await coinbaseClient(sims, trades);
      sims.start();
      const source = sims.replays('coinbase')[0]!;
      // Through one loop boundary and well into the second pass.
      await until(() => source.applied >= source.timeline.steps.length + 300, 15_000, 'the second pass');
      sims.pause();
      await settle(sims.venues.coinbase!, [fc]);
      expect(fc.feed.counters.rejected).toBe(0);
      expect(fc.feed.counters.snapshots).toBe(10);
      for (const t of sims.market('coinbase').symbols()) {
        const sb = [...fc.feed.books()].find((b) => b.venueSymbol === t.venueSymbol)!;
        expect(sb.trust).toBe('trusted');
        expect(compareBook(sb, sims.trueBook('coinbase', t.venueSymbol)!).differences).toEqual([]);
      }
      // `side` on the wire is the maker's; the feed turns it back into the aggressor side of the truth.
      const match = JSON.parse(fc.client.frames.find((f) => f.includes('"type":"match"'))!);
      const last = trades.find((t) => t.tradeId === String(match.trade_id))!;
      expect(last.side).toBe(match.side === 'buy' ? 'sell' : 'buy');
    } finally {
      await sims.close();
    }
  });

  it('answers heartbeats, unknown products and unsupported channels like Coinbase', async () => {
    const sims = await startSimulators({
      venues: ['coinbase'],
      captures: { coinbase: COINBASE },
      autoStart: false,
      heartbeatMs: 30,
    });
    try {
      const raw = await RawClient.connect(sims.urls.coinbase!.ws);
      raw.send({ type: 'subscribe', channels: [{ name: 'heartbeat', product_ids: ['SKL-USD'] }] });
      const hb = JSON.parse(await raw.waitFor((f) => f.includes('"heartbeat"') && f.includes('"sequence"')));
      expect(hb).toMatchObject({ type: 'heartbeat', product_id: 'SKL-USD' });
      raw.send({ type: 'subscribe', product_ids: ['NOPE-USD'], channels: ['level2_batch'] });
      expect(JSON.parse(await raw.waitFor((f) => f.includes('NOPE')))).toEqual({
        type: 'error',
        message: 'Failed to subscribe',
        reason: 'NOPE-USD is not a valid product',
      });
      // `level2` (now authenticated on Coinbase) is served like level2_batch.
      raw.send({ type: 'subscribe', channels: [{ name: 'level2', product_ids: ['SKL-BTC'] }] });
      const snap = JSON.parse(await raw.waitFor((f) => f.includes('"type":"snapshot"')));
      expect(snap.product_id).toBe('SKL-BTC');
      expect(snap.bids.length).toBe(sims.trueBook('coinbase', 'SKL-BTC')!.bids.length);
      raw.send({ type: 'subscribe', product_ids: ['SKL-USD'], channels: ['full'] });
      expect(await raw.waitFor((f) => f.includes('full is not a channel'))).toContain('"type":"error"');
      const res = await fetch(`${sims.urls.coinbase!.rest}/products/SKL-USD/book?level=2`);
      const book = (await res.json()) as { bids: unknown[]; sequence: number };
      expect(book.bids.length).toBeGreaterThan(0);
      expect(book.sequence).toBe(sims.trueBook('coinbase', 'SKL-USD')!.sequence);
      await raw.close();
    } finally {
      await sims.close();
    }
  });
});
