import { describe, expect, it } from 'vitest';
import { L3FifoQueue, type L3QueuedOrder } from '../../../../core/sim/queue/l3-fifo.ts';

const ours = (price: number): L3QueuedOrder & { front: number } => ({ price, front: 0, cumTrade: 0, seq: 0 });

describe('L3FifoQueue', () => {
  it('orders ahead move us forward when they leave or are filled; behind ones do not', () => {
    const m = new L3FifoQueue();
    m.add(1, true, 100, 5);
    m.add(2, true, 100, 3);
    const o = ours(100);
    m.newOrder(o, 8); // level shows 8 = orders 1 and 2
    m.add(3, true, 100, 4); // behind us
    m.remove(3, [o]);
    expect(o.front).toBe(8);
    m.remove(1, [o]);
    expect(o.front).toBe(3);
    m.fill(2, 2, [o]);
    expect(o.front).toBe(1);
    expect(m.isFilled(o, 1)).toBe(0);
  });

  it('a fill of an order behind us means we were filled', () => {
    const m = new L3FifoQueue();
    m.add(1, false, 101, 5);
    const o = ours(101);
    m.newOrder(o, 5);
    m.add(2, false, 101, 2);
    expect(m.fill(2, 1, [o])).toBe(true);
    expect(m.isFilled(o, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('a size decrease keeps the place, an increase sends the order to the back', () => {
    const m = new L3FifoQueue();
    m.add(1, true, 100, 5);
    m.add(2, true, 100, 5);
    const o = ours(100);
    m.newOrder(o, 10);
    m.modify(1, 100, 3, [o]); // −2 ahead
    expect(o.front).toBe(8);
    m.modify(2, 100, 9, [o]); // goes behind us: its 5 no longer ahead
    expect(o.front).toBe(3);
    m.remove(2, [o]); // now behind: no effect
    expect(o.front).toBe(3);
  });

  it('ignores other prices and unknown ids', () => {
    const m = new L3FifoQueue();
    m.add(1, true, 99, 5);
    const o = ours(100);
    m.newOrder(o, 0);
    m.remove(1, [o]);
    m.remove(42, [o]);
    expect(o.front).toBe(0);
  });
});
