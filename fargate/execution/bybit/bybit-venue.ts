/**
 * The Bybit v5 execution adapter, linear and spot (an instrument's kind picks its `category`): the
 * execution-venue port over signed REST, order and fill updates from the private stream's `order`
 * and `execution` topics, and the account queries the reconciler uses.
 *
 * Bybit acknowledges create/amend/cancel asynchronously: the REST answer only says the request was
 * taken (it carries the orderId). So `accepted`, `canceled`, `expired` and stream-side rejections
 * come from order records (stream, or the REST query after a reconnect); `amended` from the amend
 * answer; fills only from execution records (`execType` Trade) — stream and, after a reconnect,
 * `/v5/execution/list` — each through a FillDedup (scope instrument × side, key `execId`), so a
 * fill seen on both paths, or sent twice, is reported once. A request whose fate is unknown
 * (timeout, 5xx, 10000/10016) is queried by orderLinkId before anything is decided.
 *
 * Status mapping (docs/execution.md, Bybit): New / Untriggered / Triggered / PartiallyFilled →
 * accepted; Filled → done; Cancelled / PartiallyFilledCanceled / Deactivated → canceled, except
 * `EC_PostOnlyWillTakeLiquidity` → rejected (post_only_cross) and an IOC/FOK remainder
 * (`EC_NoImmediateQtyToFill`, `EC_CancelForNoFullFill`, or IOC/FOK time in force) → expired;
 * Rejected → rejected.
 */
import type { Micros, Side } from '../../../core/market/events.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import { FillDedup } from '../../../core/oms/fill-dedup.ts';
import type { CheckedAmend, CheckedOrder } from '../../../core/risk/order-check.ts';
import type { OrderId } from '../../../core/strategy/order-types.ts';
import type { RejectReason } from '../../../core/strategy/reject-reason.ts';
import type { ExecutionReports, ExecutionVenue } from '../../../core/trading/execution-venue.ts';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { AccountQuery, VenueBalance, VenueFill, VenueOrder, VenuePosition } from '../account-query.ts';
import { VenueRequestError } from '../execution-outcome.ts';
import type { BybitRest } from './bybit-rest.ts';
import { type BybitCategory, categoryOf } from './category.ts';
import { bybitOrderParams } from './order-params.ts';
import {
  type BybitExecutionRecord,
  type BybitOrderRecord,
  parseExecutionRecord,
  parseOrderRecord,
} from './order-update.ts';

/** Bybit wallet balances carry up to 8 decimals here (UTA coin amounts). */
const BALANCE_DECIMALS = 8;
const EXPIRY_REASONS = new Set(['EC_NoImmediateQtyToFill', 'EC_CancelForNoFullFill']);
/** retCodes of the per-UID / per-IP request limits. */
const THROTTLE_CODES = new Set([10006, 10018, 10403, 10429, 20003]);

interface Tracked {
  readonly id: OrderId;
  readonly instrument: number;
  readonly side: Side;
  readonly orderLinkId: string;
  readonly ioc: boolean;
  orderId: string;
  price: number;
  size: number;
  acked: boolean;
  done: boolean;
  /** Filled size the venue's order records showed, and the size of the fills reported so far. */
  venueFilled: number;
  reported: number;
}

export interface BybitVenueCounters {
  fillsReported: number;
  /** Fills seen a second time (stream and REST, or a repeated message) and dropped. */
  duplicateFills: number;
  /** Requests whose result was unknown and were queried. */
  unknownQueried: number;
  /** Requests refused with a halt outcome (bad signature, bad key, no permission). */
  halts: number;
  streamEvents: number;
  malformedEvents: number;
  recoveries: number;
}

export interface BybitVenueOptions {
  readonly rest: BybitRest;
  readonly instruments: readonly Instrument[];
  /** Event time of reports, µs (the wall clock live). */
  readonly nowMicros: () => Micros;
  /** Told of every halt outcome (the OMS/circuit breaker stops the venue). */
  readonly onHalt?: (code: number, message: string) => void;
}

export class BybitVenue implements ExecutionVenue, AccountQuery {
  readonly id = 'bybit';
  readonly counters: BybitVenueCounters = {
    fillsReported: 0,
    duplicateFills: 0,
    unknownQueried: 0,
    halts: 0,
    streamEvents: 0,
    malformedEvents: 0,
    recoveries: 0,
  };
  readonly dedup = new FillDedup();
  private reports: ExecutionReports | undefined;
  private readonly orders = new Map<OrderId, Tracked>();
  private readonly byLinkId = new Map<string, Tracked>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: BybitVenueOptions) {}

  connect(reports: ExecutionReports): void {
    this.reports = reports;
  }

  /** Resolves when every request sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Orders we track that are not yet terminal. */
  get working(): number {
    let n = 0;
    for (const t of this.orders.values()) if (!t.done) n++;
    return n;
  }

  /** The categories of the adapter's instruments (which `dcp.*` products to arm). */
  get categories(): ReadonlySet<BybitCategory> {
    return new Set(this.options.instruments.filter((i) => i.exchange === this.id).map(categoryOf));
  }

  // --- ExecutionVenue ---------------------------------------------------------------------

  submit(order: CheckedOrder, clientOrderId: string, _now: Micros): void {
    this.place(order, clientOrderId, false);
  }

  /** Linear: a reduce-only order (the port's submit never sets it). Spot has none: refused here. */
  submitReduceOnly(order: CheckedOrder, clientOrderId: string): void {
    const inst = this.options.instruments[order.request.instrument];
    if (inst && categoryOf(inst) === 'spot') {
      this.reports?.rejected(order.request.id, 'venue_rejected', this.options.nowMicros());
      return;
    }
    this.place(order, clientOrderId, true);
  }

  cancel(orderId: OrderId, _clientOrderId: string, _now: Micros): void {
    const t = this.orders.get(orderId);
    if (!t || t.done) {
      this.reports?.requestRejected(orderId, 'unknown_order', false, this.options.nowMicros());
      return;
    }
    this.track(
      this.options.rest
        .signed('POST', '/v5/order/cancel', { ...this.where(t), orderLinkId: t.orderLinkId })
        .then(
          () => {
            // Confirmed by the order stream (Cancelled), or by the query after a reconnect.
          },
          (error: unknown) => this.requestFailed(t, error, false),
        ),
    );
  }

  amend(amend: CheckedAmend, _clientOrderId: string, _now: Micros): void {
    const r = amend.request;
    const t = this.orders.get(r.id);
    if (!t || t.done) {
      this.reports?.requestRejected(r.id, 'unknown_order', true, this.options.nowMicros());
      return;
    }
    const inst = this.options.instruments[t.instrument]!;
    this.track(
      this.options.rest
        .signed('POST', '/v5/order/amend', {
          ...this.where(t),
          orderLinkId: t.orderLinkId,
          qty: formatDecimalTrimmed(r.size, inst.sizeScale),
          price: formatDecimalTrimmed(r.price, inst.priceScale),
        })
        .then(
          () => {
            t.price = r.price;
            t.size = r.size;
            this.reports?.amended(t.id, r.price, r.size, this.options.nowMicros());
          },
          (error: unknown) => this.requestFailed(t, error, true),
        ),
    );
  }

  /**
   * Cancel every open order of every instrument (the kill path): `POST /v5/order/cancel-all` per
   * symbol with working orders here or at the venue. The orders the venue lists as cancelled are
   * reported canceled now; the stream's Cancelled records that follow are ignored (already done).
   */
  async cancelAll(): Promise<void> {
    const symbols = new Map<string, Instrument>();
    for (const t of this.orders.values()) {
      const inst = this.options.instruments[t.instrument]!;
      if (!t.done) symbols.set(inst.venueSymbol, inst);
    }
    for (const o of await this.openOrders()) {
      const inst = this.options.instruments[o.instrument]!;
      symbols.set(inst.venueSymbol, inst);
    }
    const answers = await Promise.all(
      [...symbols.values()].map((inst) =>
        this.options.rest.signed('POST', '/v5/order/cancel-all', {
          category: categoryOf(inst),
          symbol: inst.venueSymbol,
        }),
      ),
    );
    const now = this.options.nowMicros();
    for (const result of answers) {
      for (const item of listOf(result)) {
        const t = typeof item.orderLinkId === 'string' ? this.byLinkId.get(item.orderLinkId) : undefined;
        if (!t || t.done) continue;
        this.ackOnce(t);
        t.done = true;
        this.reports?.canceled(t.id, now);
      }
    }
  }

  // --- stream and recovery ----------------------------------------------------------------

  /** One private-stream push (`{"topic":"order"|"execution",…,"data":[…]}`). */
  onStreamFrame(frame: JsonObject): void {
    const topic = typeof frame.topic === 'string' ? frame.topic : '';
    const isOrder = topic === 'order' || topic.startsWith('order.');
    const isExecution =
      topic === 'execution' || (topic.startsWith('execution.') && topic !== 'execution.fast');
    if (!isOrder && !isExecution) return;
    if (!Array.isArray(frame.data)) {
      this.counters.malformedEvents++;
      return;
    }
    for (const item of frame.data) {
      this.counters.streamEvents++;
      const parsed = isObject(item)
        ? isOrder
          ? parseOrderRecord(item)
          : parseExecutionRecord(item)
        : undefined;
      if (!parsed) {
        this.counters.malformedEvents++;
        continue;
      }
      if ('execId' in parsed) this.applyExecution(parsed);
      else this.applyOrder(parsed);
    }
  }

  /**
   * After the stream reconnects (pushes sent while we were away are gone): query each order still
   * working, or showing more filled than we reported, for its executions and then its state.
   */
  async recover(): Promise<void> {
    this.counters.recoveries++;
    const rest = this.options.rest;
    const pending = [...this.orders.values()].filter((t) => !t.done || t.reported < t.venueFilled);
    for (const t of pending) {
      const execs = await rest.signed('GET', '/v5/execution/list', {
        ...this.where(t),
        ...(t.orderId ? { orderId: t.orderId } : { orderLinkId: t.orderLinkId }),
      });
      for (const item of listOf(execs)) {
        const e = parseExecutionRecord(item);
        if (e) this.applyExecution(e);
        else this.counters.malformedEvents++;
      }
      const orders = await rest.signed('GET', '/v5/order/realtime', {
        ...this.where(t),
        orderLinkId: t.orderLinkId,
      });
      for (const item of listOf(orders)) {
        const o = parseOrderRecord(item);
        if (o) this.applyOrder(o);
      }
    }
  }

  // --- AccountQuery -----------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const [instrument, i] of this.options.instruments.entries()) {
      if (i.exchange !== this.id) continue;
      const result = await this.options.rest.signed('GET', '/v5/order/realtime', {
        category: categoryOf(i),
        symbol: i.venueSymbol,
        openOnly: 0,
      });
      for (const item of listOf(result)) {
        const o = parseOrderRecord(item);
        if (!o || o.symbol !== i.venueSymbol || !isOpen(o.orderStatus)) continue;
        out.push({
          instrument,
          venueOrderId: o.orderId,
          clientOrderId: o.orderLinkId,
          side: o.side === 'Sell' ? 'sell' : 'buy',
          price: o.orderType === 'Market' ? Number.NaN : parseDecimal(o.price, i.priceScale),
          size: parseDecimal(o.qty, i.sizeScale),
          filled: parseDecimal(o.cumExecQty || '0', i.sizeScale),
        });
      }
    }
    return out;
  }

  async fills(sinceMs: number): Promise<VenueFill[]> {
    const out: VenueFill[] = [];
    for (const [i, inst] of this.options.instruments.entries()) {
      if (inst.exchange !== this.id) continue;
      const result = await this.options.rest.signed('GET', '/v5/execution/list', {
        category: categoryOf(inst),
        symbol: inst.venueSymbol,
        startTime: sinceMs,
      });
      for (const item of listOf(result)) {
        const e = parseExecutionRecord(item);
        if (e?.execType !== 'Trade') continue;
        out.push({
          instrument: i,
          venueOrderId: e.orderId,
          tradeId: e.execId,
          side: e.side === 'Sell' ? 'sell' : 'buy',
          price: parseDecimal(e.execPrice, inst.priceScale),
          size: parseDecimal(e.execQty, inst.sizeScale),
          fee: e.execFee,
          feeAsset: e.feeCurrency || inst.quote,
          maker: e.isMaker,
          timeMs: e.execTimeMs,
        });
      }
    }
    return out;
  }

  /** Unified account coins: free = walletBalance − locked (spot orders) − totalOrderIM (linear orders). */
  async balances(): Promise<VenueBalance[]> {
    const result = await this.options.rest.signed('GET', '/v5/account/wallet-balance', {
      accountType: 'UNIFIED',
    });
    const out: VenueBalance[] = [];
    for (const account of listOf(result)) {
      if (!Array.isArray(account.coin)) continue;
      for (const c of account.coin) {
        if (!isObject(c) || typeof c.coin !== 'string' || typeof c.walletBalance !== 'string') continue;
        const wallet = parseDecimal(c.walletBalance, BALANCE_DECIMALS);
        const held = amount(c.locked) + (typeof c.totalOrderIM === 'string' ? amount(c.totalOrderIM) : 0);
        if (!Number.isFinite(wallet) || !Number.isFinite(held)) {
          this.counters.malformedEvents++;
          continue;
        }
        out.push({
          asset: c.coin,
          free: formatDecimalTrimmed(wallet - held, BALANCE_DECIMALS),
          locked: formatDecimalTrimmed(held, BALANCE_DECIMALS),
        });
      }
    }
    return out;
  }

  /** Linear positions (one-way mode: `side` Buy/Sell gives the sign); spot has none. */
  async positions(): Promise<VenuePosition[]> {
    const out: VenuePosition[] = [];
    for (const [i, inst] of this.options.instruments.entries()) {
      if (inst.exchange !== this.id || categoryOf(inst) !== 'linear') continue;
      const result = await this.options.rest.signed('GET', '/v5/position/list', {
        category: 'linear',
        symbol: inst.venueSymbol,
      });
      for (const p of listOf(result)) {
        if (p.symbol !== inst.venueSymbol || typeof p.size !== 'string') continue;
        const size = parseDecimal(p.size, inst.sizeScale);
        if (!(size > 0)) continue;
        out.push({
          instrument: i,
          size: p.side === 'Sell' ? -size : size,
          entryPrice: typeof p.avgPrice === 'string' ? p.avgPrice : '0',
        });
      }
    }
    return out;
  }

  async cancelVenueOrder(order: VenueOrder): Promise<void> {
    const inst = this.options.instruments[order.instrument];
    if (!inst) return;
    await this.options.rest.signed('POST', '/v5/order/cancel', {
      category: categoryOf(inst),
      symbol: inst.venueSymbol,
      orderId: order.venueOrderId,
    });
  }

  adopt(orderId: OrderId, order: VenueOrder): void {
    const t: Tracked = {
      id: orderId,
      instrument: order.instrument,
      side: order.side,
      orderLinkId: order.clientOrderId,
      ioc: false,
      orderId: order.venueOrderId,
      price: order.price,
      size: order.size,
      acked: true,
      done: false,
      venueFilled: order.filled,
      reported: order.filled,
    };
    this.orders.set(orderId, t);
    this.byLinkId.set(order.clientOrderId, t);
  }

  /** The venue's record of one order, by orderLinkId (undefined when it has none). */
  async queryOrder(orderId: OrderId): Promise<JsonObject | undefined> {
    const t = this.orders.get(orderId);
    if (!t) return undefined;
    const result = await this.options.rest.signed('GET', '/v5/order/realtime', {
      ...this.where(t),
      orderLinkId: t.orderLinkId,
    });
    return listOf(result)[0];
  }

  // --- internals --------------------------------------------------------------------------

  private place(order: CheckedOrder, orderLinkId: string, reduceOnly: boolean): void {
    const r = order.request;
    const inst = this.options.instruments[r.instrument];
    if (!inst) {
      this.reports?.rejected(r.id, 'unknown_instrument', this.options.nowMicros());
      return;
    }
    if (this.options.rest.banned) {
      this.reports?.rejected(r.id, 'trading_halted', this.options.nowMicros());
      return;
    }
    const t: Tracked = {
      id: r.id,
      instrument: r.instrument,
      side: r.side,
      orderLinkId,
      ioc: r.ioc || r.type === 'market',
      orderId: '',
      price: r.price,
      size: r.size,
      acked: false,
      done: false,
      venueFilled: 0,
      reported: 0,
    };
    this.orders.set(r.id, t);
    this.byLinkId.set(orderLinkId, t);
    this.track(
      this.options.rest
        .signed('POST', '/v5/order/create', bybitOrderParams(r, inst, orderLinkId, reduceOnly))
        .then(
          (result) => {
            if (isObject(result) && typeof result.orderId === 'string' && !t.orderId)
              t.orderId = result.orderId;
          },
          (error: unknown) => this.requestFailed(t, error, undefined),
        ),
    );
  }

  /** `isAmend` undefined: a new order. */
  private requestFailed(t: Tracked, error: unknown, isAmend: boolean | undefined): void {
    if (!(error instanceof VenueRequestError)) {
      this.queryUnknown(t);
      return;
    }
    const o = error.outcome;
    if (o.kind === 'halt') {
      this.counters.halts++;
      this.options.onHalt?.(o.code, o.message);
    }
    if (o.kind === 'unknown-status') {
      this.queryUnknown(t);
      return;
    }
    const reason: RejectReason =
      o.kind === 'reject'
        ? o.reason
        : o.kind === 'halt'
          ? 'trading_halted'
          : THROTTLE_CODES.has(o.code) || error.httpStatus === 429 || error.httpStatus === 403
            ? 'order_rate'
            : 'venue_rejected';
    const now = this.options.nowMicros();
    if (isAmend === undefined) {
      if (t.done) return;
      t.done = true;
      this.reports?.rejected(t.id, reason, now);
    } else this.reports?.requestRejected(t.id, reason, isAmend, now);
  }

  private queryUnknown(t: Tracked): void {
    this.counters.unknownQueried++;
    this.track(
      this.queryOrder(t.id).then(
        (item) => {
          const o = item ? parseOrderRecord(item) : undefined;
          if (o) this.applyOrder(o);
        },
        () => {
          // Still unknown: the stream or the next reconciliation decides.
        },
      ),
    );
  }

  private applyOrder(o: BybitOrderRecord): void {
    const t = this.byLinkId.get(o.orderLinkId);
    if (!t) return; // not ours (another session's order): the reconciler adopts or cancels it
    if (o.orderId) t.orderId = o.orderId;
    const inst = this.options.instruments[t.instrument]!;
    const cum = o.cumExecQty ? parseDecimal(o.cumExecQty, inst.sizeScale) : 0;
    if (cum > t.venueFilled) t.venueFilled = cum;
    if (t.done) return;
    const now = this.options.nowMicros();
    switch (o.orderStatus) {
      case 'New':
      case 'Untriggered':
      case 'Triggered':
      case 'PartiallyFilled':
        this.ackOnce(t);
        return;
      case 'Filled':
        this.ackOnce(t);
        t.done = true;
        return;
      case 'Cancelled':
      case 'PartiallyFilledCanceled':
      case 'Deactivated':
        t.done = true;
        if (o.rejectReason === 'EC_PostOnlyWillTakeLiquidity' && !t.acked) {
          this.reports?.rejected(t.id, 'post_only_cross', now);
          return;
        }
        this.ackOnce(t);
        if (EXPIRY_REASONS.has(o.rejectReason) || o.timeInForce === 'IOC' || o.timeInForce === 'FOK' || t.ioc)
          this.reports?.expired(t.id, now);
        else this.reports?.canceled(t.id, now);
        return;
      case 'Rejected':
        t.done = true;
        this.reports?.rejected(t.id, 'venue_rejected', now);
        return;
      default:
        return;
    }
  }

  private applyExecution(e: BybitExecutionRecord): void {
    const t = this.byLinkId.get(e.orderLinkId);
    if (!t || e.execType !== 'Trade') return;
    if (e.orderId) t.orderId = e.orderId;
    const scope = t.instrument * 2 + (t.side === 'buy' ? 0 : 1);
    if (this.dedup.has(scope, e.execId)) {
      this.counters.duplicateFills++;
      return;
    }
    const inst = this.options.instruments[t.instrument]!;
    const price = parseDecimal(e.execPrice, inst.priceScale);
    const size = parseDecimal(e.execQty, inst.sizeScale);
    if (!(size > 0) || !(price > 0)) {
      this.counters.malformedEvents++;
      return;
    }
    const ts = e.execTimeMs > 0 ? e.execTimeMs * 1000 : this.options.nowMicros();
    this.dedup.add(scope, e.execId, ts);
    this.ackOnce(t);
    this.counters.fillsReported++;
    t.reported += size;
    const fee = Number(e.execFee);
    this.reports?.filled(
      t.id,
      e.execId,
      price,
      size,
      Number.isFinite(fee) ? fee : 0,
      e.feeCurrency || inst.quote,
      e.isMaker,
      ts,
    );
  }

  private ackOnce(t: Tracked): void {
    if (t.acked) return;
    t.acked = true;
    this.reports?.accepted(t.id, t.orderId, this.options.nowMicros());
  }

  private where(t: Tracked): { category: BybitCategory; symbol: string } {
    const inst = this.options.instruments[t.instrument]!;
    return { category: categoryOf(inst), symbol: inst.venueSymbol };
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

function isOpen(status: string): boolean {
  return status === 'New' || status === 'PartiallyFilled' || status === 'Untriggered';
}

/** `result.list` of a Bybit answer, objects only. */
function listOf(result: unknown): JsonObject[] {
  if (!isObject(result) || !Array.isArray(result.list)) return [];
  return result.list.filter(isObject);
}

function amount(v: unknown): number {
  return typeof v === 'string' && v !== '' ? parseDecimal(v, BALANCE_DECIMALS) : 0;
}
