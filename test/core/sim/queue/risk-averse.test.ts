import { describe, expect, it } from 'vitest';
import type { QueueState } from '../../../../core/sim/queue/queue-model.ts';
import { RiskAverseQueue } from '../../../../core/sim/queue/risk-averse.ts';

const fresh = (): QueueState => ({ front: 0, cumTrade: 0, seq: 0 });

describe('RiskAverseQueue (docs/backtest-models.md, Queue)', () => {
  const m = new RiskAverseQueue();

  it('starts behind the displayed size and advances only by trades', () => {
    const q = fresh();
    m.newOrder(q, 10);
    expect(q.front).toBe(10);
    m.trade(q, 4);
    expect(q.front).toBe(6);
    // A size increase does not move us; a decrease caps the queue (cancels assumed behind us).
    m.depth(q, 6, 9);
    expect(q.front).toBe(6);
    m.depth(q, 9, 3);
    expect(q.front).toBe(3);
    expect(m.isFilled(q, 1)).toBe(0);
  });

  it('releases round(−front / lot) lots and resets to the front', () => {
    const q = fresh();
    m.newOrder(q, 3);
    m.trade(q, 5); // front = −2
    expect(m.isFilled(q, 1)).toBe(2);
    expect(q.front).toBe(0);
    // Lot of 1000 units: −1400 → round(1.4) = 1 lot.
    q.front = -1400;
    expect(m.isFilled(q, 1000)).toBe(1000);
    q.front = -400; // round(0.4) = 0 lots: nothing yet
    expect(m.isFilled(q, 1000)).toBe(0);
    expect(q.front).toBe(-400);
  });
});
