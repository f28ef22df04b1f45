/**
 * The order state machine as data: from-status × event → what happens. Everything not listed is an
 * invalid transition: counted, reported, and the order is left unchanged (never a throw).
 *
 * Cell values:
 * - a status: go there. For `fill` it is the status after a *partial* fill; a fill that completes
 *   the order always goes to `Filled`.
 * - `'previous'`: back to the status saved when the order entered PendingCancel/PendingUpdate
 *   (a refused cancel or amend, or a confirmed amend).
 * - `'duplicate'`: a repeat of what the order already says (idempotent, ignored, counted).
 * - `'late'`: a report or request about an order that has since moved on (a cancel ack after the
 *   order filled, a cancel request for a filled order): ignored, counted, not an error.
 *
 * Design decisions, against NautilusTrader's table (crates/model/src/orders/mod.rs):
 * - A partial fill while a cancel or amend is in flight keeps PendingCancel/PendingUpdate: the
 *   request is still outstanding and the unfilled rest is still live. Nautilus moves to
 *   PartiallyFilled and forgets the pending request.
 * - A fill after Canceled or Expired is a real execution whose report came late (Bybit's `order`
 *   and `execution` topics race). It is applied; the order stays Canceled/Expired unless it
 *   completes (then Filled), so a finished order never reopens. Nautilus accepts it after
 *   Canceled only and refuses it after Expired; dropping a real fill loses position truth.
 * - An ack (`accept`) while PendingCancel/PendingUpdate is the late ack of the submit, not a failed
 *   cancel (venues report that with an explicit cancel reject): the pending status stays and the
 *   saved status becomes Accepted.
 * - An amend confirmation while PendingCancel (amend then cancel in quick succession) applies the
 *   new price/size and keeps PendingCancel.
 * - Rejected, Denied and Filled take no further state: reports that contradict them are invalid.
 */
import type { OrderStatus } from './order-status.ts';

export const ORDER_EVENTS = [
  'submit',
  'deny',
  'accept',
  'reject',
  'fill',
  'cancel_request',
  'update_request',
  'canceled',
  'updated',
  'expired',
  'cancel_rejected',
  'update_rejected',
] as const;

export type OrderEvent = (typeof ORDER_EVENTS)[number];

export type TransitionTarget = OrderStatus | 'previous' | 'duplicate' | 'late';

type Row = Readonly<Partial<Record<OrderEvent, TransitionTarget>>>;

/** Requests and refusals that refer to an order that has finished. */
const AFTER_END: Row = {
  cancel_request: 'late',
  update_request: 'late',
  cancel_rejected: 'late',
  update_rejected: 'late',
};

export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Row>> = {
  // Created locally. accept/reject/canceled/expired straight from here are external orders that
  // reconciliation found at the venue; `updated` is a local change before submission.
  Initialized: {
    submit: 'Submitted',
    deny: 'Denied',
    accept: 'Accepted',
    reject: 'Rejected',
    canceled: 'Canceled',
    expired: 'Expired',
    updated: 'Initialized',
  },
  Denied: { deny: 'duplicate', cancel_request: 'late', update_request: 'late' },
  Submitted: {
    submit: 'duplicate',
    accept: 'Accepted',
    reject: 'Rejected',
    fill: 'PartiallyFilled', // fill before the ack
    cancel_request: 'PendingCancel',
    update_request: 'PendingUpdate',
    canceled: 'Canceled', // IOC rest, or canceled before the ack reached us
    updated: 'Submitted',
    expired: 'Expired',
    cancel_rejected: 'late',
    update_rejected: 'late',
  },
  Accepted: {
    accept: 'duplicate',
    reject: 'Rejected',
    fill: 'PartiallyFilled',
    cancel_request: 'PendingCancel',
    update_request: 'PendingUpdate',
    canceled: 'Canceled',
    updated: 'Accepted',
    expired: 'Expired',
    cancel_rejected: 'late',
    update_rejected: 'late',
  },
  PartiallyFilled: {
    accept: 'late', // the ack of an order whose first fill came first
    fill: 'PartiallyFilled',
    cancel_request: 'PendingCancel',
    update_request: 'PendingUpdate',
    canceled: 'Canceled',
    updated: 'PartiallyFilled',
    expired: 'Expired',
    cancel_rejected: 'late',
    update_rejected: 'late',
  },
  PendingCancel: {
    accept: 'PendingCancel',
    reject: 'Rejected',
    fill: 'PendingCancel',
    cancel_request: 'duplicate',
    canceled: 'Canceled',
    updated: 'PendingCancel',
    expired: 'Expired',
    cancel_rejected: 'previous',
    update_rejected: 'late',
  },
  PendingUpdate: {
    accept: 'PendingUpdate',
    reject: 'Rejected',
    fill: 'PendingUpdate',
    cancel_request: 'PendingCancel',
    update_request: 'PendingUpdate',
    canceled: 'Canceled',
    updated: 'previous',
    expired: 'Expired',
    cancel_rejected: 'late',
    update_rejected: 'previous',
  },
  Filled: {
    ...AFTER_END,
    accept: 'late',
    canceled: 'late',
    updated: 'late',
    expired: 'late',
  },
  Canceled: {
    ...AFTER_END,
    accept: 'late',
    fill: 'Canceled',
    canceled: 'duplicate',
    updated: 'late',
    expired: 'late',
  },
  Expired: {
    ...AFTER_END,
    accept: 'late',
    fill: 'Expired',
    canceled: 'late',
    updated: 'late',
    expired: 'duplicate',
  },
  Rejected: {
    ...AFTER_END,
    reject: 'duplicate',
    canceled: 'late',
    expired: 'late',
  },
};

/** The table's cell, or undefined for an invalid transition. */
export function transitionOf(status: OrderStatus, event: OrderEvent): TransitionTarget | undefined {
  return ORDER_TRANSITIONS[status][event];
}
