/**
 * The orders one venue adapter has sent and what it has told the kernel of them, for the adapters
 * whose fills come by a private stream and the REST fill history (Kraken, KuCoin, Coinbase):
 * `accepted` once per order, each venue trade passed through a FillDedup (scope instrument × side,
 * key the venue's trade id) so a fill seen by the stream and a poll, or listed twice, is reported once; terminal states
 * reported once. A failed request becomes a reject, a request rejection, or (outcome unknown) a
 * query the adapter makes.
 */
import type { Micros, Side } from '../../core/market/events.ts';
import { FillDedup } from '../../core/oms/fill-dedup.ts';
import type { OrderId } from '../../core/strategy/order-types.ts';
import type { RejectReason } from '../../core/strategy/reject-reason.ts';
import type { ExecutionReports } from '../../core/trading/execution-venue.ts';
import type { VenueOrder } from './account-query.ts';
import { VenueRequestError } from './execution-outcome.ts';

export interface TrackedOrder {
  readonly id: OrderId;
  readonly instrument: number;
  readonly side: Side;
  readonly clientOrderId: string;
  venueOrderId: string;
  readonly price: number;
  readonly size: number;
  acked: boolean;
  done: boolean;
  /** Size of the fills reported so far. */
  reported: number;
  /** Wall time the order was sent, ms (the cancel penalty of some venues depends on its age). */
  readonly sentAtMs: number;
}

export interface TrackerCounters {
  fillsReported: number;
  /** Fills seen a second time (two polls, a listed duplicate) and dropped. */
  duplicateFills: number;
  malformedFills: number;
  /** Requests whose result was unknown and were queried. */
  unknownQueried: number;
  /** Requests refused with a halt outcome (bad signature, bad key, ban). */
  halts: number;
}

export interface FillInput {
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
  /** Fee as the venue wrote it (decimal string). */
  readonly fee: string;
  readonly feeAsset: string;
  readonly maker: boolean;
  /** Venue time, ms (0: unknown, reported at our clock). */
  readonly timeMs: number;
}

export class OrderTracker {
  readonly counters: TrackerCounters = {
    fillsReported: 0,
    duplicateFills: 0,
    malformedFills: 0,
    unknownQueried: 0,
    halts: 0,
  };
  readonly dedup = new FillDedup();
  reports: ExecutionReports | undefined;
  private readonly orders = new Map<OrderId, TrackedOrder>();
  private readonly byClient = new Map<string, TrackedOrder>();
  private readonly byVenue = new Map<string, TrackedOrder>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nowMicros: () => Micros,
    private readonly onHalt?: (code: number, message: string) => void,
  ) {}

  add(
    id: OrderId,
    instrument: number,
    side: Side,
    clientOrderId: string,
    price: number,
    size: number,
  ): TrackedOrder {
    const t: TrackedOrder = {
      id,
      instrument,
      side,
      clientOrderId,
      venueOrderId: '',
      price,
      size,
      acked: false,
      done: false,
      reported: 0,
      sentAtMs: Math.floor(this.nowMicros() / 1000),
    };
    this.orders.set(id, t);
    this.byClient.set(clientOrderId, t);
    return t;
  }

  /** An order reconciliation adopted: acked, its fills so far already counted by the OMS. */
  adopt(id: OrderId, order: VenueOrder): TrackedOrder {
    const t = this.add(id, order.instrument, order.side, order.clientOrderId, order.price, order.size);
    t.acked = true;
    t.reported = order.filled;
    this.setVenueId(t, order.venueOrderId);
    return t;
  }

  get(id: OrderId): TrackedOrder | undefined {
    return this.orders.get(id);
  }

  byClientId(clientOrderId: string): TrackedOrder | undefined {
    return this.byClient.get(clientOrderId);
  }

  byVenueId(venueOrderId: string): TrackedOrder | undefined {
    return this.byVenue.get(venueOrderId);
  }

  setVenueId(t: TrackedOrder, venueOrderId: string): void {
    if (!venueOrderId || t.venueOrderId === venueOrderId) return;
    t.venueOrderId = venueOrderId;
    this.byVenue.set(venueOrderId, t);
  }

  /** Orders not yet terminal. */
  working(): TrackedOrder[] {
    return [...this.orders.values()].filter((t) => !t.done);
  }

  ack(t: TrackedOrder): void {
    if (t.acked) return;
    t.acked = true;
    this.reports?.accepted(t.id, t.venueOrderId, this.nowMicros());
  }

  /** One venue trade of `t`; false when it was a duplicate or malformed. */
  fill(t: TrackedOrder, f: FillInput): boolean {
    const scope = t.instrument * 2 + (t.side === 'buy' ? 0 : 1);
    if (this.dedup.has(scope, f.tradeId)) {
      this.counters.duplicateFills++;
      return false;
    }
    if (!(f.size > 0) || !(f.price > 0) || !Number.isSafeInteger(f.size) || !Number.isSafeInteger(f.price)) {
      this.counters.malformedFills++;
      return false;
    }
    const ts = f.timeMs > 0 ? f.timeMs * 1000 : this.nowMicros();
    this.dedup.add(scope, f.tradeId, ts);
    this.ack(t);
    this.counters.fillsReported++;
    t.reported += f.size;
    this.reports?.filled(t.id, f.tradeId, f.price, f.size, Number(f.fee) || 0, f.feeAsset, f.maker, ts);
    return true;
  }

  /** Terminal without a report of its own (fully filled: the fills said it). */
  finished(t: TrackedOrder): void {
    this.ack(t);
    t.done = true;
  }

  canceled(t: TrackedOrder): void {
    if (t.done) return;
    this.ack(t);
    t.done = true;
    this.reports?.canceled(t.id, this.nowMicros());
  }

  expired(t: TrackedOrder): void {
    if (t.done) return;
    this.ack(t);
    t.done = true;
    this.reports?.expired(t.id, this.nowMicros());
  }

  rejected(t: TrackedOrder, reason: RejectReason): void {
    if (t.done) return;
    t.done = true;
    this.reports?.rejected(t.id, reason, this.nowMicros());
  }

  /**
   * A request that failed: `isAmend` undefined for a new order (terminal reject), else a cancel or
   * amend the venue refused. Returns true when the outcome is unknown and the caller must query.
   */
  failed(t: TrackedOrder, error: unknown, isAmend: boolean | undefined): boolean {
    if (!(error instanceof VenueRequestError)) {
      this.counters.unknownQueried++;
      return true;
    }
    const o = error.outcome;
    if (o.kind === 'halt') {
      this.counters.halts++;
      this.onHalt?.(o.code, o.message);
    }
    if (o.kind === 'unknown-status') {
      this.counters.unknownQueried++;
      return true;
    }
    const reason: RejectReason =
      o.kind === 'reject'
        ? o.reason
        : o.kind === 'halt'
          ? 'trading_halted'
          : o.kind === 'retry'
            ? 'order_rate'
            : 'venue_rejected';
    if (isAmend === undefined) this.rejected(t, reason);
    else this.reports?.requestRejected(t.id, reason, isAmend, this.nowMicros());
    return false;
  }

  /** A request the port cannot make (no tracked order, or one already terminal). */
  refuseRequest(id: OrderId, reason: RejectReason, isAmend: boolean): void {
    this.reports?.requestRejected(id, reason, isAmend, this.nowMicros());
  }

  refuseOrder(id: OrderId, reason: RejectReason): void {
    this.reports?.rejected(id, reason, this.nowMicros());
  }

  track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Resolves when every request sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
