import { describe, expect, it } from 'vitest';
import { adminTokenMatches } from '../../../core/risk/admin-token.ts';
import { CircuitBreaker } from '../../../core/risk/circuit-breaker.ts';
import { CheckedOrder } from '../../../core/risk/order-check.ts';
import { RiskRefusal } from '../../../core/risk/risk-refusal.ts';
import { FakeAccount, newGate, order } from './support/risk-fixtures.ts';

const SECOND = 1_000_000;
const ADMIN = 'correct horse battery staple';

describe('daily loss → breaker', () => {
  it('PnL −50, then three losing fills to −110 against −100: HALTED, cancel all, alert; next order trading_halted', () => {
    const { gate, clock } = newGate();
    const account = new FakeAccount();
    expect(gate.onPnl(clock.nowMicros(), -50)).toBeNull();
    expect(gate.checkOrder(order(), account)).toBeInstanceOf(CheckedOrder);
    const actions = [];
    for (const pnl of [-75, -100, -110]) {
      clock.advanceMicros(SECOND);
      actions.push(gate.onPnl(clock.nowMicros(), pnl));
    }
    // −100 is exactly the limit: allowed. −110 trips.
    expect(actions[0]).toBeNull();
    expect(actions[1]).toBeNull();
    const action = actions[2];
    expect(action).not.toBeNull();
    expect(action?.cancelAll).toBe(true);
    expect(action?.alert).toMatchObject({ trigger: 'daily_loss', state: 'HALTED', at: clock.nowMicros() });
    expect(action?.alert.reason).toContain('limit=100 USDT');
    expect(gate.state).toBe('HALTED');
    const r = gate.checkOrder(order(), account);
    expect(r).toBeInstanceOf(RiskRefusal);
    expect((r as RiskRefusal).reason).toBe('trading_halted');
    // A further loss while HALTED asks for nothing more.
    expect(gate.onPnl(clock.nowMicros() + 1, -120)).toBeNull();
  });

  it('after a reset the same day, growing orders are refused daily_loss; shrinking ones pass', () => {
    const { gate, clock } = newGate();
    const account = new FakeAccount();
    gate.onPnl(clock.nowMicros(), -101);
    expect(gate.breaker.reset(ADMIN, ADMIN, clock.nowMicros())).toBe('reset');
    expect((gate.checkOrder(order(), account) as RiskRefusal).reason).toBe('daily_loss');
    account.positions[0] = 300_000;
    expect(gate.checkOrder(order({ side: 'sell', size: 300_000 }), account)).toBeInstanceOf(CheckedOrder);
  });

  it('a new UTC day opens at the last PnL of the day before', () => {
    const { gate } = newGate();
    const day = 86_400 * SECOND;
    gate.onPnl(day + 10, -90);
    expect(gate.dailyLoss).toBe(90);
    expect(gate.onPnl(2 * day + 10, -150)).toBeNull(); // −60 today
    expect(gate.dailyLoss).toBe(60);
    expect(gate.onPnl(2 * day + 20, -191)?.alert.trigger).toBe('daily_loss');
  });
});

describe('rolling drawdown → breaker', () => {
  it('peak-to-now within the hour past 50 trips; a peak that left the window does not count', () => {
    const { gate } = newGate();
    const t0 = 10_000 * SECOND;
    gate.onPnl(t0, 80);
    expect(gate.onPnl(t0 + 10 * 60 * SECOND, 30)).toBeNull(); // 50: at the limit
    expect(gate.drawdown).toBe(50);
    // Two hours later the peak of 80 is out of the window; the new peak is the sample itself.
    expect(gate.onPnl(t0 + 120 * 60 * SECOND, 20)).toBeNull();
    expect(gate.drawdown).toBe(0);
    const action = gate.onPnl(t0 + 121 * 60 * SECOND, -31);
    expect(action?.alert.trigger).toBe('drawdown');
    expect(gate.state).toBe('HALTED');
  });

  it('ignores (and counts) PnL samples that are not numbers', () => {
    const { gate } = newGate();
    expect(gate.onPnl(1, Number.NaN)).toBeNull();
    expect(gate.onPnl(Number.NaN, -1000)).toBeNull();
    expect(gate.badPnlSamples).toBe(2);
    expect(gate.state).toBe('ACTIVE');
  });
});

describe('snapshot and reset', () => {
  it('a snapshot round-trip (through JSON) keeps HALTED', () => {
    const a = new CircuitBreaker(2, 30 * SECOND);
    a.kill('operator pressed the button', 123);
    const journaled = JSON.parse(JSON.stringify(a.snapshot()));
    expect(journaled).toEqual({ state: 'HALTED', reason: 'manual: operator pressed the button', at: 123 });
    const b = new CircuitBreaker(2, 30 * SECOND);
    expect(b.restore(journaled)).toBe(true);
    expect(b.state).toBe('HALTED');
    expect(b.reason).toBe('manual: operator pressed the button');
  });

  it('an unreadable snapshot restores HALTED', () => {
    for (const bad of [null, 'HALTED', { state: 'RUNNING', reason: '', at: 0 }, { state: 'ACTIVE', at: 1 }]) {
      const b = new CircuitBreaker(1, SECOND);
      expect(b.restore(bad)).toBe(false);
      expect(b.state).toBe('HALTED');
    }
  });

  it('reset is refused without a token, with a wrong one, or with no admin token set', () => {
    const b = new CircuitBreaker(1, SECOND);
    b.kill('x', 1);
    expect(b.reset('', ADMIN, 2)).toBe('refused');
    expect(b.reset('correct horse battery stapl', ADMIN, 2)).toBe('refused');
    expect(b.reset(`${ADMIN}!`, ADMIN, 2)).toBe('refused');
    expect(b.reset('', '', 2)).toBe('refused');
    expect(b.state).toBe('HALTED');
    expect(b.reset(ADMIN, ADMIN, 3, 'REDUCING')).toBe('reset');
    expect(b.snapshot()).toEqual({ state: 'REDUCING', reason: 'reset', at: 3 });
    expect(b.reset(ADMIN, ADMIN, 4)).toBe('not_halted');
  });

  it('adminTokenMatches compares whole strings', () => {
    expect(adminTokenMatches('abc', 'abc')).toBe(true);
    expect(adminTokenMatches('abd', 'abc')).toBe(false);
    expect(adminTokenMatches('ab', 'abc')).toBe(false);
    expect(adminTokenMatches('abc\u0000', 'abc')).toBe(false);
  });
});

describe('triggers', () => {
  it('stale books: every book untrusted for longer than the limit trips, not at it', () => {
    const b = new CircuitBreaker(2, 30 * SECOND);
    expect(b.onBookTrust(0, 'trusted', 0)).toBeNull();
    expect(b.onBookTrust(1, 'trusted', 0)).toBeNull();
    expect(b.onBookTrust(0, 'stale', 1 * SECOND)).toBeNull();
    expect(b.onTime(100 * SECOND)).toBeNull(); // book 1 is still trusted
    expect(b.onBookTrust(1, 'resyncing', 100 * SECOND)).toBeNull();
    expect(b.onTime(130 * SECOND)).toBeNull(); // exactly 30 s
    const action = b.onTime(130 * SECOND + 1);
    expect(action?.alert.trigger).toBe('stale_books');
    expect(b.state).toBe('HALTED');
    expect(b.onTime(200 * SECOND)).toBeNull(); // already halted
  });

  it('stale books: a book trusted again stops the timer; start-up before any snapshot never trips', () => {
    const b = new CircuitBreaker(1, 30 * SECOND);
    expect(b.onBookTrust(0, 'awaiting_snapshot', 0)).toBeNull();
    expect(b.onTime(1000 * SECOND)).toBeNull();
    b.onBookTrust(0, 'trusted', 1000 * SECOND);
    b.onBookTrust(0, 'stale', 1001 * SECOND);
    b.onBookTrust(0, 'trusted', 1030 * SECOND);
    expect(b.onTime(1100 * SECOND)).toBeNull();
    expect(b.state).toBe('ACTIVE');
    expect(b.onBookTrust(5, 'stale', 1100 * SECOND)).toBeNull(); // unknown instrument: ignored
  });

  it('reconciliation mismatch and manual kill halt with their reason', () => {
    const b = new CircuitBreaker(1, SECOND);
    const action = b.onReconciliationMismatch('BTC/USDT position 0.01 here, 0.02 at binance', 5);
    expect(action?.alert).toEqual({
      trigger: 'reconciliation',
      state: 'HALTED',
      reason: 'reconciliation: BTC/USDT position 0.01 here, 0.02 at binance',
      at: 5,
    });
    expect(b.onReconciliationMismatch('again', 6)).toBeNull();
    // A manual kill always asks for the cancel-all again.
    expect(b.kill('operator', 7).cancelAll).toBe(true);
    expect(b.reason).toBe('manual: operator');
  });

  it('the gate feeds the stale limit from its params', () => {
    const { gate } = newGate();
    gate.breaker.onBookTrust(0, 'trusted', 0);
    gate.breaker.onBookTrust(0, 'stale', 0);
    expect(gate.breaker.onTime(30 * SECOND)).toBeNull();
    expect(gate.breaker.onTime(30 * SECOND + 1)?.alert.trigger).toBe('stale_books');
  });
});
