/**
 * Reconciliation, the pure part: the venue's open orders, fills and positions against the OMS, the
 * venue being the source of truth. The result lists every discrepancy; the caller (the live
 * runner's reconciler) applies them — missing fills into the kernel, unknown orders cancelled or
 * adopted, vanished orders closed, a position break to the circuit breaker — and journals and
 * alerts each one.
 *
 * Rules:
 * - A venue fill whose order we know (the adapter's own mapping, else by venue order id, or by client
 *   order id through the venue's open-order list) and whose trade id the OMS has not applied is a missing fill.
 * - A venue open order the OMS does not know is unknown: `own` when its client order id has our
 *   prefix (an earlier session's order, or one whose ack was lost), else foreign.
 * - An order the OMS holds open (acknowledged, not in flight for less than `graceMicros`) that the
 *   venue no longer lists and whose size the fills do not explain is vanished: the venue cancelled
 *   or expired it without our hearing.
 * - Positions (venues that report them): the venue's net against ours plus the missing fills; a
 *   difference above the instrument's threshold is a break. Spot venues report none: skipped.
 */

import type { Side } from '../../market/events.ts';
import type { ExchangeId } from '../../market/exchange.ts';
import type { OrderId } from '../../strategy/order-types.ts';
import type { OrderStatus } from '../order-status.ts';

export interface VenueOrderView {
  /** Our order id when the adapter knows the order (its venue and client ids may have changed). */
  readonly orderId?: OrderId | undefined;
  readonly instrument: number;
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  readonly filled: number;
}

export interface VenueFillView {
  readonly orderId?: OrderId | undefined;
  readonly instrument: number;
  readonly venueOrderId: string;
  readonly tradeId: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
}

export interface VenuePositionView {
  readonly instrument: number;
  /** Signed size units. */
  readonly size: number;
}

/** What reconciliation reads of one OMS order. */
export interface OmsOrderView {
  readonly id: OrderId;
  readonly clientOrderId: string;
  readonly venueOrderId?: string | undefined;
  readonly instrument: number;
  readonly status: OrderStatus;
  readonly size: number;
  readonly filled: number;
  readonly createdTs: number;
}

/** What reconciliation reads of the OMS. */
export interface OmsView {
  byId(orderId: OrderId): OmsOrderView | undefined;
  byClientOrderId(clientOrderId: string): OmsOrderView | undefined;
  byVenueOrderId(exchange: ExchangeId, venueOrderId: string): OmsOrderView | undefined;
  forEachOpen(fn: (order: OmsOrderView) => void): void;
  /** The OMS has applied this trade of this order. */
  hasFill(orderId: OrderId, tradeId: string): boolean;
  /** Net position, size units. */
  position(instrument: number): number;
  /** The client order id has our prefix. */
  isOwn(clientOrderId: string): boolean;
}

export interface VenueSnapshot<
  F extends VenueFillView = VenueFillView,
  O extends VenueOrderView = VenueOrderView,
> {
  readonly exchange: ExchangeId;
  /** The instruments this venue trades for us (open orders and positions of others are ignored). */
  readonly instruments: readonly number[];
  readonly openOrders: readonly O[];
  readonly fills: readonly F[];
  /** Undefined: the venue has no positions (spot). */
  readonly positions: readonly VenuePositionView[] | undefined;
}

export interface ReconcileOptions {
  /** Now, µs of the OMS clock. */
  readonly now: number;
  /** Orders younger than this may be in flight: never called vanished. */
  readonly graceMicros: number;
  /** Largest tolerated position difference per instrument, size units. */
  readonly positionThreshold: (instrument: number) => number;
}

export type Discrepancy<F extends VenueFillView = VenueFillView, O extends VenueOrderView = VenueOrderView> =
  | { readonly kind: 'missing_fill'; readonly orderId: OrderId; readonly fill: F }
  | { readonly kind: 'unknown_order'; readonly order: O; readonly own: boolean }
  | { readonly kind: 'vanished_order'; readonly orderId: OrderId; readonly clientOrderId: string }
  | {
      readonly kind: 'position_break';
      readonly instrument: number;
      readonly ours: number;
      readonly venue: number;
      readonly threshold: number;
    };

const ACKNOWLEDGED: ReadonlySet<OrderStatus> = new Set(['Accepted', 'PartiallyFilled', 'PendingUpdate']);

export function reconcile<F extends VenueFillView, O extends VenueOrderView>(
  oms: OmsView,
  venue: VenueSnapshot<F, O>,
  options: ReconcileOptions,
): Discrepancy<F, O>[] {
  const out: Discrepancy<F, O>[] = [];
  const covered = new Set(venue.instruments);
  const listed = new Set<OrderId>();
  // Client order id → our order, for fills of orders whose venue id we never learned.
  const viaOpenList = new Map<string, OmsOrderView>();
  for (const vo of venue.openOrders) {
    if (!covered.has(vo.instrument)) continue;
    const ours =
      (vo.orderId !== undefined ? oms.byId(vo.orderId) : undefined) ??
      oms.byVenueOrderId(venue.exchange, vo.venueOrderId) ??
      oms.byClientOrderId(vo.clientOrderId);
    if (ours) {
      listed.add(ours.id);
      viaOpenList.set(vo.venueOrderId, ours);
    } else out.push({ kind: 'unknown_order', order: vo, own: oms.isOwn(vo.clientOrderId) });
  }

  const missingDelta = new Map<number, number>();
  const missingSize = new Map<OrderId, number>();
  const seen = new Set<string>();
  for (const f of venue.fills) {
    if (!covered.has(f.instrument)) continue;
    const ours =
      (f.orderId !== undefined ? oms.byId(f.orderId) : undefined) ??
      oms.byVenueOrderId(venue.exchange, f.venueOrderId) ??
      viaOpenList.get(f.venueOrderId);
    if (!ours) continue;
    const key = `${ours.id}\u0000${f.tradeId}`;
    if (seen.has(key) || oms.hasFill(ours.id, f.tradeId)) continue;
    seen.add(key);
    out.push({ kind: 'missing_fill', orderId: ours.id, fill: f });
    const signed = f.side === 'buy' ? f.size : -f.size;
    missingDelta.set(f.instrument, (missingDelta.get(f.instrument) ?? 0) + signed);
    missingSize.set(ours.id, (missingSize.get(ours.id) ?? 0) + f.size);
  }

  oms.forEachOpen((o) => {
    if (!covered.has(o.instrument) || listed.has(o.id)) return;
    if (!ACKNOWLEDGED.has(o.status) || options.now - o.createdTs < options.graceMicros) return;
    // Filled on the venue while we were not listening: the missing fills close it.
    if (o.filled + (missingSize.get(o.id) ?? 0) >= o.size) return;
    out.push({ kind: 'vanished_order', orderId: o.id, clientOrderId: o.clientOrderId });
  });

  if (venue.positions !== undefined) {
    const reported = new Map<number, number>();
    for (const p of venue.positions) if (covered.has(p.instrument)) reported.set(p.instrument, p.size);
    for (const i of venue.instruments) {
      const ours = oms.position(i) + (missingDelta.get(i) ?? 0);
      const theirs = reported.get(i) ?? 0;
      const threshold = options.positionThreshold(i);
      if (Math.abs(ours - theirs) > threshold)
        out.push({ kind: 'position_break', instrument: i, ours, venue: theirs, threshold });
    }
  }
  return out;
}
