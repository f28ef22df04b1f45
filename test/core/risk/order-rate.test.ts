import { describe, expect, it } from 'vitest';
import { CheckedOrder } from '../../../core/risk/order-check.ts';
import type { RiskRefusal } from '../../../core/risk/risk-refusal.ts';
import { FakeAccount, newGate, order } from './support/risk-fixtures.ts';

const SECOND = 1_000_000;

describe('order rate (event time)', () => {
  it('10 in a second pass, the 11th is refused until the first leaves the window', () => {
    const { gate, clock } = newGate();
    const account = new FakeAccount();
    // Alternate sides so the position limit never interferes.
    const next = (k: number) => gate.checkOrder(order({ side: k % 2 === 0 ? 'buy' : 'sell' }), account);
    const start = clock.nowMicros();
    for (let k = 0; k < 10; k++) {
      expect(next(k)).toBeInstanceOf(CheckedOrder);
      clock.advanceMicros(1000);
    }
    const r = next(10);
    expect((r as RiskRefusal).reason).toBe('order_rate');
    expect((r as RiskRefusal).note).toBe('per second');
    clock.setMicros(start + SECOND - 1);
    expect((next(10) as RiskRefusal).reason).toBe('order_rate');
    clock.setMicros(start + SECOND); // the first admission is exactly one second old: out of the window
    expect(next(10)).toBeInstanceOf(CheckedOrder);
    expect((next(11) as RiskRefusal).reason).toBe('order_rate');
    expect(gate.denials.order_rate).toBe(3);
  });

  it('200 a minute: the window slides, refused orders do not use it', () => {
    const { gate, clock } = newGate();
    const account = new FakeAccount();
    const start = clock.nowMicros();
    let admitted = 0;
    let refused = 0;
    // 20 orders a second for 30 s: 10 a second pass until the minute's 200 are used (at 20 s).
    for (let s = 0; s < 30; s++) {
      for (let k = 0; k < 20; k++) {
        clock.setMicros(start + s * SECOND + k * 1000);
        const r = gate.checkOrder(order({ side: k % 2 === 0 ? 'buy' : 'sell' }), account);
        if (r instanceof CheckedOrder) admitted++;
        else refused++;
      }
    }
    expect(admitted).toBe(200);
    expect(refused).toBe(400);
    clock.setMicros(start + 60 * SECOND - 1);
    const r = gate.checkOrder(order(), account);
    expect((r as RiskRefusal).note).toBe('per minute');
    clock.setMicros(start + 60 * SECOND);
    expect(gate.checkOrder(order(), account)).toBeInstanceOf(CheckedOrder);
  });

  it('amends share the window', () => {
    const { gate } = newGate();
    const account = new FakeAccount();
    account.pendingBuy[0] = 100_000;
    for (let k = 0; k < 10; k++) {
      gate.checkAmend(
        { id: 1, instrument: 0, side: 'buy', price: 5_600_000, size: 100_000 },
        100_000,
        account,
      );
    }
    expect((gate.checkOrder(order(), account) as RiskRefusal).reason).toBe('order_rate');
  });
});
