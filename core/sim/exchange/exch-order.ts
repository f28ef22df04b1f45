/** An order as the simulated exchange holds it (the truth; the strategy's view lags by latency). */
import type { OrderRequest } from '../../risk/order-check.ts';
import type { L3QueuedOrder } from '../queue/l3-fifo.ts';

export class ExchOrder implements L3QueuedOrder {
  readonly id: number;
  readonly inst: number;
  readonly isBuy: boolean;
  readonly isMarket: boolean;
  readonly postOnly: boolean;
  readonly ioc: boolean;
  price: number;
  /** Total size (after amends), size units. */
  size: number;
  leaves: number;
  filled = 0;
  // Queue state (see queue/queue-model.ts).
  front = 0;
  cumTrade = 0;
  seq = 0;
  /** Displayed size at the order's price when the exchange last saw it (the queue model's `prev` on a shared book). */
  levelSize = 0;

  constructor(r: OrderRequest) {
    this.id = r.id;
    this.inst = r.instrument;
    this.isBuy = r.side === 'buy';
    this.isMarket = r.type === 'market';
    this.postOnly = r.postOnly;
    this.ioc = r.ioc;
    this.price = r.price;
    this.size = r.size;
    this.leaves = r.size;
  }
}
