/**
 * Amounts of money and the currency they are in.
 *
 * Design decisions: on the hot path an amount is a plain `number` whose currency is fixed by where
 * it lives (a position's PnL is in its instrument's quote). `Amount<C>` brands that number with its
 * currency at compile time only — zero runtime cost, and `addAmounts` will not type-check USDT plus
 * USD. Where amounts from different instruments meet (limits, reports, totals) the currency must
 * travel with the value, so `Money` is a small frozen value object and `addMoney` refuses a
 * mismatch with a typed error instead of adding the two numbers. Amounts are floats in whole
 * currency units: they report and they limit, they never price an order (prices and sizes stay
 * integer instrument units). A wrapper class with arithmetic methods was rejected: it allocates per
 * operation and hides the float.
 */

/** An asset code as the platform writes it (the instrument's `quote` or `base`): USDT, USD, BTC. */
export type Currency = string;

declare const currencyTag: unique symbol;

/** A number known at compile time to be in currency `C`; at runtime it is just the number. */
export type Amount<C extends Currency = Currency> = number & { readonly [currencyTag]: C };

export function amount<C extends Currency>(value: number): Amount<C> {
  return value as Amount<C>;
}

/** Adding two amounts compiles only when both carry the same currency tag. */
export function addAmounts<C extends Currency>(a: Amount<C>, b: Amount<NoInfer<C>>): Amount<C> {
  return (a + b) as Amount<C>;
}

export interface Money {
  /** Whole currency units (a float: 12.5 USDT is 12.5). */
  readonly amount: number;
  readonly currency: Currency;
}

export interface CurrencyMismatch {
  readonly kind: 'currency_mismatch';
  readonly left: Currency;
  readonly right: Currency;
}

export type MoneyResult =
  | { readonly ok: true; readonly value: Money }
  | { readonly ok: false; readonly error: CurrencyMismatch };

/** Throws on a non-finite amount or an empty currency: both are programming errors, never venue data. */
export function money(value: number, currency: Currency): Money {
  if (!Number.isFinite(value)) throw new RangeError(`money: amount must be finite, got ${value}`);
  if (currency.length === 0) throw new RangeError('money: currency must be non-empty');
  return Object.freeze({ amount: value, currency });
}

export function sameCurrency(a: Money, b: Money): boolean {
  return a.currency === b.currency;
}

/** a + b, or a typed error when the currencies differ (USDT is not USD). */
export function addMoney(a: Money, b: Money): MoneyResult {
  if (!sameCurrency(a, b))
    return { ok: false, error: { kind: 'currency_mismatch', left: a.currency, right: b.currency } };
  return { ok: true, value: money(a.amount + b.amount, a.currency) };
}

/** "12.50 USDT"; `decimals` fixed (default 2), negative amounts keep their sign. */
export function formatMoney(m: Money, decimals = 2): string {
  return `${m.amount.toFixed(decimals)} ${m.currency}`;
}
