/** Messages on the two latency-delayed connections between the strategy and the exchange. */
import type { CheckedAmend, CheckedOrder } from '../../risk/order-check.ts';
import type { RejectReason } from '../../strategy/reject-reason.ts';

export const ToExchange = { New: 0, Cancel: 1, Amend: 2 } as const;

export class RequestMsg {
  constructor(
    readonly t: number,
    readonly type: number,
    readonly id: number,
    readonly order: CheckedOrder | null,
    readonly amend: CheckedAmend | null,
  ) {}
}

export const ToLocal = {
  Accepted: 0,
  Fill: 1,
  Canceled: 2,
  Rejected: 3,
  Amended: 4,
  /** A cancel or amend was refused; the order lives on. */
  RequestRejected: 5,
} as const;

export class ResponseMsg {
  price = Number.NaN;
  size = 0;
  fee = 0;
  maker = false;
  /** Fill: the order is finished. */
  done = false;
  /** Fill: the order's instrument (its quote currency is the fee's). */
  inst = 0;
  reason: RejectReason | null = null;
  /** RequestRejected: the refused request was an amend (else a cancel). */
  isAmend = false;
  constructor(
    readonly t: number,
    readonly type: number,
    readonly id: number,
  ) {}
}
