/**
 * Queue position of our resting orders — hftbacktest's four hooks (docs/backtest-models.md, Queue).
 *
 * The simulated exchange calls:
 *   newOrder(q, levelQty)  when an order starts resting: the displayed size at its price is ahead;
 *   trade(q, qty)          for a trade at the order's price that hits its side;
 *   depth(q, prev, next)   when the displayed size at the order's price changes;
 *   isFilled(q, lot)       after trade(): the size the queue releases to us (a lot multiple; 0 if none).
 * All sizes are instrument size units. `front` may be fractional (probabilistic estimates).
 *
 * A model keeps no per-order state of its own: it lives in the order's {@link QueueState}, so one
 * model instance serves every order and instrument of a run.
 */

export interface QueueState {
  /** Size ahead of us at our price. Negative: traded volume beyond us (we are filled). */
  front: number;
  /** Prob models: traded volume since the last depth change (to avoid counting it twice). */
  cumTrade: number;
  /** L3 FIFO: arrival sequence of our order among the level's orders. */
  seq: number;
}

export interface QueueModel {
  /** 'l3' models also read the tape's order-level rows (see L3QueueModel). */
  readonly kind: 'l2' | 'l3';
  readonly name: string;
  newOrder(q: QueueState, levelQty: number): void;
  trade(q: QueueState, qty: number): void;
  depth(q: QueueState, prev: number, next: number): void;
  isFilled(q: QueueState, lot: number): number;
}

/**
 * Fill released by `front` (docs/backtest-models.md, Queue): exec = round(−front / lot) lots when positive,
 * and the queue position resets to the front.
 */
export function releaseFromFront(q: QueueState, lot: number): number {
  if (!(q.front < 0)) return 0;
  const exec = Math.round(-q.front / lot);
  if (exec <= 0) return 0;
  q.front = 0;
  return exec * lot;
}
