/**
 * The trading kernel: the one order path from a strategy to a venue, the same for every driver.
 *
 *   strategy callback → requests buffered → risk gate (by type the only way to a venue) → OMS →
 *   execution venue → reports → OMS, positions → strategy.onOrderUpdate
 *
 * A driver (the live runner; the paper session's replay check) hands it market events with their
 * receive time — the kernel's only clock — and the venues' reports. The kernel journals every
 * order event, fill, risk decision, state change and parameter change, trips the circuit breaker
 * on its triggers and cancels everything when it does.
 *
 * Requests made during a callback are applied after it returns, in order (see core/strategy/strategy.ts):
 * a callback never observes a half-applied decision of its own.
 */

import type { BookTrust, Micros, Side } from '../market/events.ts';
import type { Instrument } from '../market/instrument.ts';
import { formatDecimal } from '../num/format-decimal.ts';
import type { ClientOrderIds } from '../oms/client-order-id.ts';
import type { JournalEntry, JsonValue } from '../oms/journal/journal-record.ts';
import type { ManagedOrder } from '../oms/managed-order.ts';
import { isTerminal } from '../oms/order-status.ts';
import { OrderStore } from '../oms/order-store.ts';
import type { OrderEvent } from '../oms/order-transitions.ts';
import { Positions } from '../oms/positions.ts';
import type { BreakerAction } from '../risk/circuit-breaker.ts';
import type { RiskAccount } from '../risk/risk-account.ts';
import type { RiskGate } from '../risk/risk-gate.ts';
import { RiskRefusal } from '../risk/risk-refusal.ts';
import type { TradingState } from '../risk/trading-state.ts';
import type { BookView } from '../strategy/book-view.ts';
import type { StrategyContext } from '../strategy/context.ts';
import { MutableOrderUpdate } from '../strategy/mutable-order-update.ts';
import type { LimitOptions, OrderId, OrderView } from '../strategy/order-types.ts';
import type { StrategyParams } from '../strategy/params.ts';
import type { RejectReason } from '../strategy/reject-reason.ts';
import type { Strategy, TradeView } from '../strategy/strategy.ts';
import type { ExecutionReports, ExecutionVenue } from './execution-venue.ts';
import type { FillJson, KillReport, TradingStatusJson } from './trading-control.ts';

/** A market-data book as the kernel reads it (a live SymbolBook satisfies it). */
export interface KernelBook {
  readonly book: BookView;
  readonly trust: BookTrust;
}

/** Where records go (fargate/journal's writer in a live runner; an array in tests). */
export interface JournalSink {
  append(entry: JournalEntry): unknown;
}

export interface KernelAlert {
  readonly kind: 'breaker' | 'invalid_transition' | 'venue' | 'reconciliation';
  readonly detail: string;
  readonly ts: Micros;
}

export interface TradingKernelOptions {
  readonly instruments: readonly Instrument[];
  /** The market-data book of each instrument (index for index); undefined until it exists. */
  readonly books: (instrument: number) => KernelBook | undefined;
  /** The venue each instrument's orders go to. */
  readonly venueOf: (instrument: number) => ExecutionVenue;
  readonly gate: RiskGate;
  readonly clientIds: ClientOrderIds;
  readonly strategy: Strategy;
  readonly strategyName: string;
  readonly params: StrategyParams;
  /** Seeded uniform [0, 1): decisions replay the same. */
  readonly random: () => number;
  readonly journal?: JournalSink;
  readonly onAlert?: (alert: KernelAlert) => void;
  /** Called after every strategy decision with the time from the event to the last venue call (µs of wall time). */
  readonly onDecision?: (wallMicros: number) => void;
  /** Wall clock, ms, for onDecision (required with it: the kernel itself reads no clock). */
  readonly wallMs?: () => number;
  /** How many recent fills /status shows. */
  readonly recentFills?: number;
  /** An order the risk gate refused (the backtest's order table records them). */
  readonly onRiskDenied?: (order: Readonly<ManagedOrder>, reason: RejectReason, ts: Micros) => void;
}

const SUBMIT = 0;
const CANCEL = 1;
const AMEND = 2;

/** A request buffered during a callback; reused from the kernel's pool (no object per request). */
class Action {
  type = SUBMIT;
  id: OrderId = 0;
  price = 0;
  size = 0;
}

const NO_BOOK: KernelBook = {
  trust: 'awaiting_snapshot',
  book: {
    bids: emptySide(),
    asks: emptySide(),
    bestBid: () => Number.NaN,
    bestAsk: () => Number.NaN,
    mid: () => Number.NaN,
    microprice: () => Number.NaN,
  },
};

function emptySide() {
  return {
    count: 0,
    bestPrice: () => Number.NaN,
    bestSize: () => 0,
    priceAt: () => Number.NaN,
    sizeAt: () => 0,
    sizeAtPrice: () => 0,
    depth: () => 0,
  };
}

/** One recent fill as the kernel keeps it. */
class RecentFill {
  inst: Instrument | undefined;
  side: Side = 'buy';
  price = 0;
  size = 0;
  fee = 0;
  feeCurrency = '';
  maker = false;
  ts: Micros = 0;
}

function fillJson(f: RecentFill): FillJson {
  const inst = f.inst!;
  return {
    at: new Date(f.ts / 1000).toISOString(),
    exchange: inst.exchange,
    symbol: inst.symbol,
    side: f.side,
    price: formatDecimal(f.price, inst.priceScale),
    size: formatDecimal(f.size, inst.sizeScale),
    fee: { amount: f.fee, currency: f.feeCurrency },
    maker: f.maker,
  };
}

export class TradingKernel implements StrategyContext, ExecutionReports, RiskAccount {
  readonly instruments: readonly Instrument[];
  readonly orders: OrderStore;
  readonly positions: Positions;
  readonly gate: RiskGate;
  /** Fills applied, per exchange. */
  readonly executions = new Map<string, number>();
  readonly counters = {
    decisions: 0,
    submitted: 0,
    denied: 0,
    fills: 0,
    duplicateFills: 0,
    alerts: 0,
    kills: 0,
  };
  lastKill: KillReport | null = null;
  private clock: Micros = 0;
  private readonly options: TradingKernelOptions;
  private readonly strategy: Strategy;
  private params: StrategyParams;
  private actions: Action[] = [];
  private spare: Action[] = [];
  private readonly actionPool: Action[] = [];
  private inCallback = false;
  private timerInterval = 0;
  private timerNext = Number.POSITIVE_INFINITY;
  private readonly update = new MutableOrderUpdate();
  private readonly trade = {
    instrument: 0,
    price: 0,
    size: 0,
    side: 'unknown' as Side | 'unknown',
    exchangeTs: 0,
    localTs: 0,
  };
  /** The recent fills as numbers, oldest first: /status formats them (no strings or Date per fill). */
  private readonly fills: RecentFill[] = [];
  private readonly wallMs: () => number;
  private decisionStart = 0;
  private lastPnl = Number.NaN;
  /** Fills or funding since the last PnL sample: realized PnL may have moved. */
  private pnlMoved = true;
  /** Instruments with a non-zero position: only then does a book move change the PnL. */
  private openPositions = 0;
  /** Each instrument's mid at the last PnL sample. */
  private readonly markedMid: Float64Array;
  private flatWaiters: Array<() => void> = [];

  constructor(options: TradingKernelOptions) {
    this.options = options;
    this.instruments = options.instruments;
    this.gate = options.gate;
    this.strategy = options.strategy;
    this.params = options.params;
    if (options.onDecision && !options.wallMs) throw new Error('onDecision needs a wallMs clock');
    this.wallMs = options.wallMs ?? (() => 0);
    this.positions = new Positions(options.instruments);
    this.markedMid = new Float64Array(options.instruments.length).fill(Number.NaN);
    this.orders = new OrderStore({
      instrumentCount: options.instruments.length,
      onInvalidTransition: (t) =>
        this.alert(
          'invalid_transition',
          `order ${t.orderId}: ${t.event} from ${t.status ?? 'nothing'} (${t.reason})`,
        ),
    });
  }

  /** Event time of the last event handled, µs. */
  get time(): Micros {
    return this.clock;
  }

  get tradingState(): TradingState {
    return this.gate.state;
  }

  get strategyParams(): StrategyParams {
    return this.params;
  }

  // --- driver entry points -------------------------------------------------------------------

  /** Before the first event: hand the strategy its parameters. */
  start(now: Micros): void {
    this.clock = now;
    this.callback(() => this.strategy.onParams?.(this, this.params));
  }

  /** A book changed after a whole venue message. */
  onBook(instrument: number, now: Micros): void {
    this.advance(now);
    const kb = this.options.books(instrument);
    const action = this.gate.breaker.onBookTrust(instrument, kb?.trust ?? 'awaiting_snapshot', now);
    if (action) this.execute(action);
    // Only this book changed: the PnL moved only if we hold it and its mid moved (or a fill landed).
    if (
      this.pnlMoved ||
      (this.positions.net[instrument] !== 0 && this.mid(instrument) !== this.markedMid[instrument])
    )
      this.markToMarket(now);
    const strategy = this.strategy;
    if (!strategy.onBook) return;
    // The hot callbacks are called inline (no closure per event); see callback() for the rest.
    this.enter();
    try {
      strategy.onBook(this, instrument);
    } finally {
      this.inCallback = false;
    }
    if (this.actions.length > 0) this.flush();
  }

  /** A public trade (`trade` is copied; the caller may reuse it). */
  onTrade(
    instrument: number,
    price: number,
    size: number,
    side: Side | 'unknown',
    exchangeTs: Micros,
    now: Micros,
  ): void {
    this.advance(now);
    if (!this.strategy.onTrade) return;
    const t = this.trade;
    t.instrument = instrument;
    t.price = price;
    t.size = size;
    t.side = side;
    t.exchangeTs = exchangeTs;
    t.localTs = now;
    this.enter();
    try {
      this.strategy.onTrade(this, t as TradeView);
    } finally {
      this.inCallback = false;
    }
    if (this.actions.length > 0) this.flush();
  }

  /** Time passed without an event the strategy sees (timers, the stale-books breaker). */
  onTime(now: Micros): void {
    this.advance(now);
  }

  /** When the strategy's timer fires next (event time, µs; Infinity when none is set). */
  get nextTimerAt(): Micros {
    return this.timerNext;
  }

  /**
   * Move the strategy timer past a silence in the data ending at `resume` without firing it once
   * per interval (a replay joining recording sessions). True when it moved.
   */
  skipTimerTo(resume: Micros): boolean {
    if (this.timerInterval <= 0 || this.timerNext >= resume) return false;
    this.timerNext += Math.ceil((resume - this.timerNext) / this.timerInterval) * this.timerInterval;
    return true;
  }

  /** A funding payment on a perpetual's position (positive: paid), in its quote currency. */
  fundingPaid(instrument: number, amount: number, ts: Micros): void {
    this.advance(ts);
    this.positions.applyFunding(instrument, amount);
    this.pnlMoved = true;
    this.markToMarket(ts);
  }

  /** A book's trust changed (stale, resyncing, trusted). */
  onBookTrust(instrument: number, trust: BookTrust, now: Micros): void {
    this.advance(now);
    const action = this.gate.breaker.onBookTrust(instrument, trust, now);
    if (action) this.execute(action);
  }

  private advance(now: Micros): void {
    if (now > this.clock) this.clock = now;
    const action = this.gate.breaker.onTime(this.clock);
    if (action) this.execute(action);
    while (this.clock >= this.timerNext) {
      const at = this.timerNext;
      this.timerNext = at + this.timerInterval;
      if (this.strategy.onTimer) this.callback(() => this.strategy.onTimer!(this, at));
    }
  }

  private enter(): void {
    if (this.options.onDecision) this.decisionStart = this.wallMs();
    this.inCallback = true;
  }

  private callback(fn: () => void): void {
    this.enter();
    try {
      fn();
    } finally {
      this.inCallback = false;
    }
    if (this.actions.length > 0) this.flush();
  }

  // --- StrategyContext ---------------------------------------------------------------------

  now(): Micros {
    return this.clock;
  }

  instrumentIndex(symbol: string): number {
    return this.instruments.findIndex((i) => i.symbol === symbol || i.venueSymbol === symbol);
  }

  book(instrument: number): BookView {
    return (this.options.books(instrument) ?? NO_BOOK).book;
  }

  position(instrument: number): number {
    return this.positions.net[instrument] ?? 0;
  }

  cash(): number {
    let sum = 0;
    for (let i = 0; i < this.instruments.length; i++) sum += this.positions.cashFlow[i]!;
    return sum;
  }

  openOrders(instrument: number): readonly OrderView[] {
    return this.orders.openOf(instrument) as readonly ManagedOrder[];
  }

  /** An order not yet finished (finished ones are the journal's: a strategy's slot frees on `done`). */
  order(id: OrderId): OrderView | undefined {
    const o = this.orders.get(id);
    return o && !isTerminal(o.status) && o.status !== 'Denied' ? (o as ManagedOrder) : undefined;
  }

  /**
   * Take over an order the venue has and the OMS does not (reconciliation's "adopt"): it enters the
   * OMS as accepted, with what the venue says is filled already counted in its size, so the kill
   * switch and the risk gate see it. No strategy callback: the strategy did not place it.
   */
  adoptOrder(
    instrument: number,
    side: Side,
    price: number,
    size: number,
    filled: number,
    clientOrderId: string,
    venueOrderId: string,
    ts: Micros,
  ): OrderId | undefined {
    const inst = this.instruments[instrument];
    if (!inst || this.orders.byClientOrderId(clientOrderId) || !(size - filled > 0)) return undefined;
    this.advance(ts);
    const o = this.orders.create(
      { clientOrderId, exchange: inst.exchange, instrument, side, type: 'limit', price, size: size - filled },
      ts,
    );
    this.orders.apply(o.id, 'submit', ts);
    this.orders.assignVenueOrderId(o.id, venueOrderId);
    this.orders.apply(o.id, 'accept', ts);
    this.journalOrder(o, 'accept', 'adopted by reconciliation');
    return o.id;
  }

  /** A reconciliation discrepancy: journaled, alerted; a position break trips the circuit breaker. */
  reconciliationMismatch(detail: string, tripBreaker: boolean, ts: Micros): void {
    this.advance(ts);
    this.journal({ kind: 'control', ts: this.clock, action: 'reconcile', detail: { detail } });
    this.alert('reconciliation', detail);
    if (!tripBreaker) return;
    const action = this.gate.breaker.onReconciliationMismatch(detail, this.clock);
    if (action) this.execute(action);
  }

  /** The client order id is one of ours (this prefix, any instance or epoch). */
  ownsClientOrderId(clientOrderId: string): boolean {
    return this.options.clientIds.isOwn(clientOrderId);
  }

  /** Rebuild positions from a journaled fill (start-up replay; no strategy callback). */
  restoreFill(
    instrument: number,
    side: Side,
    price: number,
    size: number,
    fee: number,
    feeCurrency: string,
  ): void {
    this.positionChange(instrument, () =>
      this.positions.applyFill(instrument, side, price, size, fee, feeCurrency),
    );
  }

  submitLimit(instrument: number, side: Side, price: number, size: number, options?: LimitOptions): OrderId {
    return this.request(
      instrument,
      side,
      'limit',
      price,
      size,
      options?.postOnly === true,
      options?.ioc === true,
    );
  }

  submitMarket(instrument: number, side: Side, size: number): OrderId {
    return this.request(instrument, side, 'market', Number.NaN, size, false, false);
  }

  cancel(id: OrderId): void {
    this.push(CANCEL, id, 0, 0);
  }

  amend(id: OrderId, price: number, size: number): void {
    this.push(AMEND, id, price, size);
  }

  cancelAll(instrument?: number): void {
    if (instrument === undefined) this.orders.forEachOpen((o) => this.push(CANCEL, o.id, 0, 0));
    else for (const o of this.orders.openOf(instrument)) this.push(CANCEL, o.id, 0, 0);
  }

  setTimer(intervalUs: Micros): void {
    this.timerInterval = intervalUs > 0 ? intervalUs : 0;
    this.timerNext = intervalUs > 0 ? this.clock + intervalUs : Number.POSITIVE_INFINITY;
  }

  random(): number {
    return this.options.random();
  }

  private request(
    instrument: number,
    side: Side,
    type: 'limit' | 'market',
    price: number,
    size: number,
    postOnly: boolean,
    ioc: boolean,
  ): OrderId {
    const inst = this.instruments[instrument];
    const exchange = inst?.exchange ?? this.instruments[0]!.exchange;
    const o = this.orders.create(
      {
        clientOrderId: this.options.clientIds.next(exchange),
        exchange,
        instrument: inst ? instrument : 0,
        side,
        type,
        price,
        size,
        postOnly,
        ioc,
      },
      this.clock,
    );
    this.push(SUBMIT, o.id, 0, 0);
    return o.id;
  }

  private push(type: number, id: OrderId, price: number, size: number): void {
    const a = this.actionPool.pop() ?? new Action();
    a.type = type;
    a.id = id;
    a.price = price;
    a.size = size;
    this.actions.push(a);
    if (!this.inCallback) this.flush();
  }

  // --- RiskAccount ------------------------------------------------------------------------

  pendingSize(instrument: number, side: Side): number {
    return this.orders.pendingSize(instrument, side);
  }

  mid(instrument: number): number {
    return this.options.books(instrument)?.book.mid() ?? Number.NaN;
  }

  bookTrust(instrument: number): BookTrust {
    return this.options.books(instrument)?.trust ?? 'awaiting_snapshot';
  }

  pnl(): number {
    let sum = 0;
    for (let i = 0; i < this.instruments.length; i++) {
      sum += this.positions.realized[i]! - this.positions.fees(i) - this.positions.funding[i]!;
      const u = this.positions.unrealized(i, this.mid(i));
      if (!Number.isNaN(u)) sum += u;
    }
    return sum;
  }

  // --- the order path --------------------------------------------------------------------

  private flush(): void {
    for (let round = 0; this.actions.length > 0; round++) {
      if (round > 10_000)
        throw new Error('strategy keeps reacting to its own refused orders (10 000 rounds)');
      const list = this.actions;
      this.actions = this.spare;
      for (let i = 0; i < list.length; i++) {
        const a = list[i]!;
        this.apply(a);
        this.actionPool.push(a);
      }
      list.length = 0;
      this.spare = list;
    }
    this.counters.decisions++;
    if (this.options.onDecision) this.options.onDecision((this.wallMs() - this.decisionStart) * 1000);
  }

  private apply(a: Action): void {
    const o = this.orders.get(a.id);
    if (!o) return;
    if (a.type === SUBMIT) this.submit(o);
    else if (a.type === CANCEL) this.requestCancel(o);
    else this.requestAmend(o, a.price, a.size);
  }

  private submit(o: Readonly<ManagedOrder>): void {
    const now = this.clock;
    const inst = this.instruments[o.instrument];
    const checked = this.gate.checkOrder(
      {
        id: o.id,
        instrument: o.instrument,
        side: o.side,
        type: o.type,
        price: o.price,
        size: o.size,
        postOnly: o.postOnly,
        ioc: o.ioc,
      },
      this,
    );
    if (checked instanceof RiskRefusal || !inst) {
      const reason: RejectReason = checked instanceof RiskRefusal ? checked.reason : 'unknown_instrument';
      const detail = checked instanceof RiskRefusal ? checked.detail : 'no such instrument';
      this.counters.denied++;
      if (this.options.journal)
        this.journal({ kind: 'risk', ts: now, orderId: o.id, outcome: 'denied', reason, detail });
      this.orders.apply(o.id, 'deny', now);
      this.journalOrder(o, 'deny', reason);
      this.options.onRiskDenied?.(o, reason, now);
      const u = this.update.set('rejected', o, now, true);
      u.rejectReason = reason;
      this.deliver(u);
      return;
    }
    // Built only for a journal: no record object per order without one.
    if (this.options.journal) this.journal({ kind: 'risk', ts: now, orderId: o.id, outcome: 'accepted' });
    this.orders.apply(o.id, 'submit', now);
    this.journalOrder(o, 'submit');
    this.counters.submitted++;
    this.options.venueOf(o.instrument).submit(checked, o.clientOrderId, now);
  }

  private requestCancel(o: Readonly<ManagedOrder>): void {
    if (o.status === 'PendingCancel' || o.status === 'Initialized') return;
    if (this.orders.apply(o.id, 'cancel_request', this.clock) !== 'applied') return;
    this.journalOrder(o, 'cancel_request');
    this.options.venueOf(o.instrument).cancel(o.id, o.clientOrderId, this.clock);
  }

  private requestAmend(o: Readonly<ManagedOrder>, price: number, size: number): void {
    if (o.type === 'market' || o.status === 'PendingCancel' || o.status === 'PendingUpdate') return;
    const checked = this.gate.checkAmend(
      { id: o.id, instrument: o.instrument, side: o.side, price, size },
      o.size,
      this,
      o.postOnly,
    );
    if (checked instanceof RiskRefusal) {
      this.counters.denied++;
      if (this.options.journal)
        this.journal({
          kind: 'risk',
          ts: this.clock,
          orderId: o.id,
          outcome: 'denied',
          reason: checked.reason,
          detail: checked.detail,
        });
      const u = this.update.set('rejected', o, this.clock, false);
      u.rejectReason = checked.reason;
      this.deliver(u);
      return;
    }
    if (this.orders.apply(o.id, 'update_request', this.clock, price, size) !== 'applied') return;
    this.journalOrder(o, 'update_request');
    this.options.venueOf(o.instrument).amend(checked, o.clientOrderId, this.clock);
  }

  // --- ExecutionReports --------------------------------------------------------------------

  accepted(orderId: OrderId, venueOrderId: string, ts: Micros): void {
    this.advance(ts);
    const o = this.orders.get(orderId);
    if (!o) return;
    if (venueOrderId) this.orders.assignVenueOrderId(orderId, venueOrderId);
    if (this.report(o, 'accept', ts)) this.deliver(this.update.set('accepted', o, ts, false));
  }

  filled(
    orderId: OrderId,
    tradeId: string,
    price: number,
    size: number,
    fee: number,
    feeCurrency: string,
    maker: boolean,
    ts: Micros,
  ): void {
    this.advance(ts);
    const o = this.orders.get(orderId);
    if (!o) return;
    const r = this.orders.applyFill(orderId, { tradeId, price, size, fee, feeCurrency, maker, ts });
    if (r === 'duplicate') {
      this.counters.duplicateFills++;
      return;
    }
    if (r !== 'applied') return;
    const inst = this.instruments[o.instrument]!;
    this.positionChange(o.instrument, () =>
      this.positions.applyFill(o.instrument, o.side, price, size, fee, feeCurrency),
    );
    this.counters.fills++;
    this.executions.set(inst.exchange, (this.executions.get(inst.exchange) ?? 0) + 1);
    const venue = this.options.venueOf(o.instrument).id;
    if (this.options.journal)
      this.journal({
        kind: 'fill',
        ts,
        orderId,
        clientOrderId: o.clientOrderId,
        exchange: inst.exchange,
        symbol: inst.symbol,
        side: o.side,
        tradeId,
        price,
        size,
        priceScale: inst.priceScale,
        sizeScale: inst.sizeScale,
        fee: Math.round(fee * 1e8),
        feeScale: 8,
        feeCurrency,
        maker,
        venue,
      });
    this.journalOrder(o, 'fill');
    this.rememberFill(inst, o.side, price, size, fee, feeCurrency, maker, ts);
    const done = o.status === 'Filled' || o.status === 'Canceled' || o.status === 'Expired';
    const u = this.update.set('fill', o, ts, done);
    u.fillPrice = price;
    u.fillSize = size;
    u.maker = maker;
    this.deliver(u);
    this.markToMarket(ts);
    this.settleKill();
  }

  canceled(orderId: OrderId, ts: Micros): void {
    this.advance(ts);
    const o = this.orders.get(orderId);
    if (o && this.report(o, 'canceled', ts)) this.deliver(this.update.set('canceled', o, ts, true));
    this.settleKill();
  }

  rejected(orderId: OrderId, reason: RejectReason, ts: Micros): void {
    this.advance(ts);
    const o = this.orders.get(orderId);
    if (o && this.report(o, 'reject', ts, reason)) {
      const u = this.update.set('rejected', o, ts, true);
      u.rejectReason = reason;
      this.deliver(u);
    }
    this.settleKill();
  }

  amended(orderId: OrderId, price: number, size: number, ts: Micros): void {
    this.advance(ts);
    const o = this.orders.get(orderId);
    if (!o) return;
    if (this.orders.apply(orderId, 'updated', ts, price, size) !== 'applied') return;
    this.journalOrder(o, 'updated');
    this.deliver(this.update.set('amended', o, ts, false));
  }

  requestRejected(orderId: OrderId, reason: RejectReason, isAmend: boolean, ts: Micros): void {
    this.advance(ts);
    const o = this.orders.get(orderId);
    if (!o) return;
    if (this.report(o, isAmend ? 'update_rejected' : 'cancel_rejected', ts, reason)) {
      const u = this.update.set('rejected', o, ts, false);
      u.rejectReason = reason;
      this.deliver(u);
    }
    this.settleKill();
  }

  expired(orderId: OrderId, ts: Micros): void {
    this.advance(ts);
    const o = this.orders.get(orderId);
    if (o && this.report(o, 'expired', ts)) this.deliver(this.update.set('canceled', o, ts, true));
    this.settleKill();
  }

  private report(o: Readonly<ManagedOrder>, event: OrderEvent, ts: Micros, reason?: string): boolean {
    if (this.orders.apply(o.id, event, ts) !== 'applied') return false;
    this.journalOrder(o, event, reason);
    return true;
  }

  private deliver(u: MutableOrderUpdate): void {
    const strategy = this.strategy;
    if (!strategy.onOrderUpdate) return;
    this.enter();
    try {
      strategy.onOrderUpdate(this, u);
    } finally {
      this.inCallback = false;
    }
    if (this.actions.length > 0) this.flush();
  }

  // --- breaker, kill, control -------------------------------------------------------------

  /** Feed the loss limits; an unchanged PnL (flat, or a book move that leaves the mid) adds nothing. */
  /** Apply a position change, keeping the count of open positions. */
  private positionChange(instrument: number, apply: () => void): void {
    const before = this.positions.net[instrument] !== 0;
    apply();
    const after = this.positions.net[instrument] !== 0;
    if (before !== after) this.openPositions += after ? 1 : -1;
    this.pnlMoved = true;
  }

  private markToMarket(now: Micros): void {
    // Flat everywhere and nothing filled since the last sample: the PnL cannot have moved (the
    // common case on a book event — this keeps the per-event cost to a comparison).
    if (this.openPositions === 0 && !this.pnlMoved) return;
    this.pnlMoved = false;
    for (let i = 0; i < this.instruments.length; i++) this.markedMid[i] = this.mid(i);
    const pnl = this.pnl();
    if (pnl === this.lastPnl) return;
    this.lastPnl = pnl;
    const action = this.gate.onPnl(now, pnl);
    if (action) this.execute(action);
  }

  private execute(action: BreakerAction): void {
    const from: TradingState = 'ACTIVE';
    this.journal({
      kind: 'state',
      ts: this.clock,
      from,
      to: 'HALTED',
      reason: action.alert.reason,
      breaker: this.gate.breaker.snapshot(),
    });
    this.alert('breaker', `${action.alert.trigger}: ${action.alert.reason}`);
    this.cancelEverything();
  }

  /** Send every cancel at once (no checks: cancels need none), on every venue. */
  private cancelEverything(): number {
    const open: Array<Readonly<ManagedOrder>> = [];
    this.orders.forEachOpen((o) => open.push(o));
    for (const o of open) this.requestCancel(o);
    return open.length;
  }

  /**
   * Manual kill: HALTED (persisted in the journal), every open order's cancel sent at once. Returns
   * how many were sent; `whenFlat` says when the venues have confirmed them all. (Waiting and
   * timing it is the caller's: fargate/trading/kill-and-confirm.ts — the kernel reads no clock.)
   */
  kill(reason: string): number {
    this.counters.kills++;
    this.journal({ kind: 'control', ts: this.clock, action: 'kill', detail: { reason } });
    const before = this.gate.state;
    const action = this.gate.breaker.kill(reason, this.clock);
    this.journal({
      kind: 'state',
      ts: this.clock,
      from: before,
      to: 'HALTED',
      reason: action.alert.reason,
      breaker: this.gate.breaker.snapshot(),
    });
    this.alert('breaker', `manual: ${reason}`);
    return this.cancelEverything();
  }

  /** Call `done` once no order is open (at once when none is). */
  whenFlat(done: () => void): void {
    if (this.orders.openCount === 0) done();
    else this.flatWaiters.push(done);
  }

  private settleKill(): void {
    if (this.flatWaiters.length === 0 || this.orders.openCount > 0) return;
    const waiters = this.flatWaiters;
    this.flatWaiters = [];
    for (const w of waiters) w();
  }

  /** Back to ACTIVE with the admin token (`adminToken`: the one the runner holds). */
  reset(token: string, adminToken: string): 'reset' | 'refused' | 'not_halted' {
    const before = this.gate.state;
    const r = this.gate.breaker.reset(token, adminToken, this.clock);
    if (r !== 'reset') return r;
    this.journal({ kind: 'control', ts: this.clock, action: 'reset', detail: null });
    this.journal({
      kind: 'state',
      ts: this.clock,
      from: before,
      to: this.gate.state,
      reason: 'reset by operator',
      breaker: this.gate.breaker.snapshot(),
    });
    return r;
  }

  /** Swap the risk params (already parsed and validated); journaled old → new. */
  swapRiskParams(next: JsonValue, parsed: Parameters<RiskGate['swapParams']>[0]): readonly string[] {
    const old = this.gate.params as unknown as JsonValue;
    const problems = this.gate.swapParams(parsed);
    if (problems.length > 0) return problems;
    this.journal({ kind: 'control', ts: this.clock, action: 'risk_params', detail: next });
    this.journal({ kind: 'params', ts: this.clock, target: 'risk', old, new: next });
    return [];
  }

  /** New strategy parameters (already resolved): journaled, then onParams. */
  setStrategyParams(params: StrategyParams): void {
    const old = this.params as unknown as JsonValue;
    this.params = params;
    this.journal({
      kind: 'control',
      ts: this.clock,
      action: 'strategy_params',
      detail: params as unknown as JsonValue,
    });
    this.journal({
      kind: 'params',
      ts: this.clock,
      target: 'strategy',
      old,
      new: params as unknown as JsonValue,
    });
    this.callback(() => this.strategy.onParams?.(this, params));
  }

  private alert(kind: KernelAlert['kind'], detail: string): void {
    this.counters.alerts++;
    this.options.onAlert?.({ kind, detail, ts: this.clock });
  }

  // --- journal and status -------------------------------------------------------------------

  private journal(entry: JournalEntry): void {
    this.options.journal?.append(entry);
  }

  private journalOrder(o: Readonly<ManagedOrder>, event: OrderEvent, reason?: string): void {
    if (!this.options.journal) return;
    const inst = this.instruments[o.instrument]!;
    this.options.journal.append({
      kind: 'order',
      ts: this.clock,
      orderId: o.id,
      clientOrderId: o.clientOrderId,
      ...(o.venueOrderId ? { venueOrderId: o.venueOrderId } : {}),
      exchange: o.exchange,
      symbol: inst.symbol,
      side: o.side,
      type: o.type,
      price: o.type === 'market' ? null : o.price,
      size: o.size,
      filled: o.filled,
      priceScale: inst.priceScale,
      sizeScale: inst.sizeScale,
      status: o.status,
      event,
      ...(reason ? { reason } : {}),
    });
  }

  private rememberFill(
    inst: Instrument,
    side: Side,
    price: number,
    size: number,
    fee: number,
    feeCurrency: string,
    maker: boolean,
    ts: Micros,
  ): void {
    const keep = this.options.recentFills ?? 50;
    // Past the limit the oldest record is reused for the newest.
    const f = this.fills.length >= keep && keep > 0 ? this.fills.shift()! : new RecentFill();
    f.inst = inst;
    f.side = side;
    f.price = price;
    f.size = size;
    f.fee = fee;
    f.feeCurrency = feeCurrency;
    f.maker = maker;
    f.ts = ts;
    if (keep > 0) this.fills.push(f);
  }

  status(): TradingStatusJson {
    const currency = this.instruments[0]?.quote ?? 'USDT';
    let realized = 0;
    let unrealized = 0;
    let fees = 0;
    const positions = this.instruments.map((inst, i) => {
      const net = this.positions.net[i]!;
      const r = this.positions.realized[i]!;
      const u = this.positions.unrealized(i, this.mid(i));
      const f = this.positions.fees(i);
      realized += r;
      unrealized += Number.isNaN(u) ? 0 : u;
      fees += f;
      const avg = this.positions.avgEntry[i]!;
      return {
        exchange: inst.exchange,
        symbol: inst.symbol,
        size: formatDecimal(net, inst.sizeScale),
        avgEntry: Number.isNaN(avg) ? null : formatDecimal(Math.round(avg), inst.priceScale),
        realized: { amount: r, currency: inst.quote },
        unrealized: { amount: Number.isNaN(u) ? 0 : u, currency: inst.quote },
        fees: { amount: f, currency: inst.quote },
      };
    });
    const orders: TradingStatusJson['orders'][number][] = [];
    this.orders.forEachOpen((o) => {
      const inst = this.instruments[o.instrument]!;
      orders.push({
        id: o.id,
        clientOrderId: o.clientOrderId,
        exchange: o.exchange,
        symbol: inst.symbol,
        side: o.side,
        type: o.type,
        price: o.type === 'market' ? null : formatDecimal(o.price, inst.priceScale),
        size: formatDecimal(o.size, inst.sizeScale),
        filled: formatDecimal(o.filled, inst.sizeScale),
        status: o.status,
      });
    });
    const denials: Record<string, number> = {};
    for (const [reason, n] of Object.entries(this.gate.denials)) if (n > 0) denials[reason] = n;
    return {
      tradingState: this.gate.state,
      reason: this.gate.breaker.reason,
      positions,
      openOrders: this.orders.openCount,
      orders,
      pnl: {
        realized: { amount: realized, currency },
        unrealized: { amount: unrealized, currency },
        fees: { amount: fees, currency },
      },
      riskParams: this.gate.params,
      lastKill: this.lastKill,
      strategy: { name: this.options.strategyName, params: this.params },
      recentFills: this.fills.map(fillJson).reverse(),
      denials,
      ts: this.clock,
    };
  }
}
