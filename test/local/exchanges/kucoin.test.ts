import { describe, expect, it } from 'vitest';
import { startSimulators } from '../../../local/exchanges/start-simulators.ts';
import { expectBooksEqualTruth, kucoinClient } from './clients.ts';
import { FIXTURES, RawClient, settle, until } from './harness.ts';

const KUCOIN = [[`${FIXTURES}kucoin/cryptofeed_KUCOIN.ws.1.0.gz`]];

describe('simulated KuCoin', () => {
  it('bullet-public → welcome → level2 + match; REST snapshots chain onto the updates across loops', async () => {
    const sims = await startSimulators({
      venues: ['kucoin'],
      captures: { kucoin: KUCOIN },
      speed: 'max',
      autoStart: false,
    });
    try {
      const fc = await kucoinClient(sims);
      sims.start();
      const source = sims.replays('kucoin')[0]!;
      // Through one loop boundary and well into the second pass.
      await until(() => source.applied >= source.timeline.steps.length + 300, 15_000, 'the second pass');
      sims.pause();
      await settle(sims.venues.kucoin!, [fc]);
      expect(fc.feed.counters.gaps).toBe(0);
      expect(fc.feed.counters.trades).toBeGreaterThan(0);
      expectBooksEqualTruth(sims, 'kucoin', fc);
      fc.client.send({ id: 'p1', type: 'ping' });
      expect(await fc.client.waitFor((f) => f.includes('"p1"'))).toBe('{"id":"p1","type":"pong"}');
    } finally {
      await sims.close();
    }
  });

  it('refuses websocket connections without a bullet token', async () => {
    const sims = await startSimulators({
      venues: ['kucoin'],
      captures: { kucoin: KUCOIN },
      autoStart: false,
    });
    try {
      await expect(RawClient.connect(`${sims.urls.kucoin!.ws}?token=forged`)).rejects.toThrow();
    } finally {
      await sims.close();
    }
  });
});
