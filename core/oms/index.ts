export {
  CLIENT_ORDER_ID_RULES,
  type ClientOrderIdConfig,
  type ClientOrderIdForm,
  type ClientOrderIdRule,
  ClientOrderIds,
  formatClientOrderId,
  MAX_COUNTER,
  MAX_EPOCH,
  MAX_INSTANCE,
  type ParsedClientOrderId,
  parseClientOrderId,
} from './client-order-id.ts';
export { DAY_US, FillDedup, type FillDedupOptions } from './fill-dedup.ts';
export { ManagedOrder, type OrderRequest } from './managed-order.ts';
export { isOpen, isPending, isTerminal, ORDER_STATUSES, type OrderStatus } from './order-status.ts';
export {
  type ApplyResult,
  type FillReport,
  type FillResult,
  type InvalidReason,
  type InvalidTransition,
  OrderStore,
  type OrderStoreCounters,
  type OrderStoreOptions,
} from './order-store.ts';
export {
  ORDER_EVENTS,
  ORDER_TRANSITIONS,
  type OrderEvent,
  type TransitionTarget,
  transitionOf,
} from './order-transitions.ts';
export { type CurrencyTotals, Positions, type WorstCase } from './positions.ts';
