/** One order's size against the per-order limit; market orders have the tighter one. At the limit passes. */
import type { RiskRefusal } from '../risk-refusal.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export function refusedByOrderSize(o: OrderUnderCheck, out: RiskRefusal): boolean {
  const limits = o.limits;
  if (limits === undefined) return false;
  if (o.isMarket) {
    if (o.size > limits.maxMarketOrderSize)
      return out.set('max_order_size', 'size', o.size, limits.maxMarketOrderSize, 'market');
  } else if (o.size > limits.maxOrderSize) {
    return out.set('max_order_size', 'size', o.size, limits.maxOrderSize, 'limit');
  }
  return false;
}
