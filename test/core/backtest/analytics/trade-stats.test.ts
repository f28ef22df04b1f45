import { describe, expect, it } from 'vitest';
import { tradeStats } from '../../../../core/backtest/analytics/trade-stats.ts';
import type { RoundTrip } from '../../../../core/backtest/result.ts';

function trip(pnl: number, entryTs: number, exitTs: number): RoundTrip {
  return {
    symbol: 'BTC/USDT',
    side: 'buy',
    entryTs,
    exitTs,
    size: 1,
    entryPrice: 100,
    exitPrice: 100 + pnl,
    pnl,
  };
}

describe('round-trip statistics', () => {
  it('win rate, profit factor, averages by hand', () => {
    // Wins 10 + 20 = 30, losses 5 + 15 = 20, one break-even (not a win).
    const s = tradeStats([
      trip(10, 0, 1_000),
      trip(-5, 0, 3_000),
      trip(0, 0, 2_000),
      trip(20, 0, 4_000),
      trip(-15, 0, 5_000),
    ]);
    expect(s.numRoundTrips).toBe(5);
    expect(s.winRate).toBe(0.4);
    expect(s.profitFactor).toBe(1.5);
    expect(s.realizedPnl).toBe(10);
    expect(s.avgTradePnl).toBe(2);
    expect(s.avgTradeDurationUs).toBe(3_000);
  });

  it('all winning: profit factor is +Infinity, win rate 1', () => {
    const s = tradeStats([trip(1, 0, 1), trip(2, 0, 1)]);
    expect(s.profitFactor).toBe(Number.POSITIVE_INFINITY);
    expect(s.winRate).toBe(1);
  });

  it('all losing: profit factor 0', () => {
    expect(tradeStats([trip(-1, 0, 1)]).profitFactor).toBe(0);
  });

  it('no trades: zeros, never NaN', () => {
    const s = tradeStats([]);
    expect(s).toEqual({
      numRoundTrips: 0,
      realizedPnl: 0,
      winRate: 0,
      profitFactor: 0,
      avgTradePnl: 0,
      avgTradeDurationUs: 0,
    });
  });
});
