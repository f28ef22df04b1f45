import { describe, expect, it } from 'vitest';
import { parseRiskParams } from '../../../config/risk.ts';
import { CheckedOrder } from '../../../core/risk/order-check.ts';
import { resolveLimits } from '../../../core/risk/resolved-limits.ts';
import { RiskGate } from '../../../core/risk/risk-gate.ts';
import type { RiskParams } from '../../../core/risk/risk-params.ts';
import type { RiskRefusal } from '../../../core/risk/risk-refusal.ts';
import {
  eventClock,
  FakeAccount,
  INSTRUMENTS,
  newGate,
  order,
  params,
  paramsInput,
} from './support/risk-fixtures.ts';

describe('resolving params for instruments', () => {
  it('converts base-currency limits to size units exactly', () => {
    const resolved = resolveLimits(params(), INSTRUMENTS);
    if ('problems' in resolved) throw new Error(resolved.problems.join('\n'));
    expect(resolved.instruments[0]).toMatchObject({
      maxPosition: 1_000_000,
      maxOrderSize: 500_000,
      maxMarketOrderSize: 200_000,
    });
    expect(resolved.instruments[1]).toMatchObject({ maxPosition: 10_000 });
    expect(resolved.instruments[2]).toMatchObject({
      maxPosition: 100_000,
      fatFingerPct: 1,
      postOnlyFatFingerPct: 0.5,
    });
    expect(resolved.drawdownWindowMicros).toBe(3_600_000_000);
    expect(resolved.staleBooksHaltMicros).toBe(30_000_000);
  });

  it('a limit finer than a size unit is a problem, never rounded', () => {
    const p = params((x) => {
      x.limits['XRP/USDT:USDT'] = { maxPosition: '0.5' };
      x.limits['ETH/USDT:USDT'] = { maxOrderSize: '1', maxMarketOrderSize: '2' };
    });
    const resolved = resolveLimits(p, INSTRUMENTS);
    expect('problems' in resolved && resolved.problems).toEqual([
      'limits["ETH/USDT:USDT"].maxMarketOrderSize: must not exceed maxOrderSize ("2" > "1")',
      'limits["XRP/USDT:USDT"].maxPosition: "0.5" is not a whole number of bybit XRPUSDT size units (0 decimals), or too large',
    ]);
    expect(() => new RiskGate(INSTRUMENTS, p, eventClock())).toThrow(/risk params: limits/);
  });

  it('maps correlation groups to instrument indexes', () => {
    const p = params((x) => {
      x.concentration.groups = [
        { name: 'alts', symbols: ['ETH/USDT:USDT', 'XRP/USDT:USDT', 'SOL/USDT'], maxSharePct: 40 },
      ];
    });
    const resolved = resolveLimits(p, INSTRUMENTS);
    if ('problems' in resolved) throw new Error('unexpected');
    expect(resolved.groups[0]?.members).toEqual([1, 2]);
    expect(resolved.groupsOf).toEqual([[], [0], [0]]);
  });
});

describe('RiskGate.swapParams', () => {
  it('swaps whole: the next check sees every new limit', () => {
    const { gate } = newGate();
    const account = new FakeAccount();
    expect(gate.checkOrder(order({ size: 500_000 }), account)).toBeInstanceOf(CheckedOrder);
    const tighter = params((x) => {
      x.limits['BTC/USDT'] = {
        maxPosition: '0.002',
        maxOrderSize: '0.001',
        maxMarketOrderSize: '0.001',
        fatFingerPct: 0.1,
      };
    });
    expect(gate.swapParams(tighter)).toEqual([]);
    expect(gate.params).toBe(tighter);
    expect((gate.checkOrder(order({ size: 500_000 }), account) as RiskRefusal).reason).toBe('max_order_size');
    expect((gate.checkOrder(order({ price: 5_606_000 }), account) as RiskRefusal).reason).toBe('fat_finger');
  });

  it('invalid params: problems returned, nothing changed', () => {
    const { gate } = newGate();
    const before = gate.params;
    const beforeLimits = gate.limits;
    // Invalid JSON body (PUT /risk/params): parse gives problems; there is nothing to swap.
    const body = paramsInput() as unknown as Record<string, unknown>;
    (body.orderRate as Record<string, unknown>).perSecond = -1;
    body.surprise = true;
    const parsed = parseRiskParams(body);
    expect('problems' in parsed && parsed.problems).toEqual([
      'orderRate.perSecond: expected at least 1, received -1',
      'surprise: unknown key',
    ]);
    // Valid shape that does not fit the instruments: the gate refuses it whole.
    const misfit = params((x) => {
      x.limits['BTC/USDT'] = { maxPosition: '0.000000001', maxOrderSize: '1' };
      x.orderRate = { perSecond: 1, perMinute: 1 };
    });
    const problems = gate.swapParams(misfit);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^limits\["BTC\/USDT"\]\.maxPosition: /);
    expect(gate.params).toBe(before);
    expect(gate.limits).toBe(beforeLimits);
    const account = new FakeAccount();
    // The old rate limit (10/s) still holds, not the misfit's 1/s.
    for (let k = 0; k < 10; k++)
      expect(gate.checkOrder(order({ side: k % 2 ? 'sell' : 'buy' }), account)).toBeInstanceOf(CheckedOrder);
  });

  it('a lower rate keeps the recent admissions; a new drawdown window keeps the peak', () => {
    const { gate, clock } = newGate();
    const account = new FakeAccount();
    for (let k = 0; k < 5; k++) gate.checkOrder(order({ side: k % 2 ? 'sell' : 'buy' }), account);
    const slower: RiskParams = params((x) => {
      x.orderRate = { perSecond: 5, perMinute: 5 };
      x.drawdown.windowMinutes = 30;
    });
    gate.onPnl(clock.nowMicros(), 40);
    gate.onPnl(clock.nowMicros() + 1, 0);
    expect(gate.swapParams(slower)).toEqual([]);
    expect((gate.checkOrder(order(), account) as RiskRefusal).reason).toBe('order_rate');
    expect(gate.drawdown).toBe(40);
    expect(gate.onPnl(clock.nowMicros() + 2, -11)?.alert.trigger).toBe('drawdown');
  });
});
