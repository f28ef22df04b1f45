/**
 * Statistics of orders and fills. Fill ratio counts the orders that reached the book: rejected
 * orders never could fill, so they are left out of the denominator (and counted on their own).
 * - fillRatio: orders with any fill (partial included) / non-rejected orders.
 * - fillRatioBySize: filled size / submitted size, over non-rejected orders.
 * Turnover is traded notional (Σ price × size over fills) / initial capital.
 */
import type { FillRecord, OrderRecord } from '../result.ts';

export interface ExecutionStats {
  readonly numOrders: number;
  readonly numRejected: number;
  readonly numFills: number;
  readonly fillRatio: number;
  readonly fillRatioBySize: number;
  readonly tradedNotional: number;
  readonly turnover: number;
  /** Fees paid, quote currency (rebates negative). */
  readonly fees: number;
}

export function executionStats(
  orders: readonly OrderRecord[],
  fills: readonly FillRecord[],
  initialCapital: number,
): ExecutionStats {
  let rejected = 0;
  let live = 0;
  let withFill = 0;
  let submittedSize = 0;
  let filledSize = 0;
  for (const o of orders) {
    if (o.state === 'rejected') {
      rejected++;
      continue;
    }
    live++;
    if (o.filledSize > 0) withFill++;
    submittedSize += o.size;
    filledSize += Math.min(o.filledSize, o.size);
  }
  let notional = 0;
  let fees = 0;
  for (const f of fills) {
    notional += Math.abs(f.price * f.size);
    fees += f.fee;
  }
  return {
    numOrders: orders.length,
    numRejected: rejected,
    numFills: fills.length,
    fillRatio: live > 0 ? withFill / live : 0,
    fillRatioBySize: submittedSize > 0 ? filledSize / submittedSize : 0,
    tradedNotional: notional,
    turnover: initialCapital > 0 ? notional / initialCapital : 0,
    fees,
  };
}
