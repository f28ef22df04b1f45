/**
 * Paper trading: the backtester's simulated exchange (same matching, queue, liquidity-consumption
 * and fee models) driven by live market events instead of a tape, behind the execution-venue port.
 *
 * Each live book message is written into a small reusable message tape (one row per level change,
 * end-of-message on the last) and handed to `SimExchange.processMessage`, exactly as a backtest
 * hands it a recorded message; trades likewise. Orders and reports travel with the configured
 * latency on event time: a request sent at t reaches the simulated exchange at t + entry latency
 * and its reports reach the kernel response latency later, delivered when the live clock passes
 * them (`advance`). Nothing here reads a wall clock, so a recorded session replays to the same fills.
 */
import { TimedFifo } from '../backtest/engine/fifo.ts';
import { EventFlag, EventKind } from '../backtest/tape/event-kind.ts';
import { Tape } from '../backtest/tape/tape.ts';
import type { LevelChanges } from '../book/level-changes.ts';
import type { Micros, Side } from '../market/events.ts';
import type { Instrument } from '../market/instrument.ts';
import type { CheckedAmend, CheckedOrder } from '../risk/order-check.ts';
import { notional } from '../risk/order-check.ts';
import { TickBook } from '../sim/book/tick-book.ts';
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

const FIRST_CAPACITY = 1024;
/** Slot region of a paper book around the first mid, as a fraction of it (see sizeBook). */
const REGION = 0.05;
const MAX_SLOTS = 2_000_000;

export class PaperVenue implements ExecutionVenue, ExchangeListener {
  readonly id = 'paper';
  readonly exchange: SimExchange;
  private reports: ExecutionReports | undefined;
  private readonly options: PaperVenueOptions;
  private readonly requests = new TimedFifo<Request>();
  private readonly responses = new TimedFifo<Report>();
  private tape: Tape;
  private identity: Int32Array;
  private trades = 0;
  private clock: Micros = 0;
  /** 1 while an instrument's book has no slot region yet (before its first snapshot). */
  private readonly regionless: Uint8Array;
  /** Submits, cancels and amends received (the venue calls the kernel made). */
  requestsSent = 0;

  constructor(options: PaperVenueOptions) {
    this.options = options;
    // Prices are unknown before the first snapshot: a one-slot region sends every level to the
    // TickBook's sorted overflow, which is plenty for live message rates.
    const books = options.instruments.map(() => new TickBook(0, 0, 1));
    this.exchange = new SimExchange(
      {
        instruments: options.instruments,
        queue: options.queue,
        partialFills: options.partialFills,
        liquidityConsumption: options.liquidityConsumption,
        books,
      },
      this,
    );
    this.regionless = new Uint8Array(options.instruments.length).fill(1);
    this.tape = this.messageTape(FIRST_CAPACITY);
    this.identity = identity(FIRST_CAPACITY);
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

  /** One whole venue message changed `instrument`'s book; `snapshot`: the book was rebuilt. */
  onBook(instrument: number, changes: LevelChanges, snapshot: boolean, now: Micros): void {
    this.advance(now);
    const rows = changes.count + (snapshot ? 1 : 0);
    if (rows === 0) return;
    if (rows > this.tape.length) this.grow(rows);
    if (snapshot && this.regionless[instrument] === 1) this.sizeBook(instrument, changes);
    const { kind, flags, inst, localTs, price, size } = this.tape;
    let r = 0;
    if (snapshot) {
      kind[r] = EventKind.Clear;
      flags[r] = 0;
      inst[r] = instrument;
      localTs[r] = now;
      r++;
    }
    const levelKind = snapshot ? EventKind.Snapshot : EventKind.Depth;
    for (let i = 0; i < changes.count; i++, r++) {
      kind[r] = levelKind;
      flags[r] = changes.sideAt(i) ? EventFlag.Bid : 0;
      inst[r] = instrument;
      localTs[r] = now;
      price[r] = changes.priceAt(i);
      size[r] = changes.sizeAt(i);
    }
    flags[r - 1] = flags[r - 1]! | EventFlag.Eom;
    this.exchange.processMessage(this.tape, this.identity, 0, localTs);
  }

  /** The book went stale: the simulated exchange forgets it until the next snapshot. */
  onBookLost(instrument: number, now: Micros): void {
    this.advance(now);
    const { kind, flags, inst, localTs } = this.tape;
    kind[0] = EventKind.Clear;
    flags[0] = EventFlag.Eom;
    inst[0] = instrument;
    localTs[0] = now;
    this.exchange.processMessage(this.tape, this.identity, 0, localTs);
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
    const { kind, flags, inst, localTs, price, size } = this.tape;
    kind[0] = EventKind.Trade;
    flags[0] = EventFlag.Eom | (side === 'buy' ? EventFlag.Buy : side === 'sell' ? EventFlag.Sell : 0);
    inst[0] = instrument;
    localTs[0] = now;
    price[0] = tradePrice;
    size[0] = tradeSize;
    this.exchange.processMessage(this.tape, this.identity, 0, localTs);
  }

  /**
   * The first snapshot tells where prices are: give the instrument a TickBook with slots for
   * ±REGION of its mid (levels outside go to the book's sorted overflow), instead of the
   * overflow-only book it starts with.
   */
  private sizeBook(instrument: number, changes: LevelChanges): void {
    let bid = Number.NEGATIVE_INFINITY;
    let ask = Number.POSITIVE_INFINITY;
    for (let i = 0; i < changes.count; i++) {
      const p = changes.priceAt(i);
      if (changes.sizeAt(i) === 0) continue;
      if (changes.sideAt(i)) bid = Math.max(bid, p);
      else ask = Math.min(ask, p);
    }
    if (!Number.isFinite(bid) || !Number.isFinite(ask)) return;
    const tick = Math.max(1, this.options.instruments[instrument]!.tickSize);
    const mid = (bid + ask) / 2;
    const low = Math.max(0, Math.floor((mid * (1 - REGION)) / tick) * tick);
    const high = Math.ceil((mid * (1 + REGION)) / tick) * tick;
    if ((high - low) / tick > MAX_SLOTS) return;
    this.exchange.replaceBook(instrument, new TickBook(low, high, tick));
    this.regionless[instrument] = 0;
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

  // --- the message tape -------------------------------------------------------------------

  private messageTape(capacity: number): Tape {
    return new Tape(
      capacity,
      {
        kind: new Uint8Array(capacity),
        flags: new Uint8Array(capacity),
        inst: new Uint16Array(capacity),
        exchTs: new Float64Array(capacity),
        localTs: new Float64Array(capacity),
        price: new Float64Array(capacity),
        size: new Float64Array(capacity),
        aux: new Float64Array(capacity),
      },
      identity(capacity),
      this.options.instruments,
      [],
    );
  }

  private grow(rows: number): void {
    let n = this.tape.length;
    while (n < rows) n *= 2;
    this.tape = this.messageTape(n);
    this.identity = identity(n);
  }
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
