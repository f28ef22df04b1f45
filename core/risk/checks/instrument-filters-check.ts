/**
 * The instrument's own rules (order-check.ts `instrumentFilters`): positive integer price and
 * size, tick and lot multiples, minimum size, minimum notional. A market order's notional is taken
 * at mid.
 */
import { instrumentFilters } from '../order-check.ts';
import type { RiskRefusal } from '../risk-refusal.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export function refusedByInstrumentFilters(o: OrderUnderCheck, out: RiskRefusal): boolean {
  const spec = o.spec;
  if (spec === undefined) return out.set('unknown_instrument', 'instrument', o.instrument, Number.NaN);
  const bad = instrumentFilters(spec, o.isMarket ? o.mid : o.price, o.size, o.isMarket);
  if (bad === null) return false;
  switch (bad) {
    case 'invalid_price':
      return out.set(bad, 'price', o.price, Number.NaN);
    case 'tick':
      return out.set(bad, 'price', o.price, spec.tickSize, '', 'tick');
    case 'lot':
      return out.set(bad, 'size', o.size, spec.lotSize, '', 'lot');
    case 'min_size':
      return out.set(bad, 'size', o.size, spec.minSize, '', 'min');
    case 'min_notional':
      return out.set(bad, 'size', o.size, spec.minNotional, '', 'minNotional');
    default:
      return out.set(bad, 'size', o.size, Number.NaN);
  }
}
