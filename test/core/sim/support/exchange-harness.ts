/**
 * Drive a SimExchange directly: feed hand-made tape messages at exchange time, send checked orders,
 * and collect what it reports.
 */
import type { Tape } from '../../../../core/backtest/tape/tape.ts';
import {
  type CheckAccount,
  CheckedAmend,
  CheckedOrder,
  checkAmend,
  checkOrder,
} from '../../../../core/risk/order-check.ts';
import { booksForTape } from '../../../../core/sim/book/books-for-tape.ts';
import type { ExchOrder } from '../../../../core/sim/exchange/exch-order.ts';
import { type ExchangeListener, SimExchange } from '../../../../core/sim/exchange/sim-exchange.ts';
import type { QueueModel } from '../../../../core/sim/queue/queue-model.ts';
import { RiskAverseQueue } from '../../../../core/sim/queue/risk-averse.ts';
import type { RejectReason } from '../../../../core/strategy/reject-reason.ts';

export type ExchEvent =
  | { e: 'accepted'; id: number }
  | { e: 'fill'; id: number; price: number; size: number; maker: boolean }
  | { e: 'canceled'; id: number }
  | { e: 'rejected'; id: number; reason: RejectReason }
  | { e: 'amended'; id: number; price: number; size: number }
  | { e: 'request_rejected'; id: number; reason: RejectReason; amend: boolean };

export const richAccount: CheckAccount = { equity: () => 1e12, position: () => 0, openSize: () => 0 };

export class ExchangeHarness implements ExchangeListener {
  readonly events: ExchEvent[] = [];
  readonly exchange: SimExchange;
  private pos = 0;
  private nextId = 1;

  constructor(
    readonly tape: Tape,
    options: { queue?: QueueModel; partialFills?: boolean; liquidityConsumption?: boolean } = {},
  ) {
    this.exchange = new SimExchange(
      {
        instruments: tape.instruments,
        queue: options.queue ?? new RiskAverseQueue(),
        partialFills: options.partialFills ?? true,
        liquidityConsumption: options.liquidityConsumption ?? true,
        books: booksForTape(tape),
      },
      this,
    );
  }

  /** Apply the next `messages` tape messages. */
  step(messages = 1): this {
    for (let k = 0; k < messages && this.pos < this.tape.length; k++)
      this.pos = this.exchange.processMessage(this.tape, this.tape.exchOrder, this.pos, this.tape.exchTs);
    return this;
  }

  rest(): this {
    while (this.pos < this.tape.length) this.step();
    return this;
  }

  order(
    side: 'buy' | 'sell',
    price: number,
    size: number,
    opts: { postOnly?: boolean; ioc?: boolean; market?: boolean } = {},
  ): number {
    const id = this.nextId++;
    const c = checkOrder(
      {
        id,
        instrument: 0,
        side,
        type: opts.market ? 'market' : 'limit',
        price: opts.market ? Number.NaN : price,
        size,
        postOnly: opts.postOnly ?? false,
        ioc: opts.ioc ?? opts.market ?? false,
      },
      this.tape.instruments[0],
      richAccount,
      { maxLeverage: Number.POSITIVE_INFINITY },
      opts.market ? Number.NaN : price,
    );
    if (!(c instanceof CheckedOrder)) throw new Error(`check refused: ${c}`);
    this.exchange.submit(c, 0);
    return id;
  }

  amend(id: number, price: number, size: number, side: 'buy' | 'sell'): void {
    const c = checkAmend(
      { id, instrument: 0, side, price, size },
      this.tape.instruments[0],
      richAccount,
      { maxLeverage: Number.POSITIVE_INFINITY },
      size,
    );
    if (!(c instanceof CheckedAmend)) throw new Error(`check refused: ${c}`);
    this.exchange.amend(c, 0);
  }

  fills(id?: number): Array<{ price: number; size: number; maker: boolean }> {
    return this.events
      .filter(
        (e): e is Extract<ExchEvent, { e: 'fill' }> => e.e === 'fill' && (id === undefined || e.id === id),
      )
      .map(({ price, size, maker }) => ({ price, size, maker }));
  }

  accepted(o: ExchOrder): void {
    this.events.push({ e: 'accepted', id: o.id });
  }
  filled(o: ExchOrder, price: number, size: number, maker: boolean): void {
    this.events.push({ e: 'fill', id: o.id, price, size, maker });
  }
  canceled(o: ExchOrder): void {
    this.events.push({ e: 'canceled', id: o.id });
  }
  rejected(o: ExchOrder, reason: RejectReason): void {
    this.events.push({ e: 'rejected', id: o.id, reason });
  }
  amended(o: ExchOrder): void {
    this.events.push({ e: 'amended', id: o.id, price: o.price, size: o.size });
  }
  requestRejected(orderId: number, reason: RejectReason, isAmend: boolean): void {
    this.events.push({ e: 'request_rejected', id: orderId, reason, amend: isAmend });
  }
  ticker(): void {}
}
