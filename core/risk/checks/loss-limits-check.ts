/**
 * The day's loss and the rolling drawdown, as of the last PnL sample: past either limit, only
 * orders that shrink |position| pass. (Crossing a limit also trips the circuit breaker; this check
 * covers the time between a reset and the next sample.) At the limit is allowed; over it is not.
 */
import type { RiskRefusal } from '../risk-refusal.ts';
import type { OrderUnderCheck } from './order-under-check.ts';

export function refusedByLossLimits(
  dailyLoss: number,
  dailyMaxLoss: number,
  drawdown: number,
  drawdownMaxLoss: number,
  o: OrderUnderCheck,
  out: RiskRefusal,
): boolean {
  if (o.shrinks()) return false;
  if (dailyLoss > dailyMaxLoss) return out.set('daily_loss', 'loss', dailyLoss, dailyMaxLoss);
  if (drawdown > drawdownMaxLoss) return out.set('drawdown', 'loss', drawdown, drawdownMaxLoss);
  return false;
}
