import { describe, expect, it } from 'vitest';
import { CheckedAmend, CheckedOrder } from '../../../core/risk/order-check.ts';
import { RiskRefusal } from '../../../core/risk/risk-refusal.ts';
import { shrinksPosition } from '../../../core/risk/trading-state.ts';
import { BTC_MID, FakeAccount, newGate, order } from './support/risk-fixtures.ts';

const amend = (size: number, side: 'buy' | 'sell' = 'sell') => ({
  id: 9,
  instrument: 0,
  side,
  price: BTC_MID,
  size,
});

describe('REDUCING', () => {
  it('admits an order that shrinks |position|, down to zero, and nothing past it', () => {
    const { gate } = newGate();
    expect(gate.setState('REDUCING', 'operator')).toBe(true);
    const account = new FakeAccount();
    account.positions[0] = 500_000;
    expect(gate.checkOrder(order({ side: 'sell', size: 300_000 }), account)).toBeInstanceOf(CheckedOrder);
    expect(gate.checkOrder(order({ side: 'sell', size: 500_000 }), account)).toBeInstanceOf(CheckedOrder);
    const r = gate.checkOrder(order({ side: 'sell', size: 501_000 }), account);
    expect(r).toBeInstanceOf(RiskRefusal);
    expect((r as RiskRefusal).reason).toBe('reducing_only');
  });

  it('counts pending orders on the side: together they may not cross zero', () => {
    const { gate } = newGate();
    gate.setState('REDUCING', 'operator');
    const account = new FakeAccount();
    account.positions[0] = -500_000;
    account.pendingBuy[0] = 300_000;
    expect(gate.checkOrder(order({ size: 200_000 }), account)).toBeInstanceOf(CheckedOrder);
    expect((gate.checkOrder(order({ size: 201_000 }), account) as RiskRefusal).reason).toBe('reducing_only');
  });

  it('refuses a growing order and anything from flat', () => {
    const { gate } = newGate();
    gate.setState('REDUCING', 'operator');
    const account = new FakeAccount();
    account.positions[0] = 500_000;
    expect((gate.checkOrder(order({ side: 'buy' }), account) as RiskRefusal).reason).toBe('reducing_only');
    account.positions[0] = 0;
    expect((gate.checkOrder(order({ side: 'buy' }), account) as RiskRefusal).reason).toBe('reducing_only');
    expect((gate.checkOrder(order({ side: 'sell' }), account) as RiskRefusal).reason).toBe('reducing_only');
    expect(gate.denials.reducing_only).toBe(3);
  });

  it('amends: shrinking always passes, growing only while it still reduces', () => {
    const { gate } = newGate();
    gate.setState('REDUCING', 'operator');
    const account = new FakeAccount();
    account.positions[0] = 0;
    account.pendingBuy[0] = 300_000;
    expect(gate.checkAmend(amend(200_000, 'buy'), 300_000, account)).toBeInstanceOf(CheckedAmend);
    expect((gate.checkAmend(amend(400_000, 'buy'), 300_000, account) as RiskRefusal).reason).toBe(
      'reducing_only',
    );
    account.positions[0] = 500_000;
    account.pendingSell[0] = 300_000;
    expect(gate.checkAmend(amend(500_000), 300_000, account)).toBeInstanceOf(CheckedAmend);
    expect((gate.checkAmend(amend(501_000), 300_000, account) as RiskRefusal).reason).toBe('reducing_only');
  });

  it('shrinksPosition is exact at zero', () => {
    expect(shrinksPosition(10, 'sell', 4, 6)).toBe(true);
    expect(shrinksPosition(10, 'sell', 4, 7)).toBe(false);
    expect(shrinksPosition(-10, 'buy', 0, 10)).toBe(true);
    expect(shrinksPosition(-10, 'sell', 0, 1)).toBe(false);
    expect(shrinksPosition(0, 'sell', 0, 1)).toBe(false);
  });
});

describe('HALTED', () => {
  it('refuses everything, shrinking orders and amends included', () => {
    const { gate, clock } = newGate();
    gate.breaker.kill('test', clock.nowMicros());
    expect(gate.state).toBe('HALTED');
    const account = new FakeAccount();
    account.positions[0] = 500_000;
    for (const r of [
      gate.checkOrder(order({ side: 'sell', size: 100_000 }), account),
      gate.checkOrder(order({ side: 'buy', size: 100_000 }), account),
      gate.checkOrder(order({ type: 'market', price: Number.NaN, side: 'sell' }), account),
      gate.checkAmend(amend(100_000), 200_000, account),
    ]) {
      expect(r).toBeInstanceOf(RiskRefusal);
      expect((r as RiskRefusal).reason).toBe('trading_halted');
    }
    expect(gate.denials.trading_halted).toBe(4);
  });

  it('is left only by reset: setState refuses', () => {
    const { gate, clock } = newGate();
    gate.breaker.kill('test', clock.nowMicros());
    expect(gate.setState('ACTIVE', 'try')).toBe(false);
    expect(gate.state).toBe('HALTED');
  });
});
