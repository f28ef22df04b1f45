import { describe, expect, it } from 'vitest';
import { startSimulators } from '../../../local/exchanges/start-simulators.ts';
import { bybitClient, expectBooksEqualTruth } from './clients.ts';
import { FIXTURES, settle, until } from './harness.ts';

const BYBIT = [[`${FIXTURES}bybit/nautilus_xrpusdt-ob500.data.zip`]];

describe('simulated Bybit v5', () => {
  it('orderbook.50: snapshot then deltas with consecutive u; books equal the true top 50 across loops', async () => {
    const sims = await startSimulators({
      venues: ['bybit'],
      captures: { bybit: BYBIT },
      speed: 'max',
      autoStart: false,
    });
    try {
      const fc = await bybitClient(sims, 50);
      const ack = JSON.parse(fc.client.frames.find((f) => f.includes('sub-1'))!);
      expect(ack).toMatchObject({ success: true, op: 'subscribe', req_id: 'sub-1' });
      sims.start();
      const source = sims.replays('bybit')[0]!;
      await until(() => source.loops >= 5, 10_000, 'five replay loops');
      sims.pause();
      await settle(sims.venues.bybit!, [fc]);
      expect(fc.feed.counters.gaps).toBe(0);
      expect(fc.feed.counters.rejected).toBe(0);
      expect(fc.feed.counters.snapshots).toBe(1);
      expectBooksEqualTruth(sims, 'bybit', fc, 50);
      const us = fc.client.frames
        .filter((f) => f.startsWith('{"topic":"orderbook'))
        .map((f) => JSON.parse(f).data.u as number);
      for (let i = 1; i < us.length; i++) expect(us[i]).toBe(us[i - 1]! + 1);
      fc.client.send({ op: 'ping', req_id: 'p' });
      expect(JSON.parse(await fc.client.waitFor((f) => f.includes('"req_id":"p"')))).toMatchObject({
        op: 'ping',
        ret_msg: 'pong',
      });
      fc.client.send({ op: 'subscribe', req_id: 'again', args: ['orderbook.50.XRPUSDT'] });
      expect(JSON.parse(await fc.client.waitFor((f) => f.includes('"req_id":"again"')))).toMatchObject({
        success: false,
      });
    } finally {
      await sims.close();
    }
  });

  it('orderbook.1 pushes snapshots only', async () => {
    const sims = await startSimulators({
      venues: ['bybit'],
      captures: { bybit: BYBIT },
      speed: 'max',
      autoStart: false,
    });
    try {
      const fc = await bybitClient(sims, 1);
      sims.start();
      const source = sims.replays('bybit')[0]!;
      await until(() => source.loops >= 1, 10_000, 'one loop');
      sims.pause();
      await settle(sims.venues.bybit!, [fc]);
      const books = fc.client.frames.filter((f) => f.startsWith('{"topic":"orderbook'));
      expect(books.length).toBeGreaterThan(1);
      expect(books.every((f) => f.includes('"type":"snapshot"'))).toBe(true);
      expectBooksEqualTruth(sims, 'bybit', fc, 1);
    } finally {
      await sims.close();
    }
  });
});
