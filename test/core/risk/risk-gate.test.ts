import { describe, expect, it } from 'vitest';
import { CheckedAmend, CheckedOrder } from '../../../core/risk/order-check.ts';
import { RiskRefusal } from '../../../core/risk/risk-refusal.ts';
import { BTC_MID, FakeAccount, newGate, order, params } from './support/risk-fixtures.ts';

/** Rate limits out of the way: these tests are about the other checks. */
const unthrottled = () =>
  params((p) => {
    p.orderRate = { perSecond: 10_000, perMinute: 100_000 };
  });

function reason(result: CheckedOrder | CheckedAmend | RiskRefusal): string {
  return result instanceof RiskRefusal ? result.reason : 'admitted';
}

describe('RiskGate: instrument and book', () => {
  it('refuses an unknown instrument and counts it', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    expect(reason(gate.checkOrder(order({ instrument: 7 }), account))).toBe('unknown_instrument');
    expect(reason(gate.checkOrder(order({ instrument: 0.5 }), account))).toBe('unknown_instrument');
    expect(gate.denials.unknown_instrument).toBe(2);
  });

  it('admits on a trusted book and refuses on any other trust or with no mid', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    expect(gate.checkOrder(order(), account)).toBeInstanceOf(CheckedOrder);
    for (const trust of ['stale', 'resyncing', 'awaiting_snapshot'] as const) {
      account.trust[0] = trust;
      const r = gate.checkOrder(order(), account);
      expect(reason(r)).toBe('book_not_trusted');
      expect((r as RiskRefusal).detail).toBe(`book_not_trusted: (${trust})`);
    }
    account.trust[0] = 'trusted';
    account.mids[0] = Number.NaN;
    expect(reason(gate.checkOrder(order(), account))).toBe('book_not_trusted');
    expect(reason(gate.checkOrder(order({ type: 'market', price: Number.NaN }), account))).toBe(
      'book_not_trusted',
    );
    expect(gate.denials.book_not_trusted).toBe(5);
  });
});

describe('RiskGate: instrument filters', () => {
  it('refuses bad price, size, lot and min notional; admits exactly min notional', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    expect(reason(gate.checkOrder(order({ price: 0 }), account))).toBe('invalid_price');
    expect(reason(gate.checkOrder(order({ price: 5_600_000.5 }), account))).toBe('invalid_price');
    expect(reason(gate.checkOrder(order({ size: 0 }), account))).toBe('invalid_size');
    expect(reason(gate.checkOrder(order({ size: 100_500 }), account))).toBe('lot');
    // 0.00001 BTC at 56 000 = 0.56 USDT < 5.
    expect(reason(gate.checkOrder(order({ size: 1000 }), account))).toBe('min_notional');
    // 5 USDT exactly: 0.0001 BTC at 50 000.00 (mid moved with it: fat finger stays quiet).
    account.mids[0] = 5_000_000;
    expect(gate.checkOrder(order({ size: 10_000, price: 5_000_000 }), account)).toBeInstanceOf(CheckedOrder);
  });
});

describe('RiskGate: order size', () => {
  it('limit orders: at the limit admitted, one lot over refused', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    expect(gate.checkOrder(order({ size: 500_000 }), account)).toBeInstanceOf(CheckedOrder);
    const r = gate.checkOrder(order({ size: 501_000 }), account);
    expect(reason(r)).toBe('max_order_size');
    expect((r as RiskRefusal).detail).toBe('max_order_size: size=501000 limit=500000 (limit)');
  });

  it('market orders have the tighter limit', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    const market = (size: number) => order({ type: 'market', price: Number.NaN, size });
    expect(gate.checkOrder(market(200_000), account)).toBeInstanceOf(CheckedOrder);
    expect(reason(gate.checkOrder(market(201_000), account))).toBe('max_order_size');
    expect(reason(gate.checkOrder(market(500_000), account))).toBe('max_order_size');
  });

  it('an instrument without an entry gets the default, which admits nothing', () => {
    const p = unthrottled();
    delete (p.limits as Record<string, unknown>)['XRP/USDT:USDT'];
    const { gate } = newGate(p);
    const account = new FakeAccount();
    expect(reason(gate.checkOrder(order({ instrument: 2, price: 5_000, size: 10_000 }), account))).toBe(
      'max_order_size',
    );
  });
});

describe('RiskGate: worst-case position', () => {
  it('pending orders on the side count: at the limit admitted, one lot over refused', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    account.positions[0] = 200_000;
    account.pendingBuy[0] = 300_000;
    // 0.002 + 0.003 pending + 0.005 = 0.01: exactly the limit.
    expect(gate.checkOrder(order({ size: 500_000 }), account)).toBeInstanceOf(CheckedOrder);
    account.pendingBuy[0] = 301_000;
    const r = gate.checkOrder(order({ size: 500_000 }), account);
    expect(reason(r)).toBe('max_position');
    expect((r as RiskRefusal).detail).toBe('max_position: worst=1001000 limit=1000000');
    // Pending sells do not offset the buy side's worst case.
    account.pendingSell[0] = 900_000;
    expect(reason(gate.checkOrder(order({ size: 500_000 }), account))).toBe('max_position');
  });

  it('orders accumulate past the limit as they are admitted and left pending', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    const admitted: number[] = [];
    for (let k = 0; k < 5; k++) {
      const r = gate.checkOrder(order({ side: 'sell', size: 300_000 }), account);
      if (r instanceof CheckedOrder) {
        admitted.push(r.request.size);
        account.pendingSell[0] = (account.pendingSell[0] ?? 0) + r.request.size;
      } else expect(r.reason).toBe('max_position');
    }
    // 0.003 × 3 = 0.009 ≤ 0.01; a fourth would reach 0.012.
    expect(admitted).toEqual([300_000, 300_000, 300_000]);
    expect(gate.denials.max_position).toBe(2);
  });

  it('an order that shrinks a position over a lowered limit still passes', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    account.positions[0] = 1_500_000;
    expect(gate.checkOrder(order({ side: 'sell', size: 500_000 }), account)).toBeInstanceOf(CheckedOrder);
    expect(reason(gate.checkOrder(order({ side: 'buy', size: 1000 * 10 }), account))).toBe('max_position');
  });

  it('an account that cannot state its position is refused', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    account.positions[0] = Number.NaN;
    expect(reason(gate.checkOrder(order(), account))).toBe('max_position');
  });

  it('an amend counts only its size change toward the worst case', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    account.pendingBuy[0] = 800_000; // includes this order's 0.003
    const amend = (size: number) => ({ id: 1, instrument: 0, side: 'buy' as const, price: BTC_MID, size });
    // 0.008 pending − 0.003 + 0.005 = 0.01: the limit.
    expect(gate.checkAmend(amend(500_000), 300_000, account)).toBeInstanceOf(CheckedAmend);
    account.pendingBuy[0] = 801_000;
    expect(reason(gate.checkAmend(amend(500_000), 300_000, account))).toBe('max_position');
    // Shrinking an order is always within the position limit.
    expect(gate.checkAmend(amend(200_000), 300_000, account)).toBeInstanceOf(CheckedAmend);
  });
});

describe('RiskGate: fat finger', () => {
  it('1 % from mid either way is admitted, one tick further refused', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    const onePct = BTC_MID / 100; // 56 000 price units = 560.00 USDT
    expect(gate.checkOrder(order({ price: BTC_MID + onePct }), account)).toBeInstanceOf(CheckedOrder);
    expect(gate.checkOrder(order({ price: BTC_MID - onePct }), account)).toBeInstanceOf(CheckedOrder);
    const r = gate.checkOrder(order({ price: BTC_MID + onePct + 1 }), account);
    expect(reason(r)).toBe('fat_finger');
    expect((r as RiskRefusal).limit).toBe(1);
    expect(reason(gate.checkOrder(order({ side: 'sell', price: BTC_MID - onePct - 1 }), account))).toBe(
      'fat_finger',
    );
  });

  it('post-only orders have the 0.5 % limit; market orders are not price-checked', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    const half = BTC_MID / 200;
    expect(gate.checkOrder(order({ postOnly: true, price: BTC_MID - half }), account)).toBeInstanceOf(
      CheckedOrder,
    );
    expect(reason(gate.checkOrder(order({ postOnly: true, price: BTC_MID - half - 1 }), account))).toBe(
      'fat_finger',
    );
    expect(gate.checkOrder(order({ type: 'market', price: Number.NaN }), account)).toBeInstanceOf(
      CheckedOrder,
    );
  });
});

describe('RiskGate: concentration', () => {
  const concentrated = (
    maxSharePct: number,
    minGross = '100',
    groups: { name: string; symbols: string[]; maxSharePct: number }[] = [],
  ) =>
    params((p) => {
      p.orderRate = { perSecond: 10_000, perMinute: 100_000 };
      p.concentration = { maxSharePct, minGrossExposure: { amount: minGross, currency: 'USDT' }, groups };
    });

  it('a share exactly at the limit is admitted, above it refused', () => {
    const { gate } = newGate(concentrated(50));
    const account = new FakeAccount();
    account.mids[1] = 280_000; // ETH 2 800.00
    account.positions[1] = 100; // 0.1 ETH = 280 USDT
    // 0.005 BTC at 56 000 = 280 USDT: 50 % of 560.
    expect(gate.checkOrder(order({ size: 500_000 }), account)).toBeInstanceOf(CheckedOrder);
    account.pendingBuy[0] = 1_000; // one lot more on the buy side: just over 50 %
    const r = gate.checkOrder(order({ size: 500_000 }), account);
    expect(reason(r)).toBe('concentration');
    expect((r as RiskRefusal).note).toBe('BTC/USDT');
  });

  it('below minGrossExposure every share passes; an order that lowers exposure always passes', () => {
    const { gate } = newGate(concentrated(50, '1000'));
    const account = new FakeAccount();
    expect(gate.checkOrder(order({ size: 500_000 }), account)).toBeInstanceOf(CheckedOrder);
    const { gate: strict } = newGate(concentrated(50, '0'));
    account.positions[0] = 500_000;
    expect(reason(strict.checkOrder(order({ size: 100_000 }), account))).toBe('concentration');
    expect(strict.checkOrder(order({ side: 'sell', size: 100_000 }), account)).toBeInstanceOf(CheckedOrder);
  });

  it('a correlated group is limited as a whole', () => {
    const groups = [{ name: 'majors', symbols: ['BTC/USDT', 'ETH/USDT:USDT'], maxSharePct: 70 }];
    const { gate } = newGate(concentrated(60, '100', groups));
    const account = new FakeAccount();
    account.mids[1] = 280_000;
    account.positions[1] = 100; // ETH 280 USDT
    account.positions[2] = 560; // 560 XRP at 0.5000 = 280 USDT
    // BTC 280: own share 33 %, group (BTC+ETH) 560 / 840 = 66.7 % ≤ 70.
    expect(gate.checkOrder(order({ size: 500_000 }), account)).toBeInstanceOf(CheckedOrder);
    account.positions[1] = 200; // ETH 560: group 840 / 1120 = 75 % > 70, BTC alone 25 %
    const r = gate.checkOrder(order({ size: 500_000 }), account);
    expect(reason(r)).toBe('concentration');
    expect((r as RiskRefusal).note).toBe('majors');
  });
});

describe('RiskGate: refusals', () => {
  it('reuses one refusal object and formats the detail on read', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    const a = gate.checkOrder(order({ size: 0 }), account);
    const copy = (a as RiskRefusal).toJSON();
    const b = gate.checkOrder(order({ size: 501_000 }), account);
    expect(a).toBe(b);
    expect(copy).toEqual({ reason: 'invalid_size', detail: 'invalid_size: size=0' });
  });

  it('never throws on odd input', () => {
    const { gate } = newGate(unthrottled());
    const account = new FakeAccount();
    const odd = [Number.NaN, Number.POSITIVE_INFINITY, -1, 0.5, 2 ** 60];
    for (const x of odd) {
      for (const y of odd) {
        expect(() => gate.checkOrder(order({ price: x, size: y, instrument: 0 }), account)).not.toThrow();
        expect(() =>
          gate.checkAmend({ id: 1, instrument: 0, side: 'sell', price: x, size: y }, x, account),
        ).not.toThrow();
      }
      expect(reason(gate.checkOrder(order({ instrument: x }), account))).toBe('unknown_instrument');
    }
  });
});
