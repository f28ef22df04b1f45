/**
 * The paper venue's messages on its two latency-delayed connections (to the simulated exchange,
 * back to the kernel), as reusable records: the venue takes one from its pool per request or
 * report and returns it once handled, so the order path allocates no message object or closure.
 * The kinds are the backtest engine's (core/backtest/engine/messages.ts): the same connections.
 */
import { ToExchange, ToLocal } from '../backtest/engine/messages.ts';
import type { Micros } from '../market/events.ts';
import type { CheckedAmend, CheckedOrder } from '../risk/order-check.ts';
import type { OrderId } from '../strategy/order-types.ts';
import type { RejectReason } from '../strategy/reject-reason.ts';

export { ToExchange, ToLocal };

/** A submit, cancel or amend on its way to the simulated exchange. */
export class PaperRequest {
  /** Arrival at the exchange, µs of event time. */
  t: Micros = 0;
  type: number = ToExchange.New;
  id: OrderId = 0;
  order: CheckedOrder | null = null;
  amend: CheckedAmend | null = null;
}

/** One report on its way back to the kernel. */
export class PaperReport {
  /** Delivery, µs of event time (its place in the FIFO). */
  t: Micros = 0;
  /** The report's own time as the kernel is told it. */
  ts: Micros = 0;
  type: number = ToLocal.Accepted;
  id: OrderId = 0;
  price = 0;
  size = 0;
  fee = 0;
  maker = false;
  isAmend = false;
  tradeId = '';
  feeCurrency = '';
  reason: RejectReason = 'unknown_order';
}

/** Free records of one kind; `take` makes one only when none is free. */
export class RecordPool<T> {
  private readonly free: T[] = [];
  constructor(private readonly make: () => T) {}

  take(): T {
    return this.free.pop() ?? this.make();
  }

  give(record: T): void {
    this.free.push(record);
  }
}
