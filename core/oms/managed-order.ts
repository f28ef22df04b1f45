/**
 * One order as the OMS knows it. Fields are mutable so the store updates in place (no allocation per
 * event); everything outside the OMS reads it as `Readonly<ManagedOrder>`. Prices and sizes are
 * integer instrument units; `avgFillPrice` is a float because it is a report, not a price to send.
 */
import type { Micros, Side } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import type { LocalOrderState, OrderId, OrderType, OrderView } from '../strategy/order-types.ts';
import type { OrderStatus } from './order-status.ts';
import type { OrderEvent } from './order-transitions.ts';

/** What `OrderStore.create` needs. */
export interface OrderRequest {
  readonly clientOrderId: string;
  readonly exchange: ExchangeId;
  /** Index into the kernel's instrument list. */
  readonly instrument: number;
  readonly side: Side;
  readonly type: OrderType;
  /** Limit price units; NaN for market orders. */
  readonly price: number;
  readonly size: number;
  readonly postOnly?: boolean;
  readonly ioc?: boolean;
  readonly reduceOnly?: boolean;
}

export class ManagedOrder implements OrderView {
  venueOrderId: string | undefined = undefined;
  filled = 0;
  /** Size-weighted mean of fill prices, price units (NaN before the first fill). */
  avgFillPrice = Number.NaN;
  status: OrderStatus = 'Initialized';
  /** The status to return to when a pending cancel/amend is refused (set on entering a pending status). */
  previousStatus: OrderStatus = 'Initialized';
  /** The price/size of the amend in flight (NaN when none); committed by `updated`. */
  requestedPrice = Number.NaN;
  requestedSize = Number.NaN;
  updatedTs: Micros;
  lastEvent: OrderEvent | undefined = undefined;
  /** Position in the store's open list of its instrument; -1 when not open. Store-internal. */
  openIndex = -1;
  /** Already placed in the store's finished-order history. Store-internal. */
  retired = false;

  constructor(
    readonly id: OrderId,
    readonly clientOrderId: string,
    readonly exchange: ExchangeId,
    readonly instrument: number,
    readonly side: Side,
    readonly type: OrderType,
    public price: number,
    public size: number,
    readonly postOnly: boolean,
    readonly ioc: boolean,
    readonly reduceOnly: boolean,
    readonly createdTs: Micros,
  ) {
    this.updatedTs = createdTs;
  }

  /** The strategy's coarse view of the status (OrderView). */
  get state(): LocalOrderState {
    switch (this.status) {
      case 'Initialized':
      case 'Submitted':
        return 'pending_new';
      case 'PendingCancel':
        return 'pending_cancel';
      case 'PendingUpdate':
        return 'pending_amend';
      default:
        return 'open';
    }
  }

  get submittedTs(): Micros {
    return this.createdTs;
  }

  /** Unfilled size units. */
  get remaining(): number {
    return this.size - this.filled;
  }
}
