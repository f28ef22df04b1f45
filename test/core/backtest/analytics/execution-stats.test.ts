import { describe, expect, it } from 'vitest';
import { executionStats } from '../../../../core/backtest/analytics/execution-stats.ts';
import { HAND_RESULT } from './hand-result.ts';

describe('execution statistics', () => {
  it('fill ratio leaves rejected orders out; by size counts partial fills', () => {
    const s = executionStats(HAND_RESULT.orders, HAND_RESULT.fills, HAND_RESULT.initialCapital);
    expect(s.numOrders).toBe(5);
    expect(s.numRejected).toBe(1);
    expect(s.numFills).toBe(3);
    // Non-rejected o1..o4; with a fill: o1, o2, o3 (partial) → 3/4.
    expect(s.fillRatio).toBe(0.75);
    // Filled 1 + 1 + 0.5 + 0 of submitted 1 + 1 + 2 + 1.
    expect(s.fillRatioBySize).toBe(0.5);
    // Notional 10 + 12 + 4.5 = 26.5 on capital 1000.
    expect(s.tradedNotional).toBeCloseTo(26.5, 12);
    expect(s.turnover).toBeCloseTo(0.0265, 12);
    expect(s.fees).toBeCloseTo(0.032, 12);
  });

  it('no orders: zeros; only rejected orders: fill ratio 0, not NaN', () => {
    expect(executionStats([], [], 1000).fillRatio).toBe(0);
    const rejected = HAND_RESULT.orders.filter((o) => o.state === 'rejected');
    const s = executionStats(rejected, [], 1000);
    expect(s.fillRatio).toBe(0);
    expect(s.fillRatioBySize).toBe(0);
    expect(s.numRejected).toBe(1);
  });

  it('rebates make fees negative', () => {
    const fills = HAND_RESULT.fills.map((f) => ({ ...f, fee: -0.001 }));
    expect(executionStats([], fills, 1000).fees).toBeCloseTo(-0.003, 12);
  });
});
