/**
 * Paper trading: the backtester's simulated exchange (same matching, queue, liquidity-consumption
 * and fee models) driven by live market events instead of a tape, behind the execution-venue port.
 *
 * The simulated exchange matches against the live book itself — the feed's SymbolBook, handed in
 * with each message — not a copy: live, the exchange's view and ours see every message at the same
 * instant, so a second book would only repeat the feed's writes. The exchange keeps its own queue
 * state (each resting order's place and the size it last saw at its price) and liquidity
 * consumption. A lost book is swapped for an empty one until the next snapshot. Trades go through
 * a one-row message tape, exactly as a backtest hands the exchange a recorded trade. Orders and
 * reports travel with the configured
 * latency on event time: a request sent at t reaches the simulated exchange at t + entry latency
 * and its reports reach the kernel response latency later, delivered when the live clock passes
 * them (`advance`). Nothing here reads a wall clock, so a recorded session replays to the same fills.
 */
import { TimedFifo } from '../backtest/engine/fifo.ts';
import { emptyTape } from '../backtest/tape/empty-tape.ts';
import { EventFlag, EventKind } from '../backtest/tape/event-kind.ts';
import type { Tape } from '../backtest/tape/tape.ts';
import { L2Book } from '../book/l2-book.ts';
import { LevelChanges } from '../book/level-changes.ts';
import type { Micros, Side } from '../market/events.ts';
import type { Instrument } from '../market/instrument.ts';
import type { CheckedAmend, CheckedOrder } from '../risk/order-check.ts';
import { notional } from '../risk/order-check.ts';
import type { SimBook } from '../sim/book/sim-book.ts';
import type { ExchOrder } from '../sim/exchange/exch-order.ts';
import { type ExchangeListener, SimExchange } from '../sim/exchange/sim-exchange.ts';
import type { FeeRates } from '../sim/fees/fee-table.ts';
import type { QueueModel } from '../sim/queue/queue-model.ts';
import type { OrderId } from '../strategy/order-types.ts';
import type { RejectReason } from '../strategy/reject-reason.ts';
import type { ExecutionReports, ExecutionVenue } from './execution-venue.ts';
import { PaperReport, PaperRequest, RecordPool, ToExchange, ToLocal } from './paper-messages.ts';
import { PreMessageBook } from './pre-message-book.ts';

export interface PaperVenueOptions {
  readonly instruments: readonly Instrument[];
  readonly queue: QueueModel;
  readonly partialFills: boolean;
  readonly liquidityConsumption: boolean;
  /** Order entry and response latency, µs of event time. */
  readonly entryUs: number;
  readonly responseUs: number;
  /** Fee rates per instrument (index for index). */
  readonly fees: readonly FeeRates[];
}

export class PaperVenue implements ExecutionVenue, ExchangeListener {
  readonly id = 'paper';
  readonly exchange: SimExchange;
  private reports: ExecutionReports | undefined;
  private readonly options: PaperVenueOptions;
  private readonly requests = new TimedFifo<PaperRequest>();
  private readonly responses = new TimedFifo<PaperReport>();
  private readonly requestPool = new RecordPool(() => new PaperRequest());
  private readonly reportPool = new RecordPool(() => new PaperReport());
  /** One row: a trade, as the exchange reads it from a tape. */
  private readonly tradeTape: Tape;
  private readonly firstRow = new Int32Array(1);
  /** What the exchange matches against while an instrument has no trusted live book. */
  private readonly noBook = new L2Book();
  private readonly noChanges = new LevelChanges();
  private trades = 0;
  private clock: Micros = 0;
  /** The book before the message being handled, while its due requests and reports run (see onBook). */
  private readonly before = new PreMessageBook(this.noBook, this.noChanges);
  private beforeOf = -1;
  /** Submits, cancels and amends received (the venue calls the kernel made). */
  requestsSent = 0;

  constructor(options: PaperVenueOptions) {
    this.options = options;
    this.exchange = new SimExchange(
      {
        instruments: options.instruments,
        queue: options.queue,
        partialFills: options.partialFills,
        liquidityConsumption: options.liquidityConsumption,
        books: options.instruments.map(() => this.noBook),
      },
      this,
    );
    this.tradeTape = emptyTape(1, this.options.instruments);
  }

  /** Where reports go (the kernel); set once, before any order. */
  connect(reports: ExecutionReports): void {
    this.reports = reports;
  }

  // --- ExecutionVenue ---------------------------------------------------------------------

  submit(order: CheckedOrder, _clientOrderId: string, now: Micros): void {
    const r = this.request(ToExchange.New, now);
    r.id = order.request.id;
    r.order = order;
  }

  cancel(orderId: OrderId, _clientOrderId: string, now: Micros): void {
    this.request(ToExchange.Cancel, now).id = orderId;
  }

  amend(amend: CheckedAmend, _clientOrderId: string, now: Micros): void {
    const r = this.request(ToExchange.Amend, now);
    r.id = amend.request.id;
    r.amend = amend;
  }

  /** A pooled request record, queued to arrive after the entry latency (never before an earlier one). */
  private request(type: number, now: Micros): PaperRequest {
    this.requestsSent++;
    const r = this.requestPool.take();
    r.t = Math.max(now + this.options.entryUs, this.requests.lastT);
    r.type = type;
    this.requests.push(r);
    return r;
  }

  // --- live market events -----------------------------------------------------------------

  /** Requests and reports due by `now`, in time order (call before handing the kernel an event at `now`). */
  advance(now: Micros): void {
    for (;;) {
      const tr = this.requests.nextT();
      const tp = this.responses.nextT();
      const t = Math.min(tr, tp);
      if (t > now) break;
      if (tr <= tp) this.arrive(this.requests.shift()!);
      else this.deliver(this.responses.shift()!);
    }
    if (now > this.clock) this.clock = now;
  }

  /**
   * One whole venue message changed `instrument`'s live `book` (already written: `changes` says
   * what); `snapshot`: the book was rebuilt. Requests due by `now` reach the exchange first, as
   * they would have between the messages: the book is taken back to what it held before this
   * message for them (each change knows the size it replaced), then forward again. A snapshot
   * cannot be taken back (its clear forgot the old levels); requests due then meet the new book.
   */
  onBook(instrument: number, book: SimBook, changes: LevelChanges, snapshot: boolean, now: Micros): void {
    const attach = this.exchange.book(instrument) !== book;
    if (this.requests.nextT() <= now && !snapshot && !attach && changes.previousKnown()) {
      // The exchange (and, through `bookBefore`, the kernel) read the book before the message.
      this.before.begin(book, changes);
      this.beforeOf = instrument;
      this.exchange.replaceBook(instrument, this.before);
      try {
        this.advance(now);
      } finally {
        this.exchange.replaceBook(instrument, book);
        this.beforeOf = -1;
        this.before.end();
      }
    } else this.advance(now);
    if (changes.count === 0 && !snapshot && !attach) return;
    if (attach) this.exchange.replaceBook(instrument, book);
    this.exchange.bookApplied(instrument, changes, snapshot || attach, now);
  }

  /**
   * While `onBook` runs the requests and reports due before the message it was handed: that
   * instrument's book as it was before the message (every read exact); otherwise undefined. A
   * driver hands it to the kernel in place of the live book meanwhile (fargate/trading/live-trader.ts).
   */
  bookBefore(instrument: number): SimBook | undefined {
    return instrument === this.beforeOf ? this.before : undefined;
  }

  /** The book went stale: the simulated exchange matches against an empty book until the next snapshot. */
  onBookLost(instrument: number, now: Micros): void {
    this.advance(now);
    this.exchange.replaceBook(instrument, this.noBook);
    this.exchange.bookApplied(instrument, this.noChanges, true, now);
  }

  /** A public trade; `side` is the aggressor's. */
  onTrade(
    instrument: number,
    tradePrice: number,
    tradeSize: number,
    side: Side | 'unknown',
    now: Micros,
  ): void {
    this.advance(now);
    const { kind, flags, inst, localTs, price, size } = this.tradeTape;
    kind[0] = EventKind.Trade;
    flags[0] = EventFlag.Eom | (side === 'buy' ? EventFlag.Buy : side === 'sell' ? EventFlag.Sell : 0);
    inst[0] = instrument;
    localTs[0] = now;
    price[0] = tradePrice;
    size[0] = tradeSize;
    this.exchange.processMessage(this.tradeTape, this.firstRow, 0, localTs);
  }

  private arrive(r: PaperRequest): void {
    if (r.type === ToExchange.New) this.exchange.submit(r.order!, r.t);
    else if (r.type === ToExchange.Cancel) this.exchange.cancel(r.id, r.t);
    else this.exchange.amend(r.amend!, r.t);
    r.order = null;
    r.amend = null;
    this.requestPool.give(r);
  }

  // --- the simulated exchange's reports → the kernel, after the response latency ----------

  /** A pooled report record for order `id`, delivered at t + response latency and stamped so. */
  private reply(type: number, id: OrderId, t: Micros): PaperReport {
    const r = this.reportPool.take();
    r.t = Math.max(t + this.options.responseUs, this.responses.lastT);
    r.ts = t + this.options.responseUs;
    r.type = type;
    r.id = id;
    this.responses.push(r);
    return r;
  }

  /** Hand one report to the kernel; the record goes back to the pool after the call (it may queue more). */
  private deliver(r: PaperReport): void {
    const k = this.reports;
    if (k) {
      const id = r.id;
      const ts = r.ts;
      switch (r.type) {
        case ToLocal.Accepted:
          k.accepted(id, `paper-${id}`, ts);
          break;
        case ToLocal.Fill:
          k.filled(id, r.tradeId, r.price, r.size, r.fee, r.feeCurrency, r.maker, ts);
          break;
        case ToLocal.Canceled:
          k.canceled(id, ts);
          break;
        case ToLocal.Rejected:
          k.rejected(id, r.reason, ts);
          break;
        case ToLocal.Amended:
          k.amended(id, r.price, r.size, ts);
          break;
        default:
          k.requestRejected(id, r.reason, r.isAmend, ts);
      }
    }
    r.tradeId = '';
    this.reportPool.give(r);
  }

  accepted(o: ExchOrder, t: Micros): void {
    this.reply(ToLocal.Accepted, o.id, t);
  }

  filled(o: ExchOrder, fillPrice: number, fillSize: number, maker: boolean, t: Micros): void {
    const inst = this.options.instruments[o.inst]!;
    const rates = this.options.fees[o.inst] ?? { maker: 0, taker: 0 };
    const r = this.reply(ToLocal.Fill, o.id, t);
    // A fill is stamped with its delivery time (the others with t + response latency).
    r.ts = r.t;
    r.price = fillPrice;
    r.size = fillSize;
    r.fee = notional(inst, fillPrice, fillSize) * (maker ? rates.maker : rates.taker);
    r.feeCurrency = inst.quote;
    r.maker = maker;
    r.tradeId = `paper-${++this.trades}`;
  }

  canceled(o: ExchOrder, t: Micros): void {
    this.reply(ToLocal.Canceled, o.id, t);
  }

  rejected(o: ExchOrder, reason: RejectReason, t: Micros): void {
    this.reply(ToLocal.Rejected, o.id, t).reason = reason;
  }

  amended(o: ExchOrder, t: Micros): void {
    const r = this.reply(ToLocal.Amended, o.id, t);
    r.price = o.price;
    r.size = o.size;
  }

  requestRejected(orderId: number, reason: RejectReason, isAmend: boolean, t: Micros): void {
    const r = this.reply(ToLocal.RequestRejected, orderId, t);
    r.reason = reason;
    r.isAmend = isAmend;
  }

  ticker(): void {}
}
