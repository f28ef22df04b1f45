/**
 * What a strategy sees of its own orders. Prices and sizes are integer instrument units; ids are
 * assigned by the context when the order is requested (deterministic: 1, 2, 3, … per run).
 */
import type { Micros, Side } from '../market/events.ts';
import type { RejectReason } from './reject-reason.ts';

export type OrderId = number;
export type OrderType = 'limit' | 'market';

/** Local view of an order: what responses have told us so far (not the exchange's truth). */
export type LocalOrderState =
  | 'pending_new' // sent, not acknowledged
  | 'open' // resting on the book
  | 'pending_cancel'
  | 'pending_amend';

export interface OrderView {
  readonly id: OrderId;
  readonly instrument: number;
  readonly side: Side;
  readonly type: OrderType;
  /** Limit price units (NaN for market orders). */
  readonly price: number;
  /** Order size units (after amends). */
  readonly size: number;
  /** Filled so far, size units. */
  readonly filled: number;
  readonly state: LocalOrderState;
  readonly postOnly: boolean;
  readonly submittedTs: Micros;
}

export interface LimitOptions {
  /** Refuse (post_only_cross) instead of taking liquidity on arrival. Default false. */
  readonly postOnly?: boolean;
  /** Immediate-or-cancel: take what crosses, cancel the rest. Default false (good till cancel). */
  readonly ioc?: boolean;
}

export type OrderUpdateKind =
  | 'accepted' // resting on the book (or fully executed on arrival: a fill update follows)
  | 'fill' // a (partial) execution; `done` says whether the order is finished
  | 'canceled' // by request, or the unfilled rest of an IOC/market order
  | 'rejected' // by a pre-trade check or the exchange; `rejectReason` says why
  | 'amended';

/**
 * One order event delivered to `Strategy.onOrderUpdate`. The object is reused between calls: read
 * it during the call, do not keep it.
 */
export interface OrderUpdate {
  readonly kind: OrderUpdateKind;
  readonly orderId: OrderId;
  readonly instrument: number;
  readonly side: Side;
  /** The order's price units (NaN for market). */
  readonly price: number;
  readonly size: number;
  /** Cumulative filled size units after this event. */
  readonly filled: number;
  /** 'fill' only: this execution's price and size units, and whether we provided liquidity. */
  readonly fillPrice: number;
  readonly fillSize: number;
  readonly maker: boolean;
  /** True when the order is finished (fully filled, canceled or rejected). */
  readonly done: boolean;
  readonly rejectReason: RejectReason | null;
  readonly ts: Micros;
}
