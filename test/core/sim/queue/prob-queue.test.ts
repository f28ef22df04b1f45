import { describe, expect, it } from 'vitest';
import { probFunction } from '../../../../core/sim/queue/prob-functions.ts';
import { ProbQueue } from '../../../../core/sim/queue/prob-queue.ts';
import type { QueueState } from '../../../../core/sim/queue/queue-model.ts';

const q0 = (front: number): QueueState => ({ front, cumTrade: 0, seq: 0 });

describe('probability functions (docs/backtest-models.md, Queue table)', () => {
  // front = 6, back = 4: hand-computed.
  it.each([
    ['power', 2, 16 / (16 + 36)], // 4²/(4²+6²)
    ['power', 3, 64 / (64 + 216)], // 4³/(4³+6³)
    ['power2', 2, 16 / 100], // 4²/(4+6)²
    ['power3', 2, 1 - 0.36], // 1 − (6/10)²
    ['log', 3, Math.log(5) / (Math.log(5) + Math.log(7))], // ln5/(ln5+ln7)
    ['log2', 3, Math.log(5) / Math.log(11)], // ln5/ln11
  ] as const)('%s(n=%d)(front 6, back 4)', (name, n, expected) => {
    expect(probFunction(name, n)(6, 4)).toBeCloseTo(expected, 12);
  });
});

describe('ProbQueue.depth (docs/backtest-models.md, Queue)', () => {
  it('splits a decrease between front and back by the probability', () => {
    const m = new ProbQueue('power', 2);
    const q = q0(6);
    // prev 10 (back 4) → next 6: chg 4; p = 16/52; est = 6 − (1 − p)·4 + min(4 − p·4, 0)
    m.depth(q, 10, 6);
    const p = 16 / 52;
    expect(q.front).toBeCloseTo(6 - (1 - p) * 4, 12);
    expect(q.front).toBeCloseTo(3.230769230769231, 12);
  });

  it('does not count traded volume twice', () => {
    const m = new ProbQueue('power', 3);
    const q = q0(6);
    m.trade(q, 2); // front 4, cumTrade 2
    expect(q.front).toBe(4);
    expect(q.cumTrade).toBe(2);
    m.depth(q, 10, 8); // chg = 10 − 8 − 2 = 0: the decrease was the trade
    expect(q.front).toBe(4);
    expect(q.cumTrade).toBe(0);
  });

  it('a growing level leaves the position (capped by the new size)', () => {
    const m = new ProbQueue('log');
    const q = q0(6);
    m.depth(q, 10, 15);
    expect(q.front).toBe(6);
    q.front = 6;
    m.trade(q, 1); // front 5, cum 1
    m.depth(q, 10, 10); // chg = −1 < 0
    expect(q.front).toBe(5);
  });

  it('a level emptied by cancels can leave the estimate below zero (as hftbacktest)', () => {
    const m = new ProbQueue('power', 2);
    const q = q0(6);
    // prev 10 → 0: chg 10; p = 16/52; est = 6 − (36/52)·10 + min(4 − (16/52)·10, 0) = −0.923…
    m.depth(q, 10, 0);
    expect(q.front).toBeCloseTo(6 - (36 / 52) * 10, 12);
    // Not a fill by itself (only trades release fills); the next trade at the price fills us.
    m.trade(q, 1);
    expect(m.isFilled(q, 1)).toBe(2);
  });

  it('with the back empty every decrease is in front (p = 0)', () => {
    const m = new ProbQueue('power3', 3);
    const q = q0(10);
    m.depth(q, 10, 7); // back 0 → p = 1 − 1 = 0 → est = 10 − 3
    expect(q.front).toBe(7);
  });

  it('releases lots after trades like the risk-averse model', () => {
    const m = new ProbQueue('power', 3);
    const q = q0(2);
    m.trade(q, 5);
    expect(m.isFilled(q, 1)).toBe(3);
  });
});
