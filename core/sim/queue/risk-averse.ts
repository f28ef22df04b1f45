/**
 * hftbacktest's RiskAdverseQueueModel: the queue ahead shrinks only by trades at our price, and a
 * smaller displayed size caps it (cancels are assumed to come from behind us). The conservative
 * choice: fills happen no earlier than trades prove they must.
 */
import { type QueueModel, type QueueState, releaseFromFront } from './queue-model.ts';

export class RiskAverseQueue implements QueueModel {
  readonly kind = 'l2' as const;
  readonly name = 'risk-averse';

  newOrder(q: QueueState, levelQty: number): void {
    q.front = levelQty;
    q.cumTrade = 0;
  }

  trade(q: QueueState, qty: number): void {
    q.front -= qty;
  }

  depth(q: QueueState, _prev: number, next: number): void {
    if (next < q.front) q.front = next;
  }

  isFilled(q: QueueState, lot: number): number {
    return releaseFromFront(q, lot);
  }
}
