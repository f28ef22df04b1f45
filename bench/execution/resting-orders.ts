/**
 * What both adapter clients of the execution bench share: the resting orders, built and passed
 * through the pre-trade checks before any clock starts (the gate is not the adapter's cost), and the
 * report sink that resolves an order's round trip on its `accepted` report.
 */
import type { Instrument } from '../../core/market/instrument.ts';
import { type CheckedOrder, checkOrder } from '../../core/risk/order-check.ts';
import type { ExecutionReports } from '../../core/trading/execution-venue.ts';
import type { RestingOrder } from './order-client.ts';

const NO_MARGIN_LIMIT = { maxLeverage: Number.POSITIVE_INFINITY };
const FLAT_ACCOUNT = { equity: () => 0, position: () => 0, openSize: () => 0 };

export interface RestingOrders {
  readonly orders: readonly CheckedOrder[];
  readonly clientOrderIds: readonly string[];
}

/** `count` identical resting buys, checked; client order ids unique per run of the process. */
export function checkedRestingOrders(
  instrument: Instrument,
  order: RestingOrder,
  count: number,
  idPrefix: string,
): RestingOrders {
  const orders: CheckedOrder[] = [];
  const clientOrderIds: string[] = [];
  const runId = Date.now().toString(36);
  for (let i = 0; i < count; i++) {
    const request = {
      id: i + 1,
      instrument: 0,
      side: 'buy' as const,
      type: 'limit' as const,
      price: order.price,
      size: order.size,
      postOnly: false,
      ioc: false,
    };
    const checked = checkOrder(request, instrument, FLAT_ACCOUNT, NO_MARGIN_LIMIT);
    if (typeof checked === 'string') throw new Error(`bench order refused by the checks: ${checked}`);
    orders.push(checked);
    clientOrderIds.push(`${idPrefix}${runId}${i}`);
  }
  return { orders, clientOrderIds };
}

export interface AcceptedReports {
  readonly sink: ExecutionReports;
  /** Resolves on order `id`'s `accepted` report (register before submitting). */
  waitFor(id: number): Promise<void>;
}

/** Reports that resolve round trips; any rejection fails the bench loudly. */
export function acceptedReports(client: string): AcceptedReports {
  const waiting = new Map<number, () => void>();
  const failed = (id: number, why: string) => {
    throw new Error(`${client} order ${id}: ${why}`);
  };
  return {
    sink: {
      accepted: (id) => {
        const done = waiting.get(id);
        waiting.delete(id);
        done?.();
      },
      filled: () => {},
      canceled: () => {},
      rejected: (id, reason) => failed(id, `rejected ${reason}`),
      amended: () => {},
      requestRejected: (id, reason) => failed(id, `request rejected ${reason}`),
      expired: () => {},
    },
    waitFor: (id) => new Promise<void>((resolve) => waiting.set(id, resolve)),
  };
}
