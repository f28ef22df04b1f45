/**
 * hftbacktest's ProbQueueModel: trades at our price advance us; a decrease of the displayed size
 * (net of those trades) advances us by the part that happened in front, split by a probability
 * function of the sizes ahead and behind (docs/backtest-models.md, Queue):
 *
 *   chg = prev − next − cumTrade; cumTrade = 0
 *   chg < 0 (level grew): front = min(front, next)
 *   back = prev − front; p = prob(front, back) (±∞ or NaN → 1)
 *   front = min(front − (1 − p)·chg + min(back − p·chg, 0), next)
 */
import { type ProbFunction, type ProbFunctionName, probFunction } from './prob-functions.ts';
import { type QueueModel, type QueueState, releaseFromFront } from './queue-model.ts';

export class ProbQueue implements QueueModel {
  readonly kind = 'l2' as const;
  readonly name: string;
  private readonly prob: ProbFunction;

  constructor(fn: ProbFunctionName, n = 3) {
    this.prob = probFunction(fn, n);
    this.name = fn.startsWith('log') ? `prob-${fn}` : `prob-${fn}(${n})`;
  }

  newOrder(q: QueueState, levelQty: number): void {
    q.front = levelQty;
    q.cumTrade = 0;
  }

  trade(q: QueueState, qty: number): void {
    q.front -= qty;
    q.cumTrade += qty;
  }

  depth(q: QueueState, prev: number, next: number): void {
    const chg = prev - next - q.cumTrade;
    q.cumTrade = 0;
    if (chg < 0) {
      if (next < q.front) q.front = next;
      return;
    }
    const front = q.front;
    const back = prev - front;
    let p = this.prob(front, back);
    // ±∞ → 1, as hftbacktest. (NaN needs prev = 0, which the chg < 0 branch already handled.)
    if (!Number.isFinite(p)) p = 1;
    const est = front - (1 - p) * chg + Math.min(back - p * chg, 0);
    q.front = Math.min(est, next);
  }

  isFilled(q: QueueState, lot: number): number {
    return releaseFromFront(q, lot);
  }
}
