/**
 * Every order the kernel knows, moved only through the transition table (order-transitions.ts).
 *
 * Venue input never throws: an event the table does not allow, a fill that is malformed or would
 * overfill, or an unknown order id is counted, handed to `onInvalidTransition` (the kernel turns it
 * into an alert) and leaves the order unchanged. Throws are kept for programming errors in
 * `create` (an instrument index out of range, a client order id used twice).
 *
 * Hot path: lookups are Maps, the open set is one array per instrument with O(1) swap-removal,
 * pending size per (instrument, side) is kept incrementally, and the invalid-transition record is
 * one reused object. Finished orders stay findable in a bounded history (default 10 000, oldest
 * forgotten first) so late reports about them are recognised as late rather than unknown.
 */
import type { Micros, Side } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import type { OrderId } from '../strategy/order-types.ts';
import { FillDedup, type FillDedupOptions } from './fill-dedup.ts';
import { ManagedOrder, type OrderRequest } from './managed-order.ts';
import { isOpen, isPending, isTerminal, type OrderStatus } from './order-status.ts';
import { type OrderEvent, transitionOf } from './order-transitions.ts';

export type ApplyResult = 'applied' | 'duplicate' | 'late' | 'invalid';
export type FillResult = 'applied' | 'duplicate' | 'invalid';

export type InvalidReason =
  | 'no_transition' // the table has no cell for (status, event)
  | 'unknown_order' // no such order id (never created, or forgotten from the history)
  | 'fill_without_report' // `apply(id, 'fill')`: fills go through applyFill
  | 'bad_fill' // a fill with a missing trade id, or a price/size that is not a positive integer
  | 'overfill' // the fill would take `filled` above `size`
  | 'bad_order' // submitted with a size that is not a positive integer, or a bad limit price
  | 'bad_update'; // an amend to a size that is not a positive integer or is below what is filled

/** Handed to `onInvalidTransition`; the object is reused: read it during the call, do not keep it. */
export interface InvalidTransition {
  orderId: OrderId;
  /** The order's status, undefined when the order is unknown. */
  status: OrderStatus | undefined;
  event: OrderEvent;
  reason: InvalidReason;
  ts: Micros;
}

/** One execution as the venue reported it. Price and size are integer units; fee is a float in `feeCurrency`. */
export interface FillReport {
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly maker: boolean;
  readonly ts: Micros;
}

export interface OrderStoreOptions {
  /** Length of the kernel's instrument list; order instruments are indexes into it. */
  readonly instrumentCount: number;
  /** Finished orders kept findable (default 10 000). */
  readonly historyLimit?: number;
  readonly dedup?: FillDedupOptions;
  readonly onInvalidTransition?: (t: Readonly<InvalidTransition>) => void;
}

export interface OrderStoreCounters {
  invalidTransitions: number;
  duplicateFills: number;
  /** Reports and requests about orders that had already moved on (table cells 'late'). */
  lateReports: number;
  /** Idempotent repeats of what the order already said (table cells 'duplicate', no-change self-loops). */
  duplicateReports: number;
  /** A venue order id that differs from the one already assigned, or is taken by another order. */
  venueIdConflicts: number;
  /** Finished orders forgotten because the history was full. */
  historyEvicted: number;
}

const NO_ORDERS: readonly ManagedOrder[] = Object.freeze([]);

function sideIndex(side: Side): number {
  return side === 'buy' ? 0 : 1;
}

function isPositiveUnits(v: number): boolean {
  return Number.isSafeInteger(v) && v > 0;
}

export class OrderStore {
  readonly counters: Readonly<OrderStoreCounters>;
  readonly dedup: FillDedup;
  readonly historyLimit: number;
  private readonly count: OrderStoreCounters = {
    invalidTransitions: 0,
    duplicateFills: 0,
    lateReports: 0,
    duplicateReports: 0,
    venueIdConflicts: 0,
    historyEvicted: 0,
  };
  private readonly byId = new Map<OrderId, ManagedOrder>();
  private readonly byCid = new Map<string, ManagedOrder>();
  private readonly byVid = new Map<ExchangeId, Map<string, ManagedOrder>>();
  private readonly open: ManagedOrder[][];
  private openTotal = 0;
  /** Unfilled size units of open orders, index instrument × 2 + side (0 buy, 1 sell). */
  private readonly pending: Float64Array;
  private readonly history: Float64Array;
  private historyHead = 0;
  private historyCount = 0;
  private nextId = 1;
  private readonly invalidRecord: InvalidTransition = {
    orderId: 0,
    status: undefined,
    event: 'submit',
    reason: 'no_transition',
    ts: 0,
  };
  private readonly onInvalid: ((t: Readonly<InvalidTransition>) => void) | undefined;

  constructor(private readonly options: OrderStoreOptions) {
    const n = options.instrumentCount;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`OrderStore: bad instrumentCount ${n}`);
    this.historyLimit = options.historyLimit ?? 10_000;
    if (!Number.isInteger(this.historyLimit) || this.historyLimit < 1) {
      throw new RangeError(`OrderStore: historyLimit must be a positive integer, got ${this.historyLimit}`);
    }
    this.counters = this.count;
    this.dedup = new FillDedup(options.dedup);
    this.open = Array.from({ length: n }, () => []);
    this.pending = new Float64Array(n * 2);
    this.history = new Float64Array(this.historyLimit);
    this.onInvalid = options.onInvalidTransition;
  }

  /** A new order in `Initialized`; ids are 1, 2, 3, … per store. */
  create(request: OrderRequest, ts: Micros): Readonly<ManagedOrder> {
    const inst = request.instrument;
    if (!Number.isInteger(inst) || inst < 0 || inst >= this.options.instrumentCount) {
      throw new RangeError(`OrderStore.create: instrument ${inst} out of range`);
    }
    if (this.byCid.has(request.clientOrderId)) {
      throw new Error(`OrderStore.create: client order id ${request.clientOrderId} already used`);
    }
    const o = new ManagedOrder(
      this.nextId++,
      request.clientOrderId,
      request.exchange,
      inst,
      request.side,
      request.type,
      request.price,
      request.size,
      request.postOnly === true,
      request.ioc === true,
      request.reduceOnly === true,
      ts,
    );
    this.byId.set(o.id, o);
    this.byCid.set(o.clientOrderId, o);
    return o;
  }

  get(id: OrderId): Readonly<ManagedOrder> | undefined {
    return this.byId.get(id);
  }

  byClientOrderId(clientOrderId: string): Readonly<ManagedOrder> | undefined {
    return this.byCid.get(clientOrderId);
  }

  byVenueOrderId(exchange: ExchangeId, venueOrderId: string): Readonly<ManagedOrder> | undefined {
    return this.byVid.get(exchange)?.get(venueOrderId);
  }

  /** Links the venue's order id (from the ack or a report). A different id than before is a conflict. */
  assignVenueOrderId(id: OrderId, venueOrderId: string): 'applied' | 'duplicate' | 'invalid' {
    const o = this.byId.get(id);
    if (o === undefined || typeof venueOrderId !== 'string' || venueOrderId.length === 0) return 'invalid';
    if (o.venueOrderId === venueOrderId) return 'duplicate';
    let map = this.byVid.get(o.exchange);
    const holder = map?.get(venueOrderId);
    if (o.venueOrderId !== undefined || (holder !== undefined && holder !== o)) {
      this.count.venueIdConflicts++;
      return 'invalid';
    }
    if (map === undefined) {
      map = new Map();
      this.byVid.set(o.exchange, map);
    }
    map.set(venueOrderId, o);
    o.venueOrderId = venueOrderId;
    return 'applied';
  }

  /**
   * Applies a non-fill event. `price`/`size` carry the new values for `update_request` and
   * `updated` (NaN = unchanged; `updated` without values commits the requested ones).
   */
  apply(id: OrderId, event: OrderEvent, ts: Micros, price = Number.NaN, size = Number.NaN): ApplyResult {
    const o = this.byId.get(id);
    if (o === undefined) return this.invalid(id, undefined, event, 'unknown_order', ts);
    if (event === 'fill') return this.invalid(id, o.status, event, 'fill_without_report', ts);
    const target = transitionOf(o.status, event);
    if (target === undefined) return this.invalid(id, o.status, event, 'no_transition', ts);
    if (target === 'duplicate') {
      this.count.duplicateReports++;
      return 'duplicate';
    }
    if (target === 'late') {
      this.count.lateReports++;
      return 'late';
    }
    if (event === 'submit' && !this.sendable(o)) return this.invalid(id, o.status, event, 'bad_order', ts);

    let next: OrderStatus = target === 'previous' ? o.previousStatus : target;
    let changed = next !== o.status;
    const wasOpen = isOpen(o.status);
    const oldRemaining = o.remaining;

    if (event === 'update_request') {
      if (!this.validAmend(o, price, size)) return this.invalid(id, o.status, event, 'bad_update', ts);
      if (!Object.is(o.requestedPrice, price) || !Object.is(o.requestedSize, size)) {
        o.requestedPrice = price;
        o.requestedSize = size;
        changed = true;
      }
    } else if (event === 'updated') {
      const newPrice = Number.isNaN(price) ? o.requestedPrice : price;
      const newSize = Number.isNaN(size) ? o.requestedSize : size;
      if (!this.validAmend(o, newPrice, newSize)) return this.invalid(id, o.status, event, 'bad_update', ts);
      if (!Number.isNaN(newPrice) && newPrice !== o.price) {
        o.price = newPrice;
        changed = true;
      }
      if (!Number.isNaN(newSize) && newSize !== o.size) {
        o.size = newSize;
        changed = true;
      }
      if (o.filled > 0 && o.filled === o.size) next = 'Filled';
    } else if (event === 'accept' && isPending(o.status) && o.previousStatus === 'Submitted') {
      // The late ack of the submit: the pending request stays, a refusal returns to Accepted.
      o.previousStatus = 'Accepted';
      changed = true;
    }
    if (event === 'updated' || event === 'update_rejected' || isTerminal(next)) {
      if (!Number.isNaN(o.requestedPrice) || !Number.isNaN(o.requestedSize)) changed = true;
      o.requestedPrice = Number.NaN;
      o.requestedSize = Number.NaN;
    }
    if (!changed) {
      this.count.duplicateReports++;
      return 'duplicate';
    }
    if (isPending(next) && !isPending(o.status)) o.previousStatus = o.status;
    o.status = next;
    o.lastEvent = event;
    o.updatedTs = ts;
    this.settle(o, wasOpen, oldRemaining);
    return 'applied';
  }

  /** This trade of this order's instrument and side was applied (reconciliation asks before reporting it). */
  hasFill(id: OrderId, tradeId: string): boolean {
    const o = this.byId.get(id);
    return o !== undefined && this.dedup.has(o.instrument * 2 + sideIndex(o.side), tradeId);
  }

  /** Applies one execution, once per (instrument, side, trade id); see fill-dedup.ts for why that key. */
  applyFill(id: OrderId, fill: FillReport): FillResult {
    const o = this.byId.get(id);
    if (o === undefined) return this.invalid(id, undefined, 'fill', 'unknown_order', fill.ts);
    const scope = o.instrument * 2 + sideIndex(o.side);
    const tradeId = fill.tradeId;
    if (typeof tradeId !== 'string' || tradeId.length === 0)
      return this.invalid(id, o.status, 'fill', 'bad_fill', fill.ts);
    if (this.dedup.has(scope, tradeId)) {
      this.count.duplicateFills++;
      return 'duplicate';
    }
    if (
      !isPositiveUnits(fill.price) ||
      !isPositiveUnits(fill.size) ||
      !Number.isFinite(fill.fee) ||
      typeof fill.feeCurrency !== 'string' ||
      !Number.isFinite(fill.ts)
    ) {
      return this.invalid(id, o.status, 'fill', 'bad_fill', fill.ts);
    }
    const target = transitionOf(o.status, 'fill');
    if (target === undefined || target === 'previous' || target === 'duplicate' || target === 'late') {
      return this.invalid(id, o.status, 'fill', 'no_transition', fill.ts);
    }
    if (o.filled + fill.size > o.size) return this.invalid(id, o.status, 'fill', 'overfill', fill.ts);

    const wasOpen = isOpen(o.status);
    const oldRemaining = o.remaining;
    o.avgFillPrice =
      o.filled === 0
        ? fill.price
        : (o.avgFillPrice * o.filled + fill.price * fill.size) / (o.filled + fill.size);
    o.filled += fill.size;
    if (o.filled === o.size) {
      o.status = 'Filled';
      o.requestedPrice = Number.NaN;
      o.requestedSize = Number.NaN;
    } else {
      // Still pending: a refused cancel/amend must now return to PartiallyFilled, not to the old status.
      if (isPending(o.status)) o.previousStatus = 'PartiallyFilled';
      o.status = target;
    }
    o.lastEvent = 'fill';
    o.updatedTs = fill.ts;
    this.dedup.add(scope, tradeId, fill.ts);
    this.settle(o, wasOpen, oldRemaining);
    return 'applied';
  }

  /** Open orders (see isOpen) of one instrument: a live array, order not preserved across removals. */
  openOf(instrument: number): readonly Readonly<ManagedOrder>[] {
    return this.open[instrument] ?? NO_ORDERS;
  }

  get openCount(): number {
    return this.openTotal;
  }

  /** Visits every open order; the visited order may leave the open set during the call, others may not. */
  forEachOpen(fn: (order: Readonly<ManagedOrder>) => void): void {
    for (const list of this.open) {
      for (let i = list.length - 1; i >= 0; i--) {
        const o = list[i];
        if (o !== undefined) fn(o);
      }
    }
  }

  /** Unfilled size units of the open orders on one instrument and side. */
  pendingSize(instrument: number, side: Side): number {
    return this.pending[instrument * 2 + sideIndex(side)] ?? 0;
  }

  private sendable(o: ManagedOrder): boolean {
    if (!isPositiveUnits(o.size)) return false;
    return o.type === 'market' ? Number.isNaN(o.price) : isPositiveUnits(o.price);
  }

  /** NaN means "unchanged"; a new size must be a positive integer not below what is filled. */
  private validAmend(o: ManagedOrder, price: number, size: number): boolean {
    if (!Number.isNaN(price) && (o.type === 'market' || !isPositiveUnits(price))) return false;
    if (!Number.isNaN(size) && (!isPositiveUnits(size) || size < o.filled)) return false;
    return true;
  }

  /** Keeps the open lists, pending sizes and history in step with the order's new status and size. */
  private settle(o: ManagedOrder, wasOpen: boolean, oldRemaining: number): void {
    const nowOpen = isOpen(o.status);
    const k = o.instrument * 2 + sideIndex(o.side);
    if (wasOpen) this.pending[k] = this.pending[k]! - oldRemaining;
    if (nowOpen) this.pending[k] = this.pending[k]! + o.remaining;
    if (nowOpen && !wasOpen) {
      const list = this.open[o.instrument]!;
      o.openIndex = list.length;
      list.push(o);
      this.openTotal++;
    } else if (!nowOpen && wasOpen) {
      const list = this.open[o.instrument]!;
      const last = list.pop()!;
      if (last !== o) {
        list[o.openIndex] = last;
        last.openIndex = o.openIndex;
      }
      o.openIndex = -1;
      this.openTotal--;
    }
    if (isTerminal(o.status) && !o.retired) this.retire(o);
  }

  private retire(o: ManagedOrder): void {
    o.retired = true;
    if (this.historyCount === this.historyLimit) {
      const oldest = this.byId.get(this.history[this.historyHead]!);
      if (oldest !== undefined) this.forget(oldest);
      this.historyHead = (this.historyHead + 1) % this.historyLimit;
      this.historyCount--;
      this.count.historyEvicted++;
    }
    this.history[(this.historyHead + this.historyCount) % this.historyLimit] = o.id;
    this.historyCount++;
  }

  private forget(o: ManagedOrder): void {
    this.byId.delete(o.id);
    this.byCid.delete(o.clientOrderId);
    if (o.venueOrderId !== undefined) this.byVid.get(o.exchange)?.delete(o.venueOrderId);
  }

  private invalid(
    id: OrderId,
    status: OrderStatus | undefined,
    event: OrderEvent,
    reason: InvalidReason,
    ts: Micros,
  ): 'invalid' {
    this.count.invalidTransitions++;
    if (this.onInvalid !== undefined) {
      const r = this.invalidRecord;
      r.orderId = id;
      r.status = status;
      r.event = event;
      r.reason = reason;
      r.ts = ts;
      this.onInvalid(r);
    }
    return 'invalid';
  }
}
