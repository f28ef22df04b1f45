/**
 * Margin: the worst-case exposure on the order's side (position plus every open order on that side
 * plus this one, at the order's price — the mid for a market order) must stay within equity ×
 * maxLeverage, as a venue's initial-margin check would refuse it. Only orders that take |position|
 * further from zero are limited; exposure exactly at the limit passes. A price that is unknown
 * (a market order on an unpriced book) leaves the check to the book-trust check before it.
 */
import { notional } from '../order-check.ts';
import type { RiskRefusal } from '../risk-refusal.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export interface MarginLimits {
  /** Gross exposure allowed, as a multiple of equity. */
  readonly maxLeverage: number;
  /** Equity before any fill, quote currency; equity = initialCapital + PnL. */
  readonly initialCapital: number;
}

export function refusedByMargin(
  o: OrderUnderCheck,
  equity: number,
  maxLeverage: number,
  out: RiskRefusal,
): boolean {
  const spec = o.spec;
  if (spec === undefined || !o.grows()) return false;
  const price = o.isMarket ? o.mid : o.price;
  if (Number.isNaN(price)) return false;
  const exposure = notional(spec, price, Math.abs(o.worst));
  const allowed = Math.max(0, equity) * maxLeverage;
  if (exposure > allowed) return out.set('insufficient_margin', 'exposure', exposure, allowed);
  return false;
}
