/**
 * The replay engine: runs a Strategy over a Tape against the simulated exchange.
 *
 * Two views joined by latency (hftbacktest's design; docs/backtest-models.md, Latency and Two
 * views): the exchange consumes the tape in EXCHANGE-time order into its books and matches our
 * orders there; the strategy consumes it in RECEIVE-time order into its own books and is called
 * after each message. Requests go to the exchange after the entry latency, responses (acks, fills,
 * cancels) come back after the response latency, each over one ordered connection. The loop always
 * advances whichever comes first: the next exchange-side row, the next receive-side row, or a timed
 * event (request arrival, response arrival, strategy timer, funding, equity sample). Ties: exchange
 * rows, then receive rows, then timed events (an order arriving at the same µs as market data sees
 * the data first).
 *
 * Fast mode (sweeps): one book for both views at receive time — each row is applied once instead
 * of twice. Feed latency becomes a constant (the tape's median): the exchange, running at receive
 * time, is that much behind where it should be, so requests take that much longer to reach it and
 * responses that much less to come back. Pair it with a reduced tape (tape/top-levels.ts);
 * fast-mode.ts measures what the approximation costs.
 *
 * The strategy side is the trading kernel (core/trading/trading-kernel.ts) — the same OMS, risk gate
 * and order path as paper and live trading: the engine hands it the receive-time books, trades and
 * time, and is its execution venue (requests go onto the entry-latency connection; the exchange's
 * reports come back over the response connection to the kernel's report entry points). The risk
 * gate runs with open limits (open-risk-params.ts) plus the simulated account's margin check,
 * unless the run is given risk params of its own.
 *
 * Hot loop: rows are read from the tape's typed arrays; no allocation per row or message (orders,
 * responses and records allocate, and they are rare); no logging; the queue model is the only
 * interface call, and only at prices where we rest.
 */
import type { Micros } from '../../market/events.ts';
import { ClientOrderIds } from '../../oms/client-order-id.ts';
import type { CheckedAmend, CheckedOrder } from '../../risk/order-check.ts';
import { RiskGate } from '../../risk/risk-gate.ts';
import type { RiskParams } from '../../risk/risk-params.ts';
import { Account } from '../../sim/account.ts';
import { booksForTape } from '../../sim/book/books-for-tape.ts';
import type { SimBook } from '../../sim/book/sim-book.ts';
import type { ExchOrder } from '../../sim/exchange/exch-order.ts';
import { type ExchangeListener, SimExchange } from '../../sim/exchange/sim-exchange.ts';
import type { FeeRates, FeeTable } from '../../sim/fees/fee-table.ts';
import { FundingState } from '../../sim/funding.ts';
import type { LatencyModel } from '../../sim/latency/latency-model.ts';
import { createLatencyModel } from '../../sim/latency/latency-spec.ts';
import { createQueueModel } from '../../sim/queue/queue-spec.ts';
import { seededRandom } from '../../sim/random.ts';
import type { SimConfig } from '../../sim/sim-config.ts';
import type { OrderId } from '../../strategy/order-types.ts';
import type { StrategyParams } from '../../strategy/params.ts';
import type { RejectReason } from '../../strategy/reject-reason.ts';
import type { Strategy } from '../../strategy/strategy.ts';
import type { ExecutionVenue } from '../../trading/execution-venue.ts';
import { type KernelBook, TradingKernel } from '../../trading/trading-kernel.ts';
import { EventFlag, EventKind } from '../tape/event-kind.ts';
import type { Tape } from '../tape/tape.ts';
import { TimedFifo } from './fifo.ts';
import { RequestMsg, ResponseMsg, ToExchange, ToLocal } from './messages.ts';
import { openRiskParams } from './open-risk-params.ts';
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
  /** The strategy's name (journal and status). */
  readonly strategyName?: string;
  /** Risk limits for the kernel's gate (default: open-risk-params.ts). */
  readonly risk?: RiskParams;
}

/** Counters of a finished run (beside the BacktestResult). */
export interface EngineStats {
  readonly rows: number;
  readonly messages: number;
  readonly callbacks: number;
  readonly requests: number;
  readonly responses: number;
}

const INF = Number.POSITIVE_INFINITY;

/** Silence in the data longer than this is a gap between sessions: idle timers are skipped. */
const IDLE_GAP_US = 60_000_000;

export class Engine implements ExchangeListener, ExecutionVenue {
  readonly id = 'sim';
  readonly tape: Tape;
  /** The strategy's side: OMS, positions, risk gate (the same kernel as paper and live trading). */
  readonly kernel: TradingKernel;
  /** The strategy's books, built from the tape at receive time (the exchange's own in fast mode). */
  readonly books: readonly SimBook[];
  readonly exchange: SimExchange;
  readonly account: Account;
  readonly recorder: Recorder;
  readonly latency: LatencyModel;
  private readonly strategy: Strategy;
  private readonly sim: SimConfig;
  private readonly fast: boolean;
  private readonly feeRates: FeeRates[];
  private readonly quotes: readonly string[];
  private readonly funding: FundingState[];
  private readonly toExchange = new TimedFifo<RequestMsg>();
  private readonly toLocal = new TimedFifo<ResponseMsg>();
  private readonly lastMid: Float64Array;
  private readonly onProgress: ((p: Progress) => void) | undefined;
  private equityNext = INF;
  private fundingNext = INF;
  private fillSeq = 0;
  private messages = 0;
  private callbacks = 0;
  private requests = 0;
  private responses = 0;

  constructor(options: EngineOptions) {
    const { tape, sim } = options;
    this.tape = tape;
    this.strategy = options.strategy;
    this.sim = sim;
    this.fast = options.mode === 'fast';
    this.onProgress = options.onProgress;
    const instruments = tape.instruments;
    const localBooks = booksForTape(tape);
    this.books = localBooks;
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
    this.quotes = instruments.map((i) => i.quote);
    this.funding = instruments.map((i) => new FundingState(sim.funding, i.kind === 'perp'));
    this.lastMid = new Float64Array(instruments.length).fill(Number.NaN);
    // A tape holds only books that were whole and in sequence when recorded: trusted throughout.
    const kernelBooks: KernelBook[] = localBooks.map((book) => ({ book, trust: 'trusted' }));
    let kernel: TradingKernel | undefined;
    const gate = new RiskGate(
      instruments,
      options.risk ?? openRiskParams(instruments),
      { nowMicros: () => kernel?.time ?? 0 },
      { maxLeverage: sim.maxLeverage, initialCapital: sim.initialCapital },
    );
    const recorder = this.recorder;
    kernel = new TradingKernel({
      instruments,
      books: (i) => kernelBooks[i],
      venueOf: () => this,
      gate,
      clientIds: new ClientOrderIds({ prefix: 'bt', instance: 0, epoch: 0 }),
      strategy: options.strategy,
      strategyName: options.strategyName ?? 'strategy',
      params: options.params,
      random: seededRandom(options.seed),
      onRiskDenied: (o, reason, ts) => {
        recorder.submitted(o.id, o.instrument, o.side, o.type, o.price, o.size, ts);
        recorder.rejected(o.id, reason, ts);
      },
    });
    this.kernel = kernel;
  }

  /** Run to the end of the tape. */
  run(): EngineStats {
    const tape = this.tape;
    const n = tape.length;
    if (n === 0) return this.stats(0);
    const start = tape.startTs;
    this.kernel.start(start);
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

  /** One tape message at receive time: update the strategy's book (unless shared), then the kernel. */
  private localMessage(pos: number, apply: boolean): number {
    const tape = this.tape;
    const { kind, flags, price, size } = tape;
    const r0 = pos;
    const k0 = kind[r0]!;
    const inst = tape.inst[r0]!;
    const now = tape.localTs[r0]!;
    this.messages++;
    if (k0 === EventKind.Trade) {
      const f = flags[r0]!;
      if (this.strategy.onTrade) this.callbacks++;
      this.kernel.onTrade(
        inst,
        price[r0]!,
        size[r0]!,
        (f & EventFlag.Buy) !== 0 ? 'buy' : (f & EventFlag.Sell) !== 0 ? 'sell' : 'unknown',
        tape.exchTs[r0]!,
        now,
      );
      return pos + 1;
    }
    if (k0 === EventKind.Funding || (k0 >= EventKind.L3Add && k0 <= EventKind.L3Fill)) return pos + 1;
    const n = tape.length;
    if (apply) {
      const book = this.books[inst]!;
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
    if (this.strategy.onBook) this.callbacks++;
    this.kernel.onBook(inst, now);
    return pos;
  }

  // --- timed events ----------------------------------------------------------------------------

  private nextTimed(): number {
    let t = this.toExchange.nextT();
    const b = this.toLocal.nextT();
    if (b < t) t = b;
    const timer = this.kernel.nextTimerAt;
    if (timer < t) t = timer;
    if (this.fundingNext < t) t = this.fundingNext;
    if (this.equityNext < t) t = this.equityNext;
    return t;
  }

  /** Handle the earliest timed event. */
  private timed(): void {
    const tx = this.toExchange.nextT();
    const tl = this.toLocal.nextT();
    const tt = this.kernel.nextTimerAt;
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
    if (tl === t) {
      this.respond(this.toLocal.shift()!);
      return;
    }
    if (tt === t) {
      if (this.strategy.onTimer) this.callbacks++;
      this.kernel.onTime(t);
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
    if (this.kernel.nextTimerAt + IDLE_GAP_US < resume && this.kernel.skipTimerTo(resume)) skipped = true;
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
          this.kernel.fundingPaid(i, this.account.funding - before, t);
        }
      }
      f.advance(t);
    }
    this.refreshFunding();
  }

  // --- requests: the kernel (risk gate passed) → the exchange connection ------------------------

  submit(order: CheckedOrder, _clientOrderId: string, now: Micros): void {
    const r = order.request;
    this.recorder.submitted(r.id, r.instrument, r.side, r.type, r.price, r.size, now);
    this.send(ToExchange.New, r.id, order, null, now);
  }

  cancel(orderId: OrderId, _clientOrderId: string, now: Micros): void {
    this.send(ToExchange.Cancel, orderId, null, null, now);
  }

  amend(amend: CheckedAmend, _clientOrderId: string, now: Micros): void {
    this.send(ToExchange.Amend, amend.request.id, null, amend, now);
  }

  private send(
    type: number,
    id: number,
    order: RequestMsg['order'],
    amend: RequestMsg['amend'],
    now: Micros,
  ): void {
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
      m.isAmend = type === ToExchange.Amend;
      this.toLocal.push(m);
      return;
    }
    this.toExchange.push(new RequestMsg(Math.max(now + lat, this.toExchange.lastT), type, id, order, amend));
  }

  // --- responses: the exchange → the response connection → the kernel ---------------------------

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
    m.inst = o.inst;
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

  requestRejected(orderId: number, reason: RejectReason, isAmend: boolean, t: Micros): void {
    const m = this.reply(t, ToLocal.RequestRejected, orderId);
    m.reason = reason;
    m.isAmend = isAmend;
  }

  ticker(inst: number, rate: number, nextTs: number, markUnits: number, _t: Micros): void {
    const f = this.funding[inst];
    if (!f) return;
    f.ticker(rate, nextTs, markUnits);
    this.refreshFunding();
  }

  /** A response reaches the kernel (the strategy's side of the connection). */
  private respond(m: ResponseMsg): void {
    this.responses++;
    const kernel = this.kernel;
    const t = m.t;
    switch (m.type) {
      case ToLocal.Accepted:
        kernel.accepted(m.id, '', t);
        return;
      case ToLocal.Fill:
        this.fillSeq++;
        kernel.filled(m.id, String(this.fillSeq), m.price, m.size, m.fee, this.quotes[m.inst]!, m.maker, t);
        return;
      case ToLocal.Canceled:
        kernel.canceled(m.id, t);
        return;
      case ToLocal.Rejected:
        kernel.rejected(m.id, m.reason!, t);
        return;
      case ToLocal.Amended:
        kernel.amended(m.id, m.price, m.size, t);
        return;
      case ToLocal.RequestRejected:
        kernel.requestRejected(m.id, m.reason!, m.isAmend, t);
        return;
    }
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
