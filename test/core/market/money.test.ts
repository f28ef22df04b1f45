import { describe, expect, it } from 'vitest';
import {
  type Amount,
  addAmounts,
  addMoney,
  amount,
  formatMoney,
  money,
  sameCurrency,
} from '../../../core/market/money.ts';

describe('money', () => {
  it('adds amounts of one currency', () => {
    const r = addMoney(money(1.5, 'USDT'), money(2.25, 'USDT'));
    expect(r).toEqual({ ok: true, value: { amount: 3.75, currency: 'USDT' } });
  });

  it('refuses to add USDT to USD with a typed error', () => {
    const a = money(1, 'USDT');
    const b = money(1, 'USD');
    expect(sameCurrency(a, b)).toBe(false);
    expect(addMoney(a, b)).toEqual({
      ok: false,
      error: { kind: 'currency_mismatch', left: 'USDT', right: 'USD' },
    });
  });

  it('formats with fixed decimals and the currency', () => {
    expect(formatMoney(money(12.5, 'USDT'))).toBe('12.50 USDT');
    expect(formatMoney(money(-0.123456, 'BTC'), 4)).toBe('-0.1235 BTC');
  });

  it('is frozen, and throws only on programming errors', () => {
    expect(Object.isFrozen(money(1, 'USD'))).toBe(true);
    expect(() => money(Number.NaN, 'USD')).toThrow(RangeError);
    expect(() => money(1, '')).toThrow(RangeError);
  });

  it('branded amounts are plain numbers at runtime and typed by currency', () => {
    const a: Amount<'USDT'> = amount<'USDT'>(2);
    const b = amount<'USDT'>(3);
    expect(addAmounts(a, b)).toBe(5);
    const usd = amount<'USD'>(1);
    // @ts-expect-error USDT and USD amounts do not add
    addAmounts(a, usd);
  });
});
