import { describe, expect, it } from 'vitest';
import { startSimulators } from '../../../local/exchanges/start-simulators.ts';
import { expectBooksEqualTruth, krakenClient } from './clients.ts';
import { FIXTURES, settle, until } from './harness.ts';

const KRAKEN = [
  [`${FIXTURES}kraken/cryptofeed_KRAKEN.ws.50.0.gz`, `${FIXTURES}kraken/cryptofeed_KRAKEN.ws.48.0.gz`],
];

describe('simulated Kraken v1', () => {
  it('book-10 + trades: every checksum verifies, books equal the true top 10 across loops', async () => {
    const sims = await startSimulators({
      venues: ['kraken'],
      captures: { kraken: KRAKEN },
      speed: 'max',
      autoStart: false,
    });
    try {
      const fc = await krakenClient(sims, 10);
      const snapshot = fc.client.frames.find((f) => f.includes('"as":'))!;
      expect(JSON.parse(snapshot)[1].as).toHaveLength(10);
      sims.start();
      const source = sims.replays('kraken')[0]!;
      // Through one loop boundary and well into the second pass.
      await until(() => source.applied >= source.timeline.steps.length + 300, 15_000, 'the second pass');
      sims.pause();
      await settle(sims.venues.kraken!, [fc]);
      const c = fc.feed.counters;
      expect(c.checksumsFailed).toBe(0);
      expect(c.checksumsVerified).toBeGreaterThan(1000);
      expect(c.rejected).toBe(0);
      expect(c.trades).toBeGreaterThan(0);
      expect(fc.resubscribes).toEqual([]);
      expectBooksEqualTruth(sims, 'kraken', fc, 10);
      // Levels entering the window are flagged as republished, as on Kraken.
      expect(fc.client.frames.some((f) => f.includes(',"r"]'))).toBe(true);
    } finally {
      await sims.close();
    }
  });

  it('book-100: deeper windows stay equal too; ping → pong, heartbeats, errors like Kraken', async () => {
    const sims = await startSimulators({
      venues: ['kraken'],
      captures: { kraken: KRAKEN },
      speed: 'max',
      autoStart: false,
      heartbeatMs: 50,
    });
    try {
      const fc = await krakenClient(sims, 100);
      fc.client.send({ event: 'ping', reqid: 7 });
      expect(await fc.client.waitFor((f) => f.includes('"pong"'))).toBe('{"event":"pong","reqid":7}');
      await fc.client.waitFor((f) => f === '{"event":"heartbeat"}');
      fc.client.send({ event: 'subscribe', pair: ['FOO/BAR'], subscription: { name: 'book', depth: 10 } });
      const err = JSON.parse(await fc.client.waitFor((f) => f.includes('FOO/BAR')));
      expect(err).toMatchObject({
        event: 'subscriptionStatus',
        status: 'error',
        errorMessage: 'Currency pair not supported FOO/BAR',
      });
      sims.start();
      const source = sims.replays('kraken')[0]!;
      await until(() => source.loops >= 1, 15_000, 'one replay loop');
      sims.pause();
      await settle(sims.venues.kraken!, [fc]);
      expect(fc.feed.counters.checksumsFailed).toBe(0);
      expectBooksEqualTruth(sims, 'kraken', fc, 100);
    } finally {
      await sims.close();
    }
  });
});
