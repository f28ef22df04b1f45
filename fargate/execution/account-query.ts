/**
 * What the reconciler asks a venue about our account: the venue is the source of truth. Prices and
 * sizes are integer units of the instrument (index into the adapter's instrument list); balances are
 * exact decimal strings as the venue wrote them.
 */
import type { Side } from '../../core/market/events.ts';
import type { OrderId } from '../../core/strategy/order-types.ts';

export interface VenueOrder {
  /** Our order id, when the adapter placed (or adopted) this order: its venue ids may have changed since. */
  readonly orderId?: OrderId;
  readonly instrument: number;
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly side: Side;
  /** NaN for market orders. */
  readonly price: number;
  readonly size: number;
  readonly filled: number;
}

export interface VenueFill {
  /** Our order id, when the adapter knows the order. */
  readonly orderId?: OrderId;
  readonly instrument: number;
  readonly venueOrderId: string;
  readonly tradeId: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  /** Fee as the venue wrote it (decimal string) and its asset. */
  readonly fee: string;
  readonly feeAsset: string;
  readonly maker: boolean;
  /** Venue time, ms since the epoch. */
  readonly timeMs: number;
}

export interface VenueBalance {
  readonly asset: string;
  readonly free: string;
  readonly locked: string;
}

export interface VenuePosition {
  readonly instrument: number;
  /** Signed size units (negative: short). */
  readonly size: number;
  /** Entry price as the venue wrote it. */
  readonly entryPrice: string;
}

export interface AccountQuery {
  openOrders(): Promise<VenueOrder[]>;
  /** Fills at or after `sinceMs` (venue time) on the adapter's instruments. */
  fills(sinceMs: number): Promise<VenueFill[]>;
  balances(): Promise<VenueBalance[]>;
  /** Spot venues answer an empty list. */
  positions(): Promise<VenuePosition[]>;
  /** Cancel an order the OMS does not know (reconciliation's "cancel" of an unknown order). */
  cancelVenueOrder(order: VenueOrder): Promise<void>;
  /** Track an order reconciliation adopted into the OMS as `orderId`, so its reports and cancels flow. */
  adopt(orderId: OrderId, order: VenueOrder): void;
}
