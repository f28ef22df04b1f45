/**
 * First check: HALTED refuses everything; REDUCING admits only orders that shrink |position| in
 * the worst case (an amend that does not add size included), and nothing from flat.
 */
import type { RiskRefusal } from '../risk-refusal.ts';
import type { TradingState } from '../trading-state.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export function refusedByTradingState(state: TradingState, o: OrderUnderCheck, out: RiskRefusal): boolean {
  if (state === 'HALTED') return out.set('trading_halted', '', Number.NaN, Number.NaN, 'HALTED');
  if (state === 'REDUCING' && !o.shrinks())
    return out.set('reducing_only', 'worst', o.worst, o.position, 'REDUCING', 'position');
  return false;
}
