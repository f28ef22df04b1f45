import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import { type Simulators, startSimulators } from '../../../local/exchanges/start-simulators.ts';
import { SESSION_ID_ORIGIN_MICROS, sessionFirstId } from '../../../local/exchanges/truth/session-ids.ts';
import { FIRST_SEQUENCE } from '../../../local/exchanges/truth/truth-book.ts';
import { FIXTURES, RawClient, until } from './harness.ts';

const SPOT = [[`${FIXTURES}binance/cryptofeed_BINANCE.ws.1.0.gz`]];
const FUTURES = [[`${FIXTURES}binance/cryptofeed_BINANCE_FUTURES.ws.1.0.gz`]];
const S = 1_000_000;

/** The highest update id and trade id of any symbol. */
function lastIds(sims: Simulators, exchange: ExchangeId): { sequence: number; tradeId: number } {
  let sequence = 0;
  let tradeId = 0;
  for (const t of sims.market(exchange).symbols()) {
    sequence = Math.max(sequence, t.sequence);
    tradeId = Math.max(tradeId, t.tradeId);
  }
  return { sequence, tradeId };
}

describe('simulator ids across sessions', () => {
  it('start above FIRST_SEQUENCE, grow with the session start, and stay within 15 digits until 2055', () => {
    expect(sessionFirstId(0)).toBe(FIRST_SEQUENCE);
    expect(sessionFirstId(SESSION_ID_ORIGIN_MICROS)).toBe(FIRST_SEQUENCE);
    expect(sessionFirstId(Date.UTC(2055, 0, 1) * 1000)).toBeLessThan(1e15);
    fc.assert(
      fc.property(
        fc.integer({ min: SESSION_ID_ORIGIN_MICROS, max: Date.UTC(2055, 0, 1) * 1000 }),
        fc.integer({ min: 1, max: 1e12 }),
        (start, later) => sessionFirstId(start + later) - sessionFirstId(start) === later,
      ),
    );
  });

  it('a restarted simulator continues above every update id and trade id of the session before', async () => {
    let now = Date.UTC(2026, 4, 1) * 1000;
    const open = () =>
      startSimulators({
        venues: ['binance'],
        captures: { binance: SPOT },
        speed: 'max',
        autoStart: false,
        clock: () => now,
      });
    const first = await open();
    let ended: { sequence: number; tradeId: number };
    try {
      const applied = first.replays('binance')[0]!.drain();
      expect(applied).toBeGreaterThan(0);
      ended = lastIds(first, 'binance');
      expect(ended.sequence).toBeGreaterThan(sessionFirstId(now));
      expect(ended.tradeId).toBeGreaterThan(sessionFirstId(now));
    } finally {
      await first.close();
    }
    now += 10 * S; // restarted ten seconds later
    const second = await open();
    try {
      for (const t of second.market('binance').symbols()) {
        expect(t.sequence).toBeGreaterThan(ended.sequence);
        expect(t.tradeId).toBeGreaterThan(ended.tradeId);
      }
      const rest = second.urls.binance!.rest;
      const [symbol] = second.symbols('binance');
      const body = (await (await fetch(`${rest}/api/v3/depth?symbol=${symbol}&limit=5`)).json()) as {
        lastUpdateId: number;
      };
      expect(body.lastUpdateId).toBeGreaterThan(ended.sequence);
    } finally {
      await second.close();
    }
  });
});

describe('simulated Binance depth streams per market', () => {
  async function framesFor(exchange: 'binance' | 'binance-futures', depth: string): Promise<string[]> {
    const sims = await startSimulators({
      venues: [exchange],
      captures: exchange === 'binance' ? { binance: SPOT } : { 'binance-futures': FUTURES },
      speed: 'max',
      autoStart: false,
    });
    try {
      const trade = exchange === 'binance' ? 'trade' : 'aggTrade';
      const streams = sims
        .symbols(exchange)
        .flatMap((s) => [`${s.toLowerCase()}@${depth}`, `${s.toLowerCase()}@${trade}`]);
      const client = await RawClient.connect(
        `${sims.urls[exchange]!.ws}/stream?streams=${streams.join('/')}`,
      );
      sims.start();
      // Trades and diffs go out together; once 20 trades are in, any diff would be too.
      await until(
        () => client.frames.filter((f) => f.includes(`"e":"${trade}"`)).length >= 20,
        10_000,
        'trades',
      );
      sims.pause();
      await client.close();
      return client.frames;
    } finally {
      await sims.close();
    }
  }

  it('spot serves depth@100ms but not the USD-M-only depth@0ms (accepted, silent, as Binance)', async () => {
    expect((await framesFor('binance', 'depth@0ms')).some((f) => f.includes('depthUpdate'))).toBe(false);
    expect((await framesFor('binance', 'depth@100ms')).some((f) => f.includes('depthUpdate'))).toBe(true);
  });

  it('USD-M serves depth@0ms', async () => {
    expect((await framesFor('binance-futures', 'depth@0ms')).some((f) => f.includes('depthUpdate'))).toBe(
      true,
    );
  });
});
