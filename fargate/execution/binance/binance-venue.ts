/**
 * The Binance execution adapter (spot and USD-M, chosen by `market`): the execution-venue port over
 * signed REST, order and fill updates from the user-data stream, and the account queries the
 * reconciler uses.
 *
 * Reports: `accepted` once per order (REST answer or stream NEW, whichever comes first); fills only
 * from trade events — the stream's TRADE events and, after a stream reconnect, the REST trade
 * query — each passed through a FillDedup (scope instrument × side, key the venue trade id), so a
 * fill seen on both paths is reported once. A request whose outcome is unknown (timeout, 5xx,
 * -1007) is queried by client id before anything else is decided.
 */
import type { Micros, Side } from '../../../core/market/events.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import { FillDedup } from '../../../core/oms/fill-dedup.ts';
import type { CheckedAmend, CheckedOrder } from '../../../core/risk/order-check.ts';
import type { OrderId } from '../../../core/strategy/order-types.ts';
import type { ExecutionReports, ExecutionVenue } from '../../../core/trading/execution-venue.ts';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { AccountQuery, VenueBalance, VenueFill, VenueOrder, VenuePosition } from '../account-query.ts';
import { VenueRequestError } from '../execution-outcome.ts';
import type { BinanceMarket } from './binance-market.ts';
import type { BinanceRest, Params } from './binance-rest.ts';
import { decimalString, type ExecutionEvent, parseExecutionEvent, venueMs } from './execution-event.ts';
import { orderParams } from './order-params.ts';

/** Binance balances carry up to 8 decimals. */
const BALANCE_DECIMALS = 8;
const THROTTLE_CODES = new Set([-1003, -1015]);

interface Tracked {
  readonly id: OrderId;
  readonly instrument: number;
  readonly side: Side;
  clientOrderId: string;
  venueOrderId: string;
  price: number;
  size: number;
  acked: boolean;
  done: boolean;
  /** Filled size the venue's REST answers showed, and the size of the fills reported so far. */
  venueFilled: number;
  reported: number;
  amends: number;
  /**
   * Spot: client ids of legs a cancel-replace superseded. Their cancel reports end the old leg, not
   * the order (it lives on as the new leg); their fills still count.
   */
  superseded?: Set<string>;
  /** Spot: the cancel-replace in flight, settled when the venue has answered it. */
  replacing?: Promise<void> | undefined;
}

export interface BinanceVenueCounters {
  fillsReported: number;
  /** Fills seen a second time (stream and REST) and dropped. */
  duplicateFills: number;
  /** Requests whose result was unknown and were queried. */
  unknownQueried: number;
  /** Requests refused with a halt outcome (bad signature, bad key, ban). */
  halts: number;
  streamEvents: number;
  malformedEvents: number;
  recoveries: number;
}

export interface BinanceVenueOptions {
  readonly exchange: 'binance' | 'binance-futures';
  readonly market: BinanceMarket;
  readonly rest: BinanceRest;
  readonly instruments: readonly Instrument[];
  /** Event time of reports, µs (the wall clock live). */
  readonly nowMicros: () => Micros;
  /** Told of every halt outcome (the OMS/circuit breaker stops the venue). */
  readonly onHalt?: (code: number, message: string) => void;
}

export class BinanceVenue implements ExecutionVenue, AccountQuery {
  readonly id: string;
  readonly counters: BinanceVenueCounters = {
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
  private readonly byClientId = new Map<string, Tracked>();
  /** Every venue order id an order has had (spot cancel-replace gives it a new one; its old fills keep the old). */
  private readonly byVenueId = new Map<string, Tracked>();
  private readonly bySymbol = new Map<string, number>();
  /**
   * This venue's instruments with their index in the kernel's list: the adapter takes the kernel's
   * whole list (orders carry its indices) and asks the venue only about its own exchange's symbols.
   */
  private readonly own: ReadonlyArray<readonly [number, Instrument]>;
  /** Requests in flight (tests and shutdown wait for them). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: BinanceVenueOptions) {
    this.id = options.exchange;
    this.own = [...options.instruments.entries()].filter(([, inst]) => inst.exchange === options.exchange);
    for (const [i, inst] of this.own) this.bySymbol.set(inst.venueSymbol, i);
  }

  connect(reports: ExecutionReports): void {
    this.reports = reports;
  }

  /** Resolves when every request sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Open orders we track (not yet terminal). */
  get working(): number {
    let n = 0;
    for (const t of this.orders.values()) if (!t.done) n++;
    return n;
  }

  // --- ExecutionVenue ---------------------------------------------------------------------

  submit(order: CheckedOrder, clientOrderId: string, _now: Micros): void {
    this.place(order, clientOrderId, false);
  }

  /** USD-M: a reduce-only order (the port's submit never sets it). */
  submitReduceOnly(order: CheckedOrder, clientOrderId: string): void {
    this.place(order, clientOrderId, true);
  }

  cancel(orderId: OrderId, clientOrderId: string, _now: Micros): void {
    const t = this.orders.get(orderId);
    if (!t) {
      this.reports?.requestRejected(orderId, 'unknown_order', false, this.options.nowMicros());
      return;
    }
    const { market, rest } = this.options;
    const symbol = this.symbolOf(t);
    const send = (): Promise<void> =>
      rest
        .signed(
          'DELETE',
          market.orderPath,
          { symbol, origClientOrderId: t.clientOrderId || clientOrderId },
          market.weights.order,
        )
        .then(
          (body) => {
            if (isObject(body)) this.applyOrderState(t, body);
          },
          (error: unknown) => this.requestFailed(t, error, false),
        );
    // A spot cancel-replace in flight: cancel whichever leg it leaves live, once it has answered
    // (cancelling the old leg now would leave the new one resting on the venue).
    this.track(t.replacing ? t.replacing.then(send, send) : send());
  }

  amend(amend: CheckedAmend, _clientOrderId: string, _now: Micros): void {
    const r = amend.request;
    const t = this.orders.get(r.id);
    if (!t || t.done) {
      this.reports?.requestRejected(r.id, 'unknown_order', true, this.options.nowMicros());
      return;
    }
    const { market, rest } = this.options;
    const inst = this.options.instruments[t.instrument]!;
    const price = formatDecimalTrimmed(r.price, inst.priceScale);
    const quantity = formatDecimalTrimmed(r.size, inst.sizeScale);
    const symbol = inst.venueSymbol;
    const side = t.side === 'buy' ? 'BUY' : 'SELL';
    let request: Promise<unknown>;
    if (market.futures) {
      request = rest.signed(
        'PUT',
        market.orderPath,
        { symbol, origClientOrderId: t.clientOrderId, side, quantity, price },
        market.weights.order,
      );
    } else {
      // Spot: cancel-replace under a new client id (the new order is a new venue order). The old
      // leg is superseded before sending: its cancel report may arrive before the REST answer.
      const oldClientOrderId = t.clientOrderId;
      const newClientOrderId = amendedClientId(t.clientOrderId, ++t.amends);
      t.superseded ??= new Set();
      t.superseded.add(oldClientOrderId);
      this.byClientId.set(newClientOrderId, t);
      request = rest
        .signed(
          'POST',
          '/api/v3/order/cancelReplace',
          {
            symbol,
            side,
            type: 'LIMIT',
            timeInForce: 'GTC',
            cancelReplaceMode: 'STOP_ON_FAILURE',
            cancelOrigClientOrderId: t.clientOrderId,
            newClientOrderId,
            quantity,
            price,
          },
          market.weights.order,
        )
        .then((body) => {
          t.clientOrderId = newClientOrderId;
          const resp = isObject(body) && isObject(body.newOrderResponse) ? body.newOrderResponse : undefined;
          if (resp && typeof resp.orderId === 'number') this.setVenueId(t, String(resp.orderId));
          return body;
        })
        .catch((error: unknown) => {
          // STOP_ON_FAILURE: the old leg was not cancelled and is still the order.
          t.superseded?.delete(oldClientOrderId);
          throw error;
        });
      const settled = request.then(
        () => undefined,
        () => undefined,
      );
      t.replacing = settled;
      void settled.then(() => {
        if (t.replacing === settled) t.replacing = undefined;
      });
    }
    this.track(
      request.then(
        () => {
          t.price = r.price;
          t.size = r.size;
          this.reports?.amended(t.id, r.price, r.size, this.options.nowMicros());
        },
        (error: unknown) => this.requestFailed(t, error, true),
      ),
    );
  }

  /** Cancel every open order on every instrument (the kill path). */
  async cancelAll(): Promise<void> {
    const { market, rest } = this.options;
    const symbols = new Set<string>();
    for (const t of this.orders.values()) if (!t.done) symbols.add(this.symbolOf(t));
    for (const o of await this.openOrders()) symbols.add(this.options.instruments[o.instrument]!.venueSymbol);
    await Promise.all(
      [...symbols].map((symbol) =>
        rest.signed('DELETE', market.cancelAllPath, { symbol }, market.weights.order),
      ),
    );
    const now = this.options.nowMicros();
    for (const t of this.orders.values()) {
      if (!t.done) {
        t.done = true;
        this.reports?.canceled(t.id, now);
      }
    }
  }

  // --- stream and recovery ----------------------------------------------------------------

  /** One order update from the user-data stream (the raw event object). */
  onStreamEvent(raw: JsonObject): void {
    this.counters.streamEvents++;
    const e = parseExecutionEvent(raw);
    if (!e) {
      this.counters.malformedEvents++;
      return;
    }
    this.apply(e);
  }

  /**
   * After the stream reconnects (events may have been missed): query each order still working and
   * its trades; fills go through the same de-duplication as stream fills.
   */
  async recover(): Promise<void> {
    this.counters.recoveries++;
    const { market, rest } = this.options;
    // Terminal orders too, while the venue showed more filled than we reported (a lost fill message).
    const working = [...this.orders.values()].filter((t) => !t.done || t.reported < t.venueFilled);
    for (const t of working) {
      const symbol = this.symbolOf(t);
      const trades = await rest.signed(
        'GET',
        market.tradesPath,
        { symbol, ...(t.venueOrderId ? { orderId: t.venueOrderId } : {}) },
        market.weights.trades,
      );
      if (Array.isArray(trades)) for (const tr of trades) if (isObject(tr)) this.applyTrade(t, tr);
      const order = await rest.signed(
        'GET',
        market.orderPath,
        { symbol, origClientOrderId: t.clientOrderId },
        market.weights.query,
      );
      if (isObject(order)) this.applyOrderState(t, order);
    }
  }

  // --- AccountQuery -----------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    const { market, rest } = this.options;
    const out: VenueOrder[] = [];
    for (const [, inst] of this.own) {
      const list = await rest.signed(
        'GET',
        market.openOrdersPath,
        { symbol: inst.venueSymbol },
        market.weights.openOrders,
      );
      if (!Array.isArray(list)) continue;
      for (const o of list) {
        if (!isObject(o)) continue;
        const instrument = this.bySymbol.get(String(o.symbol));
        if (instrument === undefined) continue;
        const ours = this.byVenueId.get(String(o.orderId)) ?? this.byClientId.get(String(o.clientOrderId));
        out.push({
          ...(ours ? { orderId: ours.id } : {}),
          instrument,
          venueOrderId: String(o.orderId),
          clientOrderId: String(o.clientOrderId),
          side: o.side === 'SELL' ? 'sell' : 'buy',
          price: o.type === 'MARKET' ? Number.NaN : parseDecimal(decimalString(o.price), inst.priceScale),
          size: parseDecimal(decimalString(o.origQty), inst.sizeScale),
          filled: parseDecimal(decimalString(o.executedQty), inst.sizeScale),
        });
      }
    }
    return out;
  }

  async fills(sinceMs: number): Promise<VenueFill[]> {
    const { market, rest } = this.options;
    const out: VenueFill[] = [];
    for (const [i, inst] of this.own) {
      const list = await rest.signed(
        'GET',
        market.tradesPath,
        { symbol: inst.venueSymbol, startTime: String(sinceMs) },
        market.weights.trades,
      );
      if (!Array.isArray(list)) continue;
      for (const tr of list) {
        if (!isObject(tr)) continue;
        const ours = this.byVenueId.get(String(tr.orderId));
        out.push({
          ...(ours ? { orderId: ours.id } : {}),
          instrument: i,
          venueOrderId: String(tr.orderId),
          tradeId: String(tr.id),
          side: tradeSide(tr),
          price: parseDecimal(decimalString(tr.price), inst.priceScale),
          size: parseDecimal(decimalString(tr.qty), inst.sizeScale),
          fee: String(tr.commission ?? '0'),
          feeAsset: String(tr.commissionAsset ?? ''),
          maker: tr.maker === true || tr.isMaker === true,
          timeMs: venueMs(tr.time),
        });
      }
    }
    return out;
  }

  async balances(): Promise<VenueBalance[]> {
    const { market, rest } = this.options;
    const body = await rest.signed(
      'GET',
      market.balancePath,
      market.futures ? {} : { omitZeroBalances: 'true' },
      market.weights.balance,
    );
    const list = market.futures ? body : isObject(body) ? body.balances : undefined;
    if (!Array.isArray(list)) return [];
    const out: VenueBalance[] = [];
    for (const b of list) {
      if (!isObject(b) || typeof b.asset !== 'string') continue;
      if (market.futures) {
        const total = b.balance === undefined ? '0' : decimalString(b.balance);
        const free = b.availableBalance === undefined ? total : decimalString(b.availableBalance);
        const locked = parseDecimal(total, BALANCE_DECIMALS) - parseDecimal(free, BALANCE_DECIMALS);
        if (!Number.isFinite(locked)) {
          this.counters.malformedEvents++;
          continue;
        }
        out.push({ asset: b.asset, free, locked: formatDecimalTrimmed(locked, BALANCE_DECIMALS) });
      } else out.push({ asset: b.asset, free: String(b.free), locked: String(b.locked) });
    }
    return out;
  }

  async positions(): Promise<VenuePosition[]> {
    const { market, rest } = this.options;
    if (!market.futures) return [];
    const list = await rest.signed('GET', '/fapi/v3/positionRisk', {}, 5);
    if (!Array.isArray(list)) return [];
    const out: VenuePosition[] = [];
    for (const p of list) {
      if (!isObject(p)) continue;
      const instrument = this.bySymbol.get(String(p.symbol));
      if (instrument === undefined) continue;
      const inst = this.options.instruments[instrument]!;
      out.push({
        instrument,
        size: parseDecimal(decimalString(p.positionAmt), inst.sizeScale),
        entryPrice: String(p.entryPrice),
      });
    }
    return out;
  }

  async cancelVenueOrder(order: VenueOrder): Promise<void> {
    const { market, rest } = this.options;
    const inst = this.options.instruments[order.instrument];
    if (!inst) return;
    await rest.signed(
      'DELETE',
      market.orderPath,
      { symbol: inst.venueSymbol, orderId: order.venueOrderId },
      market.weights.order,
    );
  }

  adopt(orderId: OrderId, order: VenueOrder): void {
    const t: Tracked = {
      id: orderId,
      instrument: order.instrument,
      side: order.side,
      clientOrderId: order.clientOrderId,
      venueOrderId: order.venueOrderId,
      price: order.price,
      size: order.size,
      acked: true,
      done: false,
      venueFilled: order.filled,
      reported: order.filled,
      amends: 0,
    };
    this.orders.set(orderId, t);
    this.byClientId.set(order.clientOrderId, t);
    this.byVenueId.set(order.venueOrderId, t);
  }

  /** Query one order by client id (the venue's view). */
  queryOrder(orderId: OrderId): Promise<unknown> {
    const t = this.orders.get(orderId);
    if (!t) return Promise.resolve(undefined);
    const { market, rest } = this.options;
    return rest.signed(
      'GET',
      market.orderPath,
      { symbol: this.symbolOf(t), origClientOrderId: t.clientOrderId },
      market.weights.query,
    );
  }

  // --- internals --------------------------------------------------------------------------

  private place(order: CheckedOrder, clientOrderId: string, reduceOnly: boolean): void {
    const r = order.request;
    const inst = this.options.instruments[r.instrument];
    if (!inst) {
      this.reports?.rejected(r.id, 'unknown_instrument', this.options.nowMicros());
      return;
    }
    if (this.options.rest.options.governor.banned) {
      // 418: the IP is banned until Retry-After; sending more would extend the ban.
      this.reports?.rejected(r.id, 'trading_halted', this.options.nowMicros());
      return;
    }
    const t: Tracked = {
      id: r.id,
      instrument: r.instrument,
      side: r.side,
      clientOrderId,
      venueOrderId: '',
      price: r.price,
      size: r.size,
      acked: false,
      done: false,
      venueFilled: 0,
      reported: 0,
      amends: 0,
    };
    this.orders.set(r.id, t);
    this.byClientId.set(clientOrderId, t);
    const { market, rest } = this.options;
    const params: Params = orderParams(r, inst, clientOrderId, market.futures, reduceOnly);
    this.track(
      rest.signed('POST', market.orderPath, params, market.weights.order).then(
        (body) => {
          if (isObject(body)) this.applyOrderState(t, body);
        },
        (error: unknown) => this.requestFailed(t, error, undefined),
      ),
    );
  }

  /** `isAmend` undefined: a new order. */
  private requestFailed(t: Tracked, error: unknown, isAmend: boolean | undefined): void {
    const now = this.options.nowMicros();
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
    const reason =
      o.kind === 'reject'
        ? o.reason
        : o.kind === 'halt'
          ? 'trading_halted'
          : THROTTLE_CODES.has(o.code) || error.httpStatus === 429
            ? 'order_rate'
            : 'venue_rejected';
    if (isAmend === undefined) {
      t.done = true;
      this.reports?.rejected(t.id, reason, now);
    } else this.reports?.requestRejected(t.id, reason, isAmend, now);
  }

  private queryUnknown(t: Tracked): void {
    this.counters.unknownQueried++;
    this.track(
      this.queryOrder(t.id).then(
        (body) => {
          if (isObject(body)) this.applyOrderState(t, body);
        },
        () => {
          // Still unknown: the stream or the next reconciliation decides.
        },
      ),
    );
  }

  private setVenueId(t: Tracked, venueOrderId: string): void {
    t.venueOrderId = venueOrderId;
    this.byVenueId.set(venueOrderId, t);
  }

  /** A REST order answer (place, cancel, query). Fills come from trade events, not from here. */
  private applyOrderState(t: Tracked, body: JsonObject): void {
    // An answer about a leg a cancel-replace superseded says nothing about the order's live leg.
    const leg = typeof body.origClientOrderId === 'string' ? body.origClientOrderId : body.clientOrderId;
    if (typeof leg === 'string' && t.superseded?.has(leg)) return;
    if (body.orderId !== undefined) this.setVenueId(t, String(body.orderId));
    if (typeof body.executedQty === 'string') {
      const inst = this.options.instruments[t.instrument]!;
      const executed = parseDecimal(body.executedQty, inst.sizeScale);
      if (executed > t.venueFilled) t.venueFilled = executed;
    }
    const status = typeof body.status === 'string' ? body.status : '';
    this.applyStatus(t, status);
  }

  private apply(e: ExecutionEvent): void {
    const t = this.byClientId.get(e.clientOrderId);
    if (!t) return; // not ours (another session's order): the reconciler adopts or cancels it
    const oldLeg = t.superseded?.has(e.clientOrderId) === true;
    if (e.venueOrderId && e.execType !== 'REPLACED' && !oldLeg) this.setVenueId(t, e.venueOrderId);
    if (e.execType === 'TRADE' && e.tradeId) {
      const inst = this.options.instruments[t.instrument]!;
      this.fill(
        t,
        e.tradeId,
        parseDecimal(e.lastPrice, inst.priceScale),
        parseDecimal(e.lastQty, inst.sizeScale),
        e.commission,
        e.commissionAsset,
        e.maker,
        e.timeMs,
      );
    }
    if (e.execType === 'AMENDMENT' || oldLeg) return;
    this.applyStatus(t, e.status);
  }

  private applyTrade(t: Tracked, tr: JsonObject): void {
    const inst = this.options.instruments[t.instrument]!;
    this.fill(
      t,
      String(tr.id),
      parseDecimal(decimalString(tr.price), inst.priceScale),
      parseDecimal(decimalString(tr.qty), inst.sizeScale),
      String(tr.commission ?? '0'),
      String(tr.commissionAsset ?? ''),
      tr.maker === true || tr.isMaker === true,
      venueMs(tr.time),
    );
  }

  private fill(
    t: Tracked,
    tradeId: string,
    price: number,
    size: number,
    fee: string,
    feeAsset: string,
    maker: boolean,
    timeMs: number,
  ): void {
    const scope = t.instrument * 2 + (t.side === 'buy' ? 0 : 1);
    if (this.dedup.has(scope, tradeId)) {
      this.counters.duplicateFills++;
      return;
    }
    if (!(size > 0) || !(price > 0)) {
      this.counters.malformedEvents++;
      return;
    }
    const ts = timeMs > 0 ? timeMs * 1000 : this.options.nowMicros();
    this.dedup.add(scope, tradeId, ts);
    this.ackOnce(t);
    this.counters.fillsReported++;
    t.reported += size;
    this.reports?.filled(t.id, tradeId, price, size, Number(fee) || 0, feeAsset, maker, ts);
  }

  private applyStatus(t: Tracked, status: string): void {
    if (t.done) return;
    const now = this.options.nowMicros();
    switch (status) {
      case 'NEW':
      case 'PENDING_NEW':
      case 'PARTIALLY_FILLED':
        this.ackOnce(t);
        return;
      case 'FILLED':
        this.ackOnce(t);
        t.done = true;
        return;
      case 'CANCELED':
        this.ackOnce(t);
        t.done = true;
        this.reports?.canceled(t.id, now);
        return;
      case 'EXPIRED':
      case 'EXPIRED_IN_MATCH':
        this.ackOnce(t);
        t.done = true;
        this.reports?.expired(t.id, now);
        return;
      case 'REJECTED':
        t.done = true;
        this.reports?.rejected(t.id, 'venue_rejected', now);
        return;
      default:
        return;
    }
  }

  private ackOnce(t: Tracked): void {
    if (t.acked) return;
    t.acked = true;
    this.reports?.accepted(t.id, t.venueOrderId, this.options.nowMicros());
  }

  private symbolOf(t: Tracked): string {
    return this.options.instruments[t.instrument]!.venueSymbol;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

/** Spot cancel-replace needs a fresh client id: the base (≤ 32 chars) plus `_a<n>`, ≤ 36 chars. */
export function amendedClientId(base: string, n: number): string {
  const stem = base.replace(/_a\d+$/, '').slice(0, 36 - `_a${n}`.length);
  return `${stem}_a${n}`;
}

function tradeSide(tr: JsonObject): Side {
  if (typeof tr.side === 'string') return tr.side === 'SELL' ? 'sell' : 'buy';
  return tr.isBuyer === true || tr.buyer === true ? 'buy' : 'sell';
}
