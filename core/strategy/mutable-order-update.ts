/**
 * The reusable update object handed to Strategy.onOrderUpdate, filled from the order it is about.
 * One per engine (backtest or live kernel): delivering an update allocates nothing.
 */
import type { Micros, Side } from '../market/events.ts';
import type { OrderUpdate, OrderUpdateKind, OrderView } from './order-types.ts';
import type { RejectReason } from './reject-reason.ts';

export class MutableOrderUpdate implements OrderUpdate {
  kind: OrderUpdateKind = 'accepted';
  orderId = 0;
  instrument = 0;
  side: Side = 'buy';
  price = 0;
  size = 0;
  filled = 0;
  fillPrice = Number.NaN;
  fillSize = 0;
  maker = false;
  done = false;
  rejectReason: RejectReason | null = null;
  ts = 0;

  set(kind: OrderUpdateKind, o: OrderView, ts: Micros, done: boolean): this {
    this.kind = kind;
    this.orderId = o.id;
    this.instrument = o.instrument;
    this.side = o.side;
    this.price = o.price;
    this.size = o.size;
    this.filled = o.filled;
    this.fillPrice = Number.NaN;
    this.fillSize = 0;
    this.maker = false;
    this.done = done;
    this.rejectReason = null;
    this.ts = ts;
    return this;
  }
}
