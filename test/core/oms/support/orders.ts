/** Builds stores and drives a fresh order to a given status through real events. */
import type { OrderStatus } from '../../../../core/oms/order-status.ts';
import { type FillReport, type InvalidTransition, OrderStore } from '../../../../core/oms/order-store.ts';

export const ORDER_SIZE = 10;

export function makeStore(onInvalid: InvalidTransition[] = [], historyLimit?: number): OrderStore {
  return new OrderStore({
    instrumentCount: 2,
    ...(historyLimit === undefined ? {} : { historyLimit }),
    onInvalidTransition: (t) => onInvalid.push({ ...t }),
  });
}

let cid = 0;

export function newOrder(
  store: OrderStore,
  side: 'buy' | 'sell' = 'buy',
  instrument = 0,
  size = ORDER_SIZE,
): number {
  return store.create(
    {
      clientOrderId: `c${cid++}`,
      exchange: 'binance',
      instrument,
      side,
      type: 'limit',
      price: 100,
      size,
    },
    0,
  ).id;
}

let trade = 0;

export function fill(size: number, price = 100, tradeId = `t${trade++}`, ts = 1): FillReport {
  return { tradeId, price, size, fee: 0.01, feeCurrency: 'USDT', maker: true, ts };
}

/** Event paths that reach each status from Initialized. */
export function driveTo(store: OrderStore, id: number, status: OrderStatus): void {
  const steps: Record<OrderStatus, (() => unknown)[]> = {
    Initialized: [],
    Denied: [() => store.apply(id, 'deny', 1)],
    Submitted: [() => store.apply(id, 'submit', 1)],
    Accepted: [() => store.apply(id, 'submit', 1), () => store.apply(id, 'accept', 2)],
    PartiallyFilled: [
      () => store.apply(id, 'submit', 1),
      () => store.apply(id, 'accept', 2),
      () => store.applyFill(id, fill(3)),
    ],
    Filled: [
      () => store.apply(id, 'submit', 1),
      () => store.apply(id, 'accept', 2),
      () => store.applyFill(id, fill(ORDER_SIZE)),
    ],
    Canceled: [() => store.apply(id, 'submit', 1), () => store.apply(id, 'canceled', 2)],
    Rejected: [() => store.apply(id, 'submit', 1), () => store.apply(id, 'reject', 2)],
    Expired: [() => store.apply(id, 'submit', 1), () => store.apply(id, 'expired', 2)],
    PendingCancel: [
      () => store.apply(id, 'submit', 1),
      () => store.apply(id, 'accept', 2),
      () => store.apply(id, 'cancel_request', 3),
    ],
    PendingUpdate: [
      () => store.apply(id, 'submit', 1),
      () => store.apply(id, 'accept', 2),
      () => store.apply(id, 'update_request', 3, 101, 12),
    ],
  };
  for (const step of steps[status]) step();
  const reached = store.get(id)?.status;
  if (reached !== status) throw new Error(`driveTo: wanted ${status}, reached ${reached}`);
}
