import { describe, expect, it } from 'vitest';
import { CheckedOrder } from '../../../core/risk/order-check.ts';
import { RiskGate } from '../../../core/risk/risk-gate.ts';
import { RiskRefusal } from '../../../core/risk/risk-refusal.ts';
import { eventClock, FakeAccount, INSTRUMENTS, MILLI_BTC, order, params } from './support/risk-fixtures.ts';

/** 0.001 BTC at 56 000 is 56 USDT of exposure. */
const gateWith = (initialCapital: number, maxLeverage: number) =>
  new RiskGate(INSTRUMENTS, params(), eventClock(), { initialCapital, maxLeverage });

const reasonOf = (r: unknown) =>
  r instanceof RiskRefusal ? r.reason : r instanceof CheckedOrder ? 'admitted' : r;

describe('RiskGate: margin (equity × maxLeverage)', () => {
  it('admits exposure up to the limit and refuses beyond it', () => {
    const gate = gateWith(56, 1);
    const account = new FakeAccount();
    expect(reasonOf(gate.checkOrder(order({ size: MILLI_BTC }), account))).toBe('admitted');
    expect(reasonOf(gate.checkOrder(order({ size: MILLI_BTC + 1000 }), account))).toBe('insufficient_margin');
    expect(gate.denials.insufficient_margin).toBe(1);
  });

  it('counts open orders on the same side and the PnL in equity', () => {
    const gate = gateWith(112, 1);
    const account = new FakeAccount();
    account.pendingBuy[0] = MILLI_BTC;
    expect(reasonOf(gate.checkOrder(order({ size: MILLI_BTC }), account))).toBe('admitted');
    account.pnlValue = -1;
    expect(reasonOf(gate.checkOrder(order({ size: MILLI_BTC }), account))).toBe('insufficient_margin');
  });

  it('always admits an order that only shrinks the position', () => {
    const gate = gateWith(1, 1);
    const account = new FakeAccount();
    account.positions[0] = 2 * MILLI_BTC;
    expect(reasonOf(gate.checkOrder(order({ side: 'sell', size: MILLI_BTC }), account))).toBe('admitted');
  });

  it('is off without margin limits', () => {
    const gate = new RiskGate(INSTRUMENTS, params(), eventClock());
    expect(reasonOf(gate.checkOrder(order({ size: 5 * MILLI_BTC }), new FakeAccount()))).toBe('admitted');
  });
});
