import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../../core/backtest/analytics/metrics.ts';
import { MICROS_PER_SECOND, SECONDS_PER_DAY } from '../../../../core/backtest/analytics/periods.ts';
import { MIN_ANNUALIZATION_DAYS } from '../../../../core/backtest/analytics/returns.ts';
import type { BacktestResult } from '../../../../core/backtest/result.ts';
import { HAND_RESULT, HAND_START } from './hand-result.ts';
import { randomResult } from './random-result.ts';

describe('computeMetrics on the hand-made run', () => {
  const m = computeMetrics(HAND_RESULT);

  it('returns', () => {
    expect(m.finalEquity).toBe(1001.468);
    expect(m.pnl).toBeCloseTo(1.468, 9);
    expect(m.totalReturn).toBeCloseTo(0.001468, 12);
    // 4 s is far below the 30 days annualizing needs: not annualized.
    expect(m.annualizedReturn).toBeNaN();
    expect(m.realizedPnl).toBeCloseTo(1.978, 12);
    expect(m.periodSec).toBe(4);
  });

  const e = [1000, 999.99, 1001.978, 1001.968, 1001.468];
  const r = e.slice(1).map((v, i) => v / e[i]! - 1);
  const mean = r.reduce((a, b) => a + b, 0) / 4;
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
  const down = Math.sqrt(r.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / 4);

  it('risk: per 1-second sample and over the run (× √4 returns); a 4 s run is not annualized', () => {
    expect(m.samplingIntervalSec).toBe(1);
    expect(m.returnPerSample).toBeCloseTo(mean, 15);
    expect(m.sharpePerSample).toBeCloseTo(mean / sd, 12);
    expect(m.sortinoPerSample).toBeCloseTo(mean / down, 12);
    expect(m.volatilityPerSample).toBeCloseTo(sd, 15);
    expect(m.sharpeOverPeriod).toBeCloseTo((mean / sd) * 2, 12);
    expect(m.sortinoOverPeriod).toBeCloseTo((mean / down) * 2, 12);
    expect(m.volatilityOverPeriod).toBeCloseTo(sd * 2, 15);
    // What the annualized Sharpe of this run used to print: noise × √31,536,000.
    expect((mean / sd) * Math.sqrt(31_536_000)).toBeCloseTo(1866.7098, 3);
    expect(m.sharpe).toBeNaN();
    expect(m.sortino).toBeNaN();
    expect(m.volatility).toBeNaN();
    // Peak 1001.978 at t=2 s, low 1001.468 at t=4 s.
    expect(m.maxDrawdown).toBeCloseTo(0.51 / 1001.978, 12);
    // Underwater 0→2 s (999.99 < 1000) and 2→4 s (never recovered): 2 s.
    expect(m.maxDrawdownDurationUs).toBe(2_000_000);
    expect(m.maxDrawdownDurationSec).toBe(2);
  });

  it('annualizes from 30 days on: the same equity path sampled every 10 days (40 days)', () => {
    const DAY = SECONDS_PER_DAY * MICROS_PER_SECOND;
    const stretched: BacktestResult = {
      ...HAND_RESULT,
      endTs: HAND_START + 40 * DAY,
      equity: HAND_RESULT.equity.map((p, i) => ({ ...p, ts: HAND_START + i * 10 * DAY })),
    };
    const a = computeMetrics(stretched);
    expect(a.samplingIntervalSec).toBe(10 * SECONDS_PER_DAY);
    expect(a.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(36.5), 12);
    expect(a.sortino).toBeCloseTo((mean / down) * Math.sqrt(36.5), 12);
    expect(a.volatility).toBeCloseTo(sd * Math.sqrt(36.5), 15);
    // 40 days is 40/365 of a year: linear below a year.
    expect(a.annualizedReturn).toBeCloseTo((0.001468 * 365) / 40, 12);
    expect(a.sharpePerSample).toBe(m.sharpePerSample);
    // One µs short of the floor: not annualized.
    const short = computeMetrics({ ...stretched, endTs: HAND_START + MIN_ANNUALIZATION_DAYS * DAY - 1 });
    expect(short.sharpe).toBeNaN();
    expect(short.annualizedReturn).toBeNaN();
    const atFloor = computeMetrics({ ...stretched, endTs: HAND_START + MIN_ANNUALIZATION_DAYS * DAY });
    expect(atFloor.sharpe).toBeCloseTo(a.sharpe, 12);
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

const ANNUALIZED = new Set(['annualizedReturn', 'volatility', 'sharpe', 'sortino']);

describe('computeMetrics edge cases', () => {
  const empty: BacktestResult = {
    ...HAND_RESULT,
    orders: [],
    fills: [],
    roundTrips: [],
    equity: [],
    funding: 0,
  };

  it('no trades, no equity samples: everything 0 and finite but the annualized figures of a 4 s run', () => {
    const m = computeMetrics(empty);
    for (const [k, v] of Object.entries(m)) if (!ANNUALIZED.has(k)) expect(Number.isFinite(v), k).toBe(true);
    expect(m.finalEquity).toBe(1000);
    expect(m.sharpePerSample).toBe(0);
    expect(m.sharpeOverPeriod).toBe(0);
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
    expect(m.sharpePerSample).toBe(0);
    expect(m.sortinoPerSample).toBe(0);
    expect(m.sharpeOverPeriod).toBe(0);
    expect(m.sortinoOverPeriod).toBe(0);
    const long = computeMetrics({ ...flat, endTs: HAND_START + 31 * SECONDS_PER_DAY * MICROS_PER_SECOND });
    expect(long.sharpe).toBe(0);
    expect(long.sortino).toBe(0);
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

  it('random runs: NaN only in annualized figures of runs under 30 days; only profit factor / Sortinos may be infinite', () => {
    const DAY = SECONDS_PER_DAY * MICROS_PER_SECOND;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 400 }),
        fc.boolean(),
        (seed, points, long) => {
          const run = randomResult({ seed, points });
          const m = computeMetrics(long ? { ...run, endTs: run.startTs + 30 * DAY } : run);
          for (const [k, v] of Object.entries(m)) {
            expect(Number.isNaN(v), k).toBe(!long && ANNUALIZED.has(k));
            if (!Number.isNaN(v) && k !== 'profitFactor' && !k.startsWith('sortino'))
              expect(Number.isFinite(v), k).toBe(true);
          }
          // Per sample and over the run are one ratio at two scales: × √(number of returns).
          const n = run.equity.length - 1;
          if (m.sharpePerSample !== 0)
            expect(m.sharpeOverPeriod / m.sharpePerSample).toBeCloseTo(Math.sqrt(n), 9);
          if (long && m.sharpePerSample !== 0)
            expect(m.sharpe / m.sharpePerSample).toBeCloseTo(
              Math.sqrt((365 * DAY) / (m.samplingIntervalSec * 1e6)),
              6,
            );
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
