/**
 * Duplicate L3 order ids (Coinbase full channel). An order's life is received → open → (match |
 * change)* → done, so many events share an order id by design; what must not repeat is the START of a
 * life: a second `received`, or a second `open`, for the same id means the venue (or our reconnect
 * handling) replayed it. match/change/done are left alone.
 */
import type { L3Action } from '../../market/events.ts';
import { RecentIds } from './recent-ids.ts';

export class DuplicateOrderIds {
  private readonly received: RecentIds;
  private readonly opened: RecentIds;

  constructor(capacity: number) {
    this.received = new RecentIds(capacity);
    this.opened = new RecentIds(capacity);
  }

  /** True when this event repeats the start of an order already seen. */
  isDuplicate(action: L3Action, orderId: string): boolean {
    if (action === 'received') return this.received.seen(orderId);
    if (action === 'open') return this.opened.seen(orderId);
    return false;
  }
}
