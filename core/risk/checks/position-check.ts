/**
 * The worst-case position (every open order on the order's side filled, plus this one) against
 * maxPosition. An order that does not take |position| further from zero always passes, so a
 * position over a lowered limit can still be worked down. |worst| at the limit passes.
 */
import type { RiskRefusal } from '../risk-refusal.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export function refusedByPosition(o: OrderUnderCheck, out: RiskRefusal): boolean {
  const limits = o.limits;
  if (limits === undefined || !o.grows()) return false;
  if (Math.abs(o.worst) > limits.maxPosition)
    return out.set('max_position', 'worst', o.worst, limits.maxPosition);
  return false;
}
