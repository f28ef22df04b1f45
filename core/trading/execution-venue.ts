/**
 * The execution-venue port: where the kernel sends orders that passed the risk gate, and how the
 * venue reports back. The paper venue (the backtester's simulated exchange driven by live events)
 * and each real venue's adapter implement `ExecutionVenue`; the kernel implements
 * `ExecutionReports`. Only `CheckedOrder` / `CheckedAmend` cross this port — values only the risk
 * gate can make — so no order reaches a venue without passing it.
 */
import type { Micros } from '../market/events.ts';
import type { CheckedAmend, CheckedOrder } from '../risk/order-check.ts';
import type { OrderId } from '../strategy/order-types.ts';
import type { RejectReason } from '../strategy/reject-reason.ts';

export interface ExecutionVenue {
  /** 'paper' for the simulated exchange, else the exchange id of the real venue. */
  readonly id: string;
  submit(order: CheckedOrder, clientOrderId: string, now: Micros): void;
  cancel(orderId: OrderId, clientOrderId: string, now: Micros): void;
  amend(amend: CheckedAmend, clientOrderId: string, now: Micros): void;
}

export interface ExecutionReports {
  accepted(orderId: OrderId, venueOrderId: string, ts: Micros): void;
  /** One execution. `fee` in `feeCurrency` (negative: a rebate). */
  filled(
    orderId: OrderId,
    tradeId: string,
    price: number,
    size: number,
    fee: number,
    feeCurrency: string,
    maker: boolean,
    ts: Micros,
  ): void;
  canceled(orderId: OrderId, ts: Micros): void;
  rejected(orderId: OrderId, reason: RejectReason, ts: Micros): void;
  amended(orderId: OrderId, price: number, size: number, ts: Micros): void;
  /** A cancel or amend the venue refused; the order stays as it was. */
  requestRejected(orderId: OrderId, reason: RejectReason, isAmend: boolean, ts: Micros): void;
  expired(orderId: OrderId, ts: Micros): void;
}
