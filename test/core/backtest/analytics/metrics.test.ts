import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../../core/backtest/analytics/metrics.ts';
import type { BacktestResult } from '../../../../core/backtest/result.ts';
import { HAND_RESULT, HAND_START } from './hand-result.ts';
import { randomResult } from './random-result.ts';

describe('computeMetrics on the hand-made run', () => {
  const m = computeMetrics(HAND_RESULT);

  it('returns', () => {
    expect(m.finalEquity).toBe(1001.468);
    expect(m.pnl).toBeCloseTo(1.468, 9);
    expect(m.totalReturn).toBeCloseTo(0.001468, 12);
    // 4 s is 1/7,884,000 of a 365-day year: linear scaling.
    expect(m.annualizedReturn).toBeCloseTo(0.001468 * 7_884_000, 6);
    expect(m.realizedPnl).toBeCloseTo(1.978, 12);
    expect(m.periodSec).toBe(4);
  });

  it('risk: Sharpe/Sortino from 1-second samples, annualized with √31,536,000', () => {
    const e = [1000, 999.99, 1001.978, 1001.968, 1001.468];
    const r = e.slice(1).map((v, i) => v / e[i]! - 1);
    const mean = r.reduce((a, b) => a + b, 0) / 4;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    const down = Math.sqrt(r.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / 4);
    expect(m.samplingIntervalSec).toBe(1);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(31_536_000), 6);
    expect(m.sharpe).toBeCloseTo(1866.7098, 3);
    expect(m.sortino).toBeCloseTo((mean / down) * Math.sqrt(31_536_000), 6);
    expect(m.volatility).toBeCloseTo(sd * Math.sqrt(31_536_000), 9);
    // Peak 1001.978 at t=2 s, low 1001.468 at t=4 s.
    expect(m.maxDrawdown).toBeCloseTo(0.51 / 1001.978, 12);
    // Underwater 0→2 s (999.99 < 1000) and 2→4 s (never recovered): 2 s.
    expect(m.maxDrawdownDurationUs).toBe(2_000_000);
    expect(m.maxDrawdownDurationSec).toBe(2);
  });

  it('trades and execution', () => {
    expect(m.numRoundTrips).toBe(1);
    expect(m.winRate).toBe(1);
    expect(m.profitFactor).toBe(Number.POSITIVE_INFINITY); // all winning
    expect(m.avgTradePnl).toBeCloseTo(1.978, 12);
    expect(m.avgTradeDurationUs).toBe(1_000_000);
    expect(m.avgTradeDurationSec).toBe(1);
    expect(m.numOrders).toBe(5);
    expect(m.numRejected).toBe(1);
    expect(m.numFills).toBe(3);
    expect(m.fillRatio).toBe(0.75);
    expect(m.fillRatioBySize).toBe(0.5);
    expect(m.turnover).toBeCloseTo(0.0265, 12);
    expect(m.fees).toBeCloseTo(0.032, 12);
    expect(m.funding).toBe(0);
  });
});

describe('computeMetrics edge cases', () => {
  const empty: BacktestResult = {
    ...HAND_RESULT,
    orders: [],
    fills: [],
    roundTrips: [],
    equity: [],
    funding: 0,
  };

  it('no trades, no equity samples: everything 0 and finite', () => {
    const m = computeMetrics(empty);
    for (const [k, v] of Object.entries(m)) expect(Number.isFinite(v), k).toBe(true);
    expect(m.finalEquity).toBe(1000);
    expect(m.sharpe).toBe(0);
    expect(m.winRate).toBe(0);
    expect(m.profitFactor).toBe(0);
    expect(m.maxDrawdown).toBe(0);
  });

  it('flat equity: Sharpe and Sortino 0, not NaN', () => {
    const flat = {
      ...empty,
      equity: [0, 1, 2, 3].map((s) => ({
        ts: HAND_START + s * 1_000_000,
        equity: 1000,
        position: 0,
        mid: 10,
      })),
    };
    const m = computeMetrics(flat);
    expect(m.sharpe).toBe(0);
    expect(m.sortino).toBe(0);
    expect(m.maxDrawdown).toBe(0);
    expect(m.maxDrawdownDurationUs).toBe(0);
  });

  it('without equity samples, final equity = capital + realized pnl − funding', () => {
    const m = computeMetrics({ ...HAND_RESULT, equity: [], funding: 0.5 });
    expect(m.finalEquity).toBeCloseTo(1000 + 1.978 - 0.5, 12);
  });

  it('zero capital does not divide by zero', () => {
    const m = computeMetrics({ ...HAND_RESULT, initialCapital: 0 });
    expect(m.totalReturn).toBe(0);
    expect(m.turnover).toBe(0);
  });

  it('random runs: no NaN anywhere, and only profit factor / Sortino may be infinite', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 400 }),
        (seed, points) => {
          const m = computeMetrics(randomResult({ seed, points }));
          for (const [k, v] of Object.entries(m)) {
            expect(Number.isNaN(v), k).toBe(false);
            if (k !== 'profitFactor' && k !== 'sortino') expect(Number.isFinite(v), k).toBe(true);
          }
          expect(m.maxDrawdown).toBeGreaterThanOrEqual(0);
          expect(m.winRate).toBeGreaterThanOrEqual(0);
          expect(m.winRate).toBeLessThanOrEqual(1);
          expect(m.fillRatio).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the random generator is consistent: equity = capital + Σ cash flows + position × mid', () => {
    const r = randomResult({ seed: 5 });
    const m = computeMetrics(r);
    expect(m.numFills).toBeGreaterThan(50);
    expect(m.numRoundTrips).toBeGreaterThan(20);
    const last = r.equity[r.equity.length - 1]!;
    let cash = r.initialCapital - r.funding;
    for (const f of r.fills) cash -= (f.side === 'buy' ? 1 : -1) * f.price * f.size + f.fee;
    expect(last.equity).toBeCloseTo(cash + last.position * last.mid, 6);
  });
});
