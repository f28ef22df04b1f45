/**
 * No order on a book that is not trusted (awaiting its snapshot, stale, resyncing), nor on one
 * with no mid (a side empty): nothing could price the order or bound its price.
 */
import type { BookTrust } from '../../market/events.ts';
import type { RiskRefusal } from '../risk-refusal.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export function refusedByBookTrust(trust: BookTrust, o: OrderUnderCheck, out: RiskRefusal): boolean {
  if (trust !== 'trusted') return out.set('book_not_trusted', '', Number.NaN, Number.NaN, trust);
  if (!(Number.isFinite(o.mid) && o.mid > 0))
    return out.set('book_not_trusted', 'mid', o.mid, Number.NaN, 'no mid');
  return false;
}
