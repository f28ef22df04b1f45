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

type Request =
  | { readonly t: Micros; readonly type: 'submit'; readonly order: CheckedOrder }
  | { readonly t: Micros; readonly type: 'cancel'; readonly id: OrderId }
  | { readonly t: Micros; readonly type: 'amend'; readonly amend: CheckedAmend };

interface Report {
  readonly t: Micros;
  readonly deliver: (reports: ExecutionReports) => void;
}

export class PaperVenue implements ExecutionVenue, ExchangeListener {
  readonly id = 'paper';
  readonly exchange: SimExchange;
  private reports: ExecutionReports | undefined;
  private readonly options: PaperVenueOptions;
  private readonly requests = new TimedFifo<Request>();
  private readonly responses = new TimedFifo<Report>();
  /** One row: a trade, as the exchange reads it from a tape. */
  private readonly tradeTape: Tape;
  private readonly firstRow = new Int32Array(1);
  /** What the exchange matches against while an instrument has no trusted live book. */
  private readonly noBook = new L2Book();
  private readonly noChanges = new LevelChanges();
  private trades = 0;
  private clock: Micros = 0;
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
    this.requestsSent++;
    this.requests.push({
      t: Math.max(now + this.options.entryUs, this.requests.lastT),
      type: 'submit',
      order,
    });
  }

  cancel(orderId: OrderId, _clientOrderId: string, now: Micros): void {
    this.requestsSent++;
    this.requests.push({
      t: Math.max(now + this.options.entryUs, this.requests.lastT),
      type: 'cancel',
      id: orderId,
    });
  }

  amend(amend: CheckedAmend, _clientOrderId: string, now: Micros): void {
    this.requestsSent++;
    this.requests.push({
      t: Math.max(now + this.options.entryUs, this.requests.lastT),
      type: 'amend',
      amend,
    });
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
      else {
        const r = this.responses.shift()!;
        if (this.reports) r.deliver(this.reports);
      }
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
      undo(book, changes);
      this.advance(now);
      redo(book, changes);
    } else this.advance(now);
    if (changes.count === 0 && !snapshot && !attach) return;
    if (attach) this.exchange.replaceBook(instrument, book);
    this.exchange.bookApplied(instrument, changes, snapshot || attach, now);
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

  private arrive(r: Request): void {
    if (r.type === 'submit') this.exchange.submit(r.order, r.t);
    else if (r.type === 'cancel') this.exchange.cancel(r.id, r.t);
    else this.exchange.amend(r.amend, r.t);
  }

  // --- the simulated exchange's reports → the kernel, after the response latency ----------

  private reply(t: Micros, deliver: (reports: ExecutionReports) => void): void {
    this.responses.push({ t: Math.max(t + this.options.responseUs, this.responses.lastT), deliver });
  }

  accepted(o: ExchOrder, t: Micros): void {
    const id = o.id;
    this.reply(t, (k) => k.accepted(id, `paper-${id}`, t + this.options.responseUs));
  }

  filled(o: ExchOrder, fillPrice: number, fillSize: number, maker: boolean, t: Micros): void {
    const id = o.id;
    const inst = this.options.instruments[o.inst]!;
    const rates = this.options.fees[o.inst] ?? { maker: 0, taker: 0 };
    const fee = notional(inst, fillPrice, fillSize) * (maker ? rates.maker : rates.taker);
    const tradeId = `paper-${++this.trades}`;
    const at = Math.max(t + this.options.responseUs, this.responses.lastT);
    this.responses.push({
      t: at,
      deliver: (k) => k.filled(id, tradeId, fillPrice, fillSize, fee, inst.quote, maker, at),
    });
  }

  canceled(o: ExchOrder, t: Micros): void {
    const id = o.id;
    this.reply(t, (k) => k.canceled(id, t + this.options.responseUs));
  }

  rejected(o: ExchOrder, reason: RejectReason, t: Micros): void {
    const id = o.id;
    this.reply(t, (k) => k.rejected(id, reason, t + this.options.responseUs));
  }

  amended(o: ExchOrder, t: Micros): void {
    const { id, price, size } = o;
    this.reply(t, (k) => k.amended(id, price, size, t + this.options.responseUs));
  }

  requestRejected(orderId: number, reason: RejectReason, isAmend: boolean, t: Micros): void {
    this.reply(t, (k) => k.requestRejected(orderId, reason, isAmend, t + this.options.responseUs));
  }

  ticker(): void {}
}

/** Take one message's changes back out of the book, last first. */
function undo(book: SimBook, changes: LevelChanges): void {
  for (let i = changes.count - 1; i >= 0; i--)
    (changes.sideAt(i) ? book.bids : book.asks).set(changes.priceAt(i), changes.previousAt(i));
}

function redo(book: SimBook, changes: LevelChanges): void {
  for (let i = 0; i < changes.count; i++)
    (changes.sideAt(i) ? book.bids : book.asks).set(changes.priceAt(i), changes.sizeAt(i));
}
