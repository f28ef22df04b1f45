import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../core/market/instrument.ts';
import {
  type CheckAccount,
  CheckedOrder,
  checkAmend,
  checkOrder,
  type OrderRequest,
} from '../../../core/risk/order-check.ts';
import { btc } from './support/risk-fixtures.ts';

// Spot BTCUSDT as configured: price units 0.01 (tick 1), size units 1e-8, lot 0.00001 (1000 units), min notional 5.
const spot = btc;

const account = (equity: number, position = 0, open = 0): CheckAccount => ({
  equity: () => equity,
  position: () => position,
  openSize: () => open,
});
const limits = { maxLeverage: 2 };
const req = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  id: 1,
  instrument: 0,
  side: 'buy',
  type: 'limit',
  price: 5_600_000, // 56 000.00
  size: 100_000, // 0.001 BTC = 56 USDT
  postOnly: false,
  ioc: false,
  ...over,
});

describe('checkOrder', () => {
  it('passes a valid order as a CheckedOrder', () => {
    const c = checkOrder(req(), spot, account(1000), limits);
    expect(c).toBeInstanceOf(CheckedOrder);
    expect((c as CheckedOrder).request.price).toBe(5_600_000);
  });

  it.each([
    [{ price: 0 }, 'invalid_price'],
    [{ price: 5_600_000.5 }, 'invalid_price'],
    [{ size: -1000 }, 'invalid_size'],
    [{ size: 100_500 }, 'lot'],
    [{ size: 8000 }, 'min_notional'], // 0.00008 BTC ≈ 4.48 USDT
  ] as const)('refuses %o with %s', (over, reason) => {
    expect(checkOrder(req(over), spot, account(1000), limits)).toBe(reason);
  });

  it('tick and min size', () => {
    const coarse = makeInstrument({ ...spot, tickSize: 10, minSize: 1_000_000, minNotional: 0 });
    expect(checkOrder(req({ price: 5_600_005 }), coarse, account(1e9), limits)).toBe('tick');
    expect(checkOrder(req(), coarse, account(1e9), limits)).toBe('min_size');
  });

  it('limits exposure to equity × max leverage, counting open orders', () => {
    // 1 BTC at 56 000 with equity 20 000 and leverage 2 → 40 000 allowed.
    const big = req({ size: 100_000_000 });
    expect(checkOrder(big, spot, account(20_000), limits)).toBe('insufficient_margin');
    expect(checkOrder(req({ size: 50_000_000 }), spot, account(20_000), limits)).toBeInstanceOf(CheckedOrder);
    // Open buys of 0.3 BTC + 0.5 BTC → 0.8 BTC = 44 800 > 40 000.
    expect(checkOrder(req({ size: 50_000_000 }), spot, account(20_000, 0, 30_000_000), limits)).toBe(
      'insufficient_margin',
    );
    // Reducing a long is always allowed.
    expect(checkOrder({ ...big, side: 'sell' }, spot, account(1, 100_000_000), limits)).toBeInstanceOf(
      CheckedOrder,
    );
  });

  it('market orders are priced by the reference price (NaN skips notional checks)', () => {
    const m = req({ type: 'market', price: Number.NaN, size: 8000 });
    expect(checkOrder(m, spot, account(1000), limits, 5_600_000)).toBe('min_notional');
    expect(checkOrder(m, spot, account(1000), limits, Number.NaN)).toBeInstanceOf(CheckedOrder);
  });

  it('unknown instrument', () => {
    expect(checkOrder(req(), undefined, account(1000), limits)).toBe('unknown_instrument');
  });

  it('amends: filters again, margin only for added size', () => {
    const a = { id: 1, instrument: 0, side: 'buy' as const, price: 5_600_001, size: 100_000 };
    expect(checkAmend(a, spot, account(1000), limits, 100_000)).not.toBeTypeOf('string');
    expect(checkAmend({ ...a, size: 100_001 }, spot, account(1000), limits, 100_000)).toBe('lot');
    expect(checkAmend({ ...a, size: 100_000_000 }, spot, account(1000), limits, 100_000)).toBe(
      'insufficient_margin',
    );
  });

  it('a CheckedOrder cannot be made without the check', () => {
    const Ctor = CheckedOrder as unknown as new (token: symbol, r: OrderRequest) => CheckedOrder;
    expect(() => new Ctor(Symbol('checked'), req())).toThrow(/pre-trade checks only/);
  });
});
