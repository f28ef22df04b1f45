import { describe, expect, it } from 'vitest';
import { startSimulators } from '../../../local/exchanges/start-simulators.ts';
import { binanceClient, expectBooksEqualTruth } from './clients.ts';
import { FIXTURES, RawClient, settle, until } from './harness.ts';

const SPOT = [[`${FIXTURES}binance/cryptofeed_BINANCE.ws.1.0.gz`]];
const FUTURES = [[`${FIXTURES}binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz`]];

// Futures snapshots stop at 1000 levels and, as on Binance, a level below them stays unknown to the
// client until it changes: the futures books are compared on their top 500, spot on everything.
describe('simulated Binance', () => {
  it('spot: combined-stream client ends with trusted books equal to the truth, across replay loops, 0 gaps', async () => {
    const sims = await startSimulators({
      venues: ['binance'],
      captures: { binance: SPOT },
      speed: 'max',
      autoStart: false,
    });
    try {
      const fc = await binanceClient(sims, 'binance', false);
      sims.start();
      const source = sims.replays('binance')[0]!;
      await until(() => source.loops >= 3, 10_000, 'three replay loops');
      sims.pause();
      await settle(sims.venues.binance!, [fc]);
      expect(fc.feed.counters.gaps).toBe(0);
      expect(fc.feed.counters.rejected).toBe(0);
      expect(fc.feed.counters.snapshots).toBe(4);
      expectBooksEqualTruth(sims, 'binance', fc);
      await fc.client.close();
    } finally {
      await sims.close();
    }
  });

  it('futures: SUBSCRIBE message, pu chaining, trusted books equal to the truth', async () => {
    const sims = await startSimulators({
      venues: ['binance-futures'],
      captures: { 'binance-futures': FUTURES },
      speed: 'max',
      autoStart: false,
    });
    try {
      const fc = await binanceClient(sims, 'binance-futures', true);
      sims.start();
      const source = sims.replays('binance-futures')[0]!;
      await until(() => source.loops >= 2, 10_000, 'two replay loops');
      sims.pause();
      await settle(sims.venues['binance-futures']!, [fc]);
      expect(fc.feed.counters.gaps).toBe(0);
      expect(fc.feed.counters.trades).toBeGreaterThan(0);
      expectBooksEqualTruth(sims, 'binance-futures', fc, 500);
      const diff = fc.client.frames.find((f) => f.includes('"depthUpdate"'))!;
      expect(JSON.parse(diff).data).toHaveProperty('pu');
    } finally {
      await sims.close();
    }
  });

  it('REST depth answers the true top N with its update id; errors and weights as Binance', async () => {
    const sims = await startSimulators({
      venues: ['binance'],
      captures: { binance: SPOT },
      autoStart: false,
    });
    try {
      const rest = sims.urls.binance!.rest;
      const res = await fetch(`${rest}/api/v3/depth?symbol=NKNUSDT&limit=5`);
      expect(res.headers.get('x-mbx-used-weight-1m')).toBe('5');
      const body = (await res.json()) as { lastUpdateId: number; bids: string[][]; asks: string[][] };
      const truth = sims.trueBook('binance', 'NKNUSDT', 5)!;
      expect(body.lastUpdateId).toBe(truth.sequence);
      expect(body.bids).toHaveLength(5);
      expect(body.bids[0]![0]).toMatch(/^0\.\d{8}$/); // Binance pads to 8 decimals
      expect(Number(body.bids[0]![0])).toBe(Number(truth.bidsText[0]![0]));
      const bad = await fetch(`${rest}/api/v3/depth?symbol=NOPE`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ code: -1121, msg: 'Invalid symbol.' });
      const info = (await (await fetch(`${rest}/api/v3/exchangeInfo`)).json()) as {
        symbols: Array<{ symbol: string }>;
      };
      expect(info.symbols.map((x) => x.symbol).sort()).toEqual(['BLZETH', 'LRCBTC', 'NKNUSDT', 'RUNEEUR']);
    } finally {
      await sims.close();
    }
  });

  it('server pings; connections end at the configured lifetime (24 h on Binance)', async () => {
    const sims = await startSimulators({
      venues: ['binance'],
      captures: { binance: SPOT },
      autoStart: false,
      binancePingIntervalMs: 30,
      binanceConnectionLifetimeMs: 300,
    });
    try {
      const raw = await RawClient.connect(`${sims.urls.binance!.ws}/ws/nknusdt@depth`);
      let pings = 0;
      raw.ws.on('ping', () => pings++);
      await until(() => pings >= 2, 2000, 'two pings');
      await raw.waitClosed(3000);
    } finally {
      await sims.close();
    }
  });
});
