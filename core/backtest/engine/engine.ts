/**
 * The replay engine: runs a Strategy over a Tape against the simulated exchange.
 *
 * Two views joined by latency (hftbacktest's design, models doc E.2/E.3): the exchange consumes the
 * tape in EXCHANGE-time order into its books and matches our orders there; the strategy consumes it
 * in RECEIVE-time order into its own books and is called after each message. Requests go to the
 * exchange after the entry latency, responses (acks, fills, cancels) come back after the response
 * latency, each over one ordered connection. The loop always advances whichever comes first: the
 * next exchange-side row, the next receive-side row, or a timed event (request arrival, response
 * arrival, strategy timer, funding, equity sample). Ties: exchange rows, then receive rows, then
 * timed events (an order arriving at the same µs as market data sees the data first).
 *
 * Fast mode (sweeps): one book for both views at receive time — each row is applied once instead
 * of twice. Feed latency becomes a constant (the tape's median): the exchange, running at receive
 * time, is that much behind where it should be, so requests take that much longer to reach it and
 * responses that much less to come back. Pair it with a reduced tape (tape/top-levels.ts);
 * fast-mode.ts measures what the approximation costs.
 *
 * Hot loop: rows are read from the tape's typed arrays; no allocation per row or message (orders,
 * responses and records allocate, and they are rare); no logging; the queue model is the only
 * interface call, and only at prices where we rest.
 */
import type { Micros, Side } from '../../market/events.ts';
import { type CheckLimits, checkAmend, checkOrder } from '../../risk/order-check.ts';
import { Account } from '../../sim/account.ts';
import { booksForTape } from '../../sim/book/book-for-range.ts';
import type { ExchOrder } from '../../sim/exchange/exch-order.ts';
import { type ExchangeListener, SimExchange } from '../../sim/exchange/sim-exchange.ts';
import type { FeeRates, FeeTable } from '../../sim/fees/fee-table.ts';
import { FundingState } from '../../sim/funding.ts';
import type { LatencyModel } from '../../sim/latency/latency-model.ts';
import { createLatencyModel } from '../../sim/latency/latency-spec.ts';
import { createQueueModel } from '../../sim/queue/queue-spec.ts';
import { seededRandom } from '../../sim/random.ts';
import type { SimConfig } from '../../sim/sim-config.ts';
import { MutableOrderUpdate } from '../../strategy/mutable-order-update.ts';
import type { OrderUpdateKind } from '../../strategy/order-types.ts';
import type { StrategyParams } from '../../strategy/params.ts';
import type { RejectReason } from '../../strategy/reject-reason.ts';
import type { Strategy, TradeView } from '../../strategy/strategy.ts';
import { EventFlag, EventKind } from '../tape/event-kind.ts';
import type { Tape } from '../tape/tape.ts';
import { TimedFifo } from './fifo.ts';
import { type Action, LocalOrder, LocalView } from './local-view.ts';
import { RequestMsg, ResponseMsg, ToExchange, ToLocal } from './messages.ts';
import { Recorder } from './recorder.ts';

export type EngineMode = 'full' | 'fast';

export interface Progress {
  /** Tape rows the strategy's view has consumed. */
  readonly rows: number;
  readonly totalRows: number;
  /** Receive time reached. */
  readonly ts: Micros;
}

export interface EngineOptions {
  readonly tape: Tape;
  readonly strategy: Strategy;
  readonly params: StrategyParams;
  readonly sim: SimConfig;
  readonly fees: FeeTable;
  readonly seed: number;
  readonly mode?: EngineMode;
  readonly onProgress?: (p: Progress) => void;
}

/** Counters of a finished run (beside the BacktestResult). */
export interface EngineStats {
  readonly rows: number;
  readonly messages: number;
  readonly callbacks: number;
  readonly requests: number;
  readonly responses: number;
}

class MutableTrade implements TradeView {
  instrument = 0;
  price = 0;
  size = 0;
  side: Side | 'unknown' = 'unknown';
  exchangeTs = 0;
  localTs = 0;
}

const INF = Number.POSITIVE_INFINITY;

/** Silence in the data longer than this is a gap between sessions: idle timers are skipped. */
const IDLE_GAP_US = 60_000_000;

export class Engine implements ExchangeListener {
  readonly tape: Tape;
  readonly local: LocalView;
  readonly exchange: SimExchange;
  readonly account: Account;
  readonly recorder: Recorder;
  readonly latency: LatencyModel;
  private readonly strategy: Strategy;
  private readonly params: StrategyParams;
  private readonly sim: SimConfig;
  private readonly fast: boolean;
  private readonly feeRates: FeeRates[];
  private readonly funding: FundingState[];
  private readonly limits: CheckLimits;
  private readonly toExchange = new TimedFifo<RequestMsg>();
  private readonly toLocal = new TimedFifo<ResponseMsg>();
  private readonly update = new MutableOrderUpdate();
  private readonly trade = new MutableTrade();
  private readonly lastMid: Float64Array;
  private readonly onProgress: ((p: Progress) => void) | undefined;
  private spareActions: Action[] = [];
  private immediate: Array<{
    kind: OrderUpdateKind;
    order: LocalOrder;
    reason: RejectReason;
    done: boolean;
  }> = [];
  private equityNext = INF;
  private fundingNext = INF;
  private messages = 0;
  private callbacks = 0;
  private requests = 0;
  private responses = 0;

  constructor(options: EngineOptions) {
    const { tape, sim } = options;
    this.tape = tape;
    this.strategy = options.strategy;
    this.params = options.params;
    this.sim = sim;
    this.fast = options.mode === 'fast';
    this.onProgress = options.onProgress;
    const instruments = tape.instruments;
    const localBooks = booksForTape(tape);
    this.local = new LocalView(instruments, localBooks, sim.initialCapital, seededRandom(options.seed));
    this.exchange = new SimExchange(
      {
        instruments,
        queue: createQueueModel(sim.queue),
        partialFills: sim.partialFills,
        liquidityConsumption: sim.liquidityConsumption,
        books: this.fast ? localBooks : booksForTape(tape),
      },
      this,
    );
    this.account = new Account(instruments, sim.initialCapital);
    this.recorder = new Recorder(instruments);
    const latency = createLatencyModel(sim.latency, tape);
    this.latency = this.fast ? new FeedShiftedLatency(latency, medianFeedLatency(tape)) : latency;
    this.feeRates = instruments.map((i) =>
      options.fees.rates(i.exchange, i.venueSymbol, sim.feeTiers[i.exchange]),
    );
    this.funding = instruments.map((i) => new FundingState(sim.funding, i.kind === 'perp'));
    this.limits = { maxLeverage: sim.maxLeverage };
    this.lastMid = new Float64Array(instruments.length).fill(Number.NaN);
  }

  /** Run to the end of the tape. */
  run(): EngineStats {
    const tape = this.tape;
    const n = tape.length;
    if (n === 0) return this.stats(0);
    const local = this.local;
    const start = tape.startTs;
    local.clock = start;
    this.strategy.onParams?.(local, this.params);
    this.flush();
    for (const f of this.funding) f.start(start);
    this.refreshFunding();
    this.equityNext = start;

    const fast = this.fast;
    const xOrder = fast ? identity(n, tape) : tape.exchOrder;
    const xTimes = fast ? tape.localTs : tape.exchTs;
    const localTs = tape.localTs;
    const exchange = this.exchange;
    const progressStep = Math.max(65_536, Math.ceil(n / 200));
    let nextProgress = this.onProgress ? progressStep : INF;
    let xp = 0;
    let lr = 0;
    for (;;) {
      const tl = lr < n ? localTs[lr]! : INF;
      if (fast) {
        if (tl === INF) break;
        if (this.nextTimed() + IDLE_GAP_US < tl) this.skipIdle(tl);
        if (this.nextTimed() < tl) {
          this.timed();
          continue;
        }
        exchange.processMessage(tape, xOrder, lr, xTimes);
        lr = this.localMessage(lr, false);
      } else {
        const tx = xp < n ? xTimes[xOrder[xp]!]! : INF;
        if (tx === INF && tl === INF) break;
        let tq = this.nextTimed();
        // A long silence in the data (a tape joining recording sessions): skip the idle timers and
        // equity samples instead of stepping through them one interval at a time.
        const tData = Math.min(tx, tl);
        if (tq + IDLE_GAP_US < tData && this.skipIdle(tData)) tq = this.nextTimed();
        if (tx <= tl) {
          if (tq < tx) this.timed();
          else xp = exchange.processMessage(tape, xOrder, xp, xTimes);
          continue;
        }
        if (tq < tl) {
          this.timed();
          continue;
        }
        lr = this.localMessage(lr, true);
      }
      if (lr >= nextProgress) {
        nextProgress += progressStep;
        this.onProgress!({ rows: lr, totalRows: n, ts: localTs[lr - 1]! });
      }
    }
    const end = tape.endTs;
    // Events due at the last µs, then a closing equity point.
    while (this.nextTimed() <= end) this.timed();
    local.clock = end;
    this.sampleEquity(end);
    this.onProgress?.({ rows: n, totalRows: n, ts: end });
    return this.stats(n);
  }

  private stats(rows: number): EngineStats {
    return {
      rows,
      messages: this.messages,
      callbacks: this.callbacks,
      requests: this.requests,
      responses: this.responses,
    };
  }

  // --- the strategy's view ----------------------------------------------------------------------

  /** One tape message at receive time: update the local book (unless shared) and call the strategy. */
  private localMessage(pos: number, apply: boolean): number {
    const tape = this.tape;
    const { kind, flags, price, size } = tape;
    const r0 = pos;
    const k0 = kind[r0]!;
    const inst = tape.inst[r0]!;
    this.local.clock = tape.localTs[r0]!;
    this.messages++;
    if (k0 === EventKind.Trade) {
      const s = this.strategy;
      if (s.onTrade) {
        const tv = this.trade;
        const f = flags[r0]!;
        tv.instrument = inst;
        tv.price = price[r0]!;
        tv.size = size[r0]!;
        tv.side = (f & EventFlag.Buy) !== 0 ? 'buy' : (f & EventFlag.Sell) !== 0 ? 'sell' : 'unknown';
        tv.exchangeTs = tape.exchTs[r0]!;
        tv.localTs = tape.localTs[r0]!;
        this.callbacks++;
        s.onTrade(this.local, tv);
        this.flush();
      }
      return pos + 1;
    }
    if (k0 === EventKind.Funding || (k0 >= EventKind.L3Add && k0 <= EventKind.L3Fill)) return pos + 1;
    const n = tape.length;
    if (apply) {
      const book = this.local.books[inst]!;
      const bids = book.bids;
      const asks = book.asks;
      for (;;) {
        const f = flags[pos]!;
        if (kind[pos] === EventKind.Clear) book.clear();
        else if ((f & EventFlag.Bid) !== 0) bids.set(price[pos]!, size[pos]!);
        else asks.set(price[pos]!, size[pos]!);
        pos++;
        if ((f & EventFlag.Eom) !== 0 || pos >= n) break;
      }
    } else {
      while (pos < n && (flags[pos++]! & EventFlag.Eom) === 0) {}
    }
    const s = this.strategy;
    if (s.onBook) {
      this.callbacks++;
      s.onBook(this.local, inst);
      this.flush();
    }
    return pos;
  }

  // --- timed events ----------------------------------------------------------------------------

  private nextTimed(): number {
    let t = this.toExchange.nextT();
    const b = this.toLocal.nextT();
    if (b < t) t = b;
    if (this.local.timerNext < t) t = this.local.timerNext;
    if (this.fundingNext < t) t = this.fundingNext;
    if (this.equityNext < t) t = this.equityNext;
    return t;
  }

  /** Handle the earliest timed event. */
  private timed(): void {
    const tx = this.toExchange.nextT();
    const tl = this.toLocal.nextT();
    const tt = this.local.timerNext;
    const tf = this.fundingNext;
    const te = this.equityNext;
    const t = Math.min(tx, tl, tt, tf, te);
    if (tx === t) {
      const m = this.toExchange.shift()!;
      if (m.type === ToExchange.New) this.exchange.submit(m.order!, m.t);
      else if (m.type === ToExchange.Cancel) this.exchange.cancel(m.id, m.t);
      else this.exchange.amend(m.amend!, m.t);
      return;
    }
    const local = this.local;
    if (tl === t) {
      const m = this.toLocal.shift()!;
      local.clock = m.t;
      this.respond(m);
      this.flush();
      return;
    }
    if (tt === t) {
      local.clock = t;
      local.timerNext = local.timerInterval > 0 ? t + local.timerInterval : INF;
      if (this.strategy.onTimer) {
        this.callbacks++;
        this.strategy.onTimer(local, t);
        this.flush();
      }
      return;
    }
    if (tf === t) {
      this.settleFunding(t);
      return;
    }
    this.sampleEquity(t);
    this.equityNext = t + this.sim.equityIntervalUs;
  }

  /**
   * Jump the strategy timer and the equity sampling over a data gap ending at `resume` (one sample
   * marks where the data stopped). Orders and responses in flight are never skipped. True when
   * something was skipped.
   */
  private skipIdle(resume: Micros): boolean {
    if (this.toExchange.nextT() < resume || this.toLocal.nextT() < resume) return false;
    let skipped = false;
    const interval = this.sim.equityIntervalUs;
    if (this.equityNext + IDLE_GAP_US < resume) {
      this.sampleEquity(this.equityNext);
      this.equityNext += Math.ceil((resume - this.equityNext) / interval) * interval;
      skipped = true;
    }
    const local = this.local;
    if (local.timerInterval > 0 && local.timerNext + IDLE_GAP_US < resume) {
      local.timerNext += Math.ceil((resume - local.timerNext) / local.timerInterval) * local.timerInterval;
      skipped = true;
    }
    return skipped;
  }

  private mark(inst: number): number {
    const m = this.exchange.book(inst).mid();
    if (!Number.isNaN(m)) this.lastMid[inst] = m;
    return this.lastMid[inst]!;
  }

  private sampleEquity(t: Micros): void {
    const account = this.account;
    const equity = account.equity((i) => this.mark(i));
    let position = 0;
    for (let i = 0; i < account.position.length; i++) position += account.size(i, account.position[i]!);
    const mid = account.price(0, this.mark(0));
    const eq = this.recorder.equity;
    const last = eq[eq.length - 1];
    if (last && last.ts === t) eq.pop();
    eq.push({ ts: t, equity, position, mid });
  }

  private refreshFunding(): void {
    let t = INF;
    for (const f of this.funding) if (f.next < t) t = f.next;
    this.fundingNext = t;
  }

  private settleFunding(t: Micros): void {
    for (let i = 0; i < this.funding.length; i++) {
      const f = this.funding[i]!;
      if (f.next > t) continue;
      if (this.account.position[i] !== 0) {
        const markUnits = Number.isNaN(f.tickerMark) ? this.mark(i) : f.tickerMark;
        if (!Number.isNaN(markUnits)) {
          const before = this.account.funding;
          this.account.payFunding(i, f.rate(), markUnits);
          // The venue pushes funding to the account at once: the strategy's cash sees it too.
          this.local.cashDelta -= this.account.funding - before;
        }
      }
      f.advance(t);
    }
    this.refreshFunding();
  }

  // --- requests: buffered actions → checks → the exchange connection ----------------------------

  /** Apply the actions a callback buffered, then deliver local rejections (which may act again). */
  private flush(): void {
    const local = this.local;
    for (let round = 0; local.actions.length > 0 || this.immediate.length > 0; round++) {
      if (round > 10_000)
        throw new Error('strategy keeps reacting to its own rejected orders (10 000 rounds)');
      const actions = local.actions;
      local.actions = this.spareActions;
      for (let i = 0; i < actions.length; i++) this.apply(actions[i]!);
      actions.length = 0;
      this.spareActions = actions;
      if (this.immediate.length > 0) {
        const list = this.immediate;
        this.immediate = [];
        for (const u of list) {
          const up = this.update.set(u.kind, u.order, local.clock, u.done);
          up.rejectReason = u.reason;
          this.deliver(up);
        }
      }
    }
  }

  private apply(a: Action): void {
    const local = this.local;
    const now = local.clock;
    if (a.type === 'submit') {
      const lo = new LocalOrder(
        a.id,
        a.instrument,
        a.side,
        a.orderType,
        a.price,
        a.size,
        a.postOnly,
        a.ioc,
        now,
      );
      this.recorder.submitted(a.id, a.instrument, a.side, a.orderType, a.price, a.size, now);
      const book = local.books[a.instrument];
      const ref =
        a.orderType === 'market'
          ? a.side === 'buy'
            ? (book?.bestAsk() ?? Number.NaN)
            : (book?.bestBid() ?? Number.NaN)
          : a.price;
      const checked = checkOrder(
        {
          id: a.id,
          instrument: a.instrument,
          side: a.side,
          type: a.orderType,
          price: a.price,
          size: a.size,
          postOnly: a.postOnly,
          ioc: a.ioc,
        },
        this.tape.instruments[a.instrument],
        local,
        this.limits,
        ref,
      );
      if (typeof checked === 'string') {
        this.recorder.rejected(a.id, checked, now);
        this.immediate.push({ kind: 'rejected', order: lo, reason: checked, done: true });
        return;
      }
      local.addOpen(lo);
      this.send(ToExchange.New, a.id, checked, null);
      return;
    }
    const lo = local.orders.get(a.id);
    if (!lo || lo.state === 'pending_cancel') return;
    if (a.type === 'cancel') {
      lo.state = 'pending_cancel';
      this.send(ToExchange.Cancel, a.id, null, null);
      return;
    }
    if (lo.type === 'market') return;
    const checked = checkAmend(
      { id: a.id, instrument: lo.instrument, side: lo.side, price: a.price, size: a.size },
      this.tape.instruments[lo.instrument],
      local,
      this.limits,
      lo.size,
    );
    if (typeof checked === 'string') {
      this.immediate.push({ kind: 'rejected', order: lo, reason: checked, done: false });
      return;
    }
    lo.state = 'pending_amend';
    this.send(ToExchange.Amend, a.id, null, checked);
  }

  private send(type: number, id: number, order: RequestMsg['order'], amend: RequestMsg['amend']): void {
    const now = this.local.clock;
    this.requests++;
    const lat = this.latency.entry(now);
    if (lat < 0) {
      // The venue refuses it for technical reasons; the refusal takes |lat| to reach us.
      if (type === ToExchange.New) this.recorder.rejected(id, 'latency', now);
      const m = new ResponseMsg(
        Math.max(now - lat, this.toLocal.lastT),
        type === ToExchange.New ? ToLocal.Rejected : ToLocal.RequestRejected,
        id,
      );
      m.reason = 'latency';
      this.toLocal.push(m);
      return;
    }
    this.toExchange.push(new RequestMsg(Math.max(now + lat, this.toExchange.lastT), type, id, order, amend));
  }

  // --- responses: the exchange → the response connection → the strategy's view ---------------

  private reply(t: Micros, type: number, id: number): ResponseMsg {
    const lat = this.latency.response(t);
    const m = new ResponseMsg(Math.max(t + Math.abs(lat), this.toLocal.lastT), type, id);
    this.toLocal.push(m);
    return m;
  }

  accepted(o: ExchOrder, t: Micros): void {
    this.reply(t, ToLocal.Accepted, o.id);
  }

  filled(o: ExchOrder, price: number, size: number, maker: boolean, t: Micros): void {
    const rates = this.feeRates[o.inst]!;
    const fee = this.account.fill(o.inst, o.isBuy, price, size, maker ? rates.maker : rates.taker);
    const done = o.leaves <= 0;
    this.recorder.fill(o.id, o.inst, o.isBuy, price, size, fee, maker, t, done);
    const m = this.reply(t, ToLocal.Fill, o.id);
    m.price = price;
    m.size = size;
    m.fee = fee;
    m.maker = maker;
    m.done = done;
  }

  canceled(o: ExchOrder, t: Micros): void {
    this.recorder.canceled(o.id, t);
    this.reply(t, ToLocal.Canceled, o.id);
  }

  rejected(o: ExchOrder, reason: RejectReason, t: Micros): void {
    this.recorder.rejected(o.id, reason, t);
    this.reply(t, ToLocal.Rejected, o.id).reason = reason;
  }

  amended(o: ExchOrder, t: Micros): void {
    this.recorder.amended(o.id, o.price, o.size);
    const m = this.reply(t, ToLocal.Amended, o.id);
    m.price = o.price;
    m.size = o.size;
  }

  requestRejected(orderId: number, reason: RejectReason, _isAmend: boolean, t: Micros): void {
    this.reply(t, ToLocal.RequestRejected, orderId).reason = reason;
  }

  ticker(inst: number, rate: number, nextTs: number, markUnits: number, _t: Micros): void {
    const f = this.funding[inst];
    if (!f) return;
    f.ticker(rate, nextTs, markUnits);
    this.refreshFunding();
  }

  /** A response reaches the strategy's view. */
  private respond(m: ResponseMsg): void {
    this.responses++;
    const local = this.local;
    const lo = local.orders.get(m.id);
    if (!lo) return;
    const t = m.t;
    switch (m.type) {
      case ToLocal.Accepted:
        lo.acked = true;
        if (lo.state === 'pending_new') lo.state = 'open';
        this.deliver(this.update.set('accepted', lo, t, false));
        return;
      case ToLocal.Fill: {
        local.applyFill(lo, m.price, m.size, m.fee);
        if (m.done) local.removeOpen(lo);
        const u = this.update.set('fill', lo, t, m.done);
        u.fillPrice = m.price;
        u.fillSize = m.size;
        u.maker = m.maker;
        this.deliver(u);
        return;
      }
      case ToLocal.Canceled:
        local.removeOpen(lo);
        this.deliver(this.update.set('canceled', lo, t, true));
        return;
      case ToLocal.Rejected: {
        local.removeOpen(lo);
        const u = this.update.set('rejected', lo, t, true);
        u.rejectReason = m.reason;
        this.deliver(u);
        return;
      }
      case ToLocal.Amended:
        lo.price = m.price;
        lo.size = m.size;
        if (lo.state === 'pending_amend') lo.state = 'open';
        this.deliver(this.update.set('amended', lo, t, false));
        return;
      case ToLocal.RequestRejected: {
        if (lo.state === 'pending_cancel' || lo.state === 'pending_amend')
          lo.state = lo.acked ? 'open' : 'pending_new';
        const u = this.update.set('rejected', lo, t, false);
        u.rejectReason = m.reason;
        this.deliver(u);
        return;
      }
    }
  }

  private deliver(u: MutableOrderUpdate): void {
    const s = this.strategy;
    if (!s.onOrderUpdate) return;
    this.callbacks++;
    s.onOrderUpdate(this.local, u);
  }
}

const identities = new WeakMap<Tape, Int32Array>();

/** 0, 1, 2, … (the fast mode's "exchange order": receive order). Cached per tape. */
function identity(n: number, tape?: Tape): Int32Array {
  const cached = tape ? identities.get(tape) : undefined;
  if (cached) return cached;
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  if (tape) identities.set(tape, a);
  return a;
}

/** Median feed latency of a tape's sources (µs). */
function medianFeedLatency(tape: Tape): number {
  const xs = tape.sources.map((s) => s.medianFeedLatencyUs).sort((a, b) => a - b);
  return xs.length > 0 ? xs[xs.length >> 1]! : 0;
}

/** Fast mode's order latency: the exchange runs `feedUs` late, so entry takes longer and responses less. */
class FeedShiftedLatency implements LatencyModel {
  readonly name: string;
  constructor(
    private readonly inner: LatencyModel,
    private readonly feedUs: number,
  ) {
    this.name = inner.name;
  }

  entry(t: number): number {
    const e = this.inner.entry(t);
    return e < 0 ? e : e + this.feedUs;
  }

  response(t: number): number {
    return Math.max(0, this.inner.response(t) - this.feedUs);
  }
}
