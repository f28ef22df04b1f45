/**
 * A limit price farther from mid than fatFingerPct (postOnlyFatFingerPct for post-only orders) is
 * refused, on either side of mid. Exactly at the limit passes. Market orders have no price to
 * check (their size limit is tighter instead).
 */
import type { RiskRefusal } from '../risk-refusal.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export function refusedByFatFinger(o: OrderUnderCheck, out: RiskRefusal): boolean {
  const limits = o.limits;
  if (limits === undefined || o.isMarket) return false;
  const pct = o.postOnly ? limits.postOnlyFatFingerPct : limits.fatFingerPct;
  const distance = Math.abs(o.price - o.mid);
  // distance / mid > pct / 100, without the division's rounding at the boundary.
  if (distance * 100 > pct * o.mid)
    return out.set('fat_finger', 'distancePct', (distance * 100) / o.mid, pct, o.postOnly ? 'post-only' : '');
  return false;
}
