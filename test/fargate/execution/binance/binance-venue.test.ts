import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { type CheckedMint, claimCheckedMint } from '../../../../core/risk/order-check.ts';
import type { ExecutionReports } from '../../../../core/trading/execution-venue.ts';
import { SPOT } from '../../../../fargate/execution/binance/binance-market.ts';
import type { BinanceRest } from '../../../../fargate/execution/binance/binance-rest.ts';
import { BinanceVenue } from '../../../../fargate/execution/binance/binance-venue.ts';

const mint = claimCheckedMint() as CheckedMint;
const BTC = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 5,
});

interface Trade {
  id: number;
  qty: number;
}

function setUp(trades: Trade[]) {
  const filled: Array<{ tradeId: string; size: number }> = [];
  const reports = {
    accepted: () => {},
    filled: (_id: number, tradeId: string, _p: number, size: number) => filled.push({ tradeId, size }),
    canceled: () => {},
    rejected: () => {},
    amended: () => {},
    requestRejected: () => {},
    expired: () => {},
  } satisfies ExecutionReports;
  const rest = {
    options: { governor: { banned: false } },
    signed: async (method: string, path: string) => {
      if (method === 'POST') return { orderId: 7, status: 'NEW', executedQty: '0' };
      if (path === SPOT.tradesPath)
        return trades.map((t) => ({
          id: t.id,
          orderId: 7,
          price: '100.00',
          qty: (t.qty / 1e5).toFixed(5),
          commission: '0',
          commissionAsset: 'USDT',
          time: 1,
          isMaker: true,
        }));
      return { orderId: 7, status: 'PARTIALLY_FILLED', executedQty: '0' };
    },
  } as unknown as BinanceRest;
  const venue = new BinanceVenue({
    exchange: 'binance',
    market: SPOT,
    rest,
    instruments: [BTC],
    nowMicros: () => 1,
  });
  venue.connect(reports);
  return { venue, filled };
}

const event = (t: Trade) => ({
  e: 'executionReport',
  s: 'BTCUSDT',
  c: 'c-1',
  x: 'TRADE',
  X: 'PARTIALLY_FILLED',
  i: 7,
  l: (t.qty / 1e5).toFixed(5),
  L: '100.00',
  n: '0',
  N: 'USDT',
  t: t.id,
  m: true,
  T: 1,
});

describe('BinanceVenue fills: stream and REST recovery report each trade once', () => {
  it('any mix of stream deliveries (repeats included) followed by recovery', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (ids, picks) => {
          const trades = ids.map((id, i) => ({ id, qty: 10 * (i + 1) }));
          const { venue, filled } = setUp(trades);
          venue.submit(
            mint.order({
              id: 1,
              instrument: 0,
              side: 'buy',
              type: 'limit',
              price: 10_000,
              size: 1_000_000,
              postOnly: false,
              ioc: false,
            }),
            'c-1',
            0,
          );
          await venue.settled();
          for (const p of picks) venue.onStreamEvent(event(trades[p % trades.length]!));
          await venue.recover();
          const seen = filled.map((f) => f.tradeId).sort();
          expect(seen).toEqual(trades.map((t) => String(t.id)).sort());
          expect(filled.reduce((s, f) => s + f.size, 0)).toBe(trades.reduce((s, t) => s + t.qty, 0));
          // Every stream repeat and every recovered trade already seen on the stream is a dropped duplicate.
          expect(venue.counters.duplicateFills).toBe(picks.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a malformed stream event is counted, not applied', () => {
    const { venue, filled } = setUp([]);
    venue.onStreamEvent({ e: 'executionReport', s: 'BTCUSDT' });
    expect(venue.counters.malformedEvents).toBe(1);
    expect(filled).toHaveLength(0);
  });
});
