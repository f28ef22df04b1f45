/**
 * The statuses of an order, NautilusTrader's names (no emulated or triggered orders here).
 *
 * Design decision: `isOpen` includes `Submitted` — Nautilus calls it "in flight", not open — because
 * a submitted order can fill before its ack, so it is live exposure for risk and pending-size sums.
 * `Initialized` (created, not yet past risk) is neither open nor terminal.
 */
export const ORDER_STATUSES = [
  'Initialized',
  'Denied',
  'Submitted',
  'Accepted',
  'PartiallyFilled',
  'Filled',
  'Canceled',
  'Rejected',
  'Expired',
  'PendingCancel',
  'PendingUpdate',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Live at, or on its way to, the venue: its unfilled size can still execute. */
export function isOpen(status: OrderStatus): boolean {
  return (
    status === 'Submitted' ||
    status === 'Accepted' ||
    status === 'PartiallyFilled' ||
    status === 'PendingCancel' ||
    status === 'PendingUpdate'
  );
}

/** Finished: nothing can rest on the book any more (a late fill may still arrive on Canceled/Expired). */
export function isTerminal(status: OrderStatus): boolean {
  return (
    status === 'Denied' ||
    status === 'Filled' ||
    status === 'Canceled' ||
    status === 'Rejected' ||
    status === 'Expired'
  );
}

/** A request to the venue is in flight; a reject of it restores the status saved before. */
export function isPending(status: OrderStatus): boolean {
  return status === 'PendingCancel' || status === 'PendingUpdate';
}
