import { describe, expect, it } from 'vitest';
import { L3FifoQueue } from '../../../../core/sim/queue/l3-fifo.ts';
import { ProbQueue } from '../../../../core/sim/queue/prob-queue.ts';
import { ExchangeHarness } from '../support/exchange-harness.ts';
import { ask, bid, buyTrade, handTape, sellTrade } from '../support/hand-tape.ts';

/** Book: bids 100×5, 99×5; asks 101×2, 102×3, 103×5. */
const book = { t: 10, rows: [bid(100, 5), bid(99, 5), ask(101, 2), ask(102, 3), ask(103, 5)] };

describe('resting orders: queue position and partial fills', () => {
  it('fills only what trades at our price leave after the queue ahead (risk-averse)', () => {
    const tape = handTape([
      book,
      { t: 20, rows: [sellTrade(100, 4)] }, // front 5 → 1
      { t: 30, rows: [sellTrade(100, 3)] }, // front −2 → 2 of our 3
      { t: 40, rows: [sellTrade(100, 5)] }, // the last 1
    ]);
    const h = new ExchangeHarness(tape).step();
    const id = h.order('buy', 100, 3);
    h.step();
    expect(h.fills(id)).toEqual([]);
    h.step();
    expect(h.fills(id)).toEqual([{ price: 100, size: 2, maker: true }]);
    h.step();
    expect(h.fills(id)).toEqual([
      { price: 100, size: 2, maker: true },
      { price: 100, size: 1, maker: true },
    ]);
    expect(h.exchange.openOrders).toBe(0);
  });

  it('a smaller displayed size caps the queue ahead', () => {
    const tape = handTape([book, { t: 20, rows: [bid(100, 2)] }, { t: 30, rows: [sellTrade(100, 3)] }]);
    const h = new ExchangeHarness(tape).step();
    const id = h.order('buy', 100, 3);
    h.rest();
    expect(h.fills(id)).toEqual([{ price: 100, size: 1, maker: true }]);
  });

  it('trades of our own side do not advance us', () => {
    const tape = handTape([book, { t: 20, rows: [buyTrade(100, 50)] }]);
    const h = new ExchangeHarness(tape).step();
    const id = h.order('buy', 100, 3);
    h.rest();
    expect(h.fills(id)).toEqual([]);
  });

  it('without partial fills the order fills whole once the queue releases anything', () => {
    const tape = handTape([book, { t: 20, rows: [sellTrade(100, 6)] }]);
    const h = new ExchangeHarness(tape, { partialFills: false }).step();
    const id = h.order('buy', 100, 3);
    h.rest();
    expect(h.fills(id)).toEqual([{ price: 100, size: 3, maker: true }]);
  });

  it('one trade is shared among our orders at its price (liquidity consumption)', () => {
    const tape = handTape([
      { t: 10, rows: [bid(100, 0), ask(101, 1)] },
      { t: 20, rows: [sellTrade(100, 4)] },
    ]);
    const run = (consume: boolean) => {
      const h = new ExchangeHarness(tape, { liquidityConsumption: consume }).step();
      const a = h.order('buy', 100, 3);
      const b = h.order('buy', 100, 3);
      h.rest();
      return [h.fills(a), h.fills(b)];
    };
    expect(run(true)).toEqual([
      [{ price: 100, size: 3, maker: true }],
      [{ price: 100, size: 1, maker: true }],
    ]);
    // Off: each order may use the whole trade (hftbacktest's behaviour).
    expect(run(false)).toEqual([
      [{ price: 100, size: 3, maker: true }],
      [{ price: 100, size: 3, maker: true }],
    ]);
  });

  it('the probabilistic model advances on cancels too', () => {
    const tape = handTape([
      book,
      { t: 20, rows: [bid(100, 9)] }, // 4 join behind us
      { t: 30, rows: [bid(100, 5)] }, // 4 cancel: power(2) puts 61 % of it in front of us
      { t: 40, rows: [sellTrade(100, 4)] },
    ]);
    const averse = new ExchangeHarness(tape).step();
    const a = averse.order('buy', 100, 1);
    averse.rest();
    const prob = new ExchangeHarness(tape, { queue: new ProbQueue('power', 2) }).step();
    const p = prob.order('buy', 100, 1);
    prob.rest();
    // Risk-averse: front stays 5, the trade leaves 1 ahead. Prob: front 5 − (1 − 16/41)·4 ≈ 2.56,
    // the trade of 4 takes it to −1.44: one lot released.
    expect(averse.fills(a)).toEqual([]);
    expect(prob.fills(p)).toEqual([{ price: 100, size: 1, maker: true }]);
  });
});

describe('fills that need no queue', () => {
  it('a trade through our price fills us whole', () => {
    const tape = handTape([book, { t: 20, rows: [sellTrade(99, 1)] }]);
    const h = new ExchangeHarness(tape).step();
    const id = h.order('buy', 100, 7);
    h.rest();
    expect(h.fills(id)).toEqual([{ price: 100, size: 7, maker: true }]);
  });

  it('the opposite best reaching our price fills us whole (at our price)', () => {
    const tape = handTape([book, { t: 20, rows: [ask(101, 0), ask(102, 0), ask(103, 0), ask(100, 1)] }]);
    const h = new ExchangeHarness(tape).step();
    const id = h.order('buy', 100, 4);
    h.rest();
    expect(h.fills(id)).toEqual([{ price: 100, size: 4, maker: true }]);
  });

  it('a trade with unknown aggressor counts for both sides', () => {
    const tape = handTape([
      book,
      { t: 20, rows: [{ kind: 'trade', price: 99, size: 1, aggressor: 'unknown' }] },
    ]);
    const h = new ExchangeHarness(tape).step();
    const id = h.order('buy', 100, 1);
    h.rest();
    expect(h.fills(id)).toHaveLength(1);
  });
});

describe('taking liquidity', () => {
  it('a market order walks the book level by level', () => {
    const h = new ExchangeHarness(handTape([book])).step();
    const id = h.order('buy', 0, 6, { market: true });
    expect(h.fills(id)).toEqual([
      { price: 101, size: 2, maker: false },
      { price: 102, size: 3, maker: false },
      { price: 103, size: 1, maker: false },
    ]);
  });

  it('does not re-use size it took until the data changes that level', () => {
    const tape = handTape([book, { t: 20, rows: [ask(101, 2)] }]);
    const h = new ExchangeHarness(tape).step();
    h.order('buy', 0, 6, { market: true });
    const second = h.order('buy', 0, 2, { market: true });
    expect(h.fills(second)).toEqual([{ price: 103, size: 2, maker: false }]);
    h.step(); // 101 shows 2 again (fresh data)
    const third = h.order('buy', 0, 1, { market: true });
    expect(h.fills(third)).toEqual([{ price: 101, size: 1, maker: false }]);
  });

  it('with consumption off the replayed size is taken again', () => {
    const h = new ExchangeHarness(handTape([book]), { liquidityConsumption: false }).step();
    h.order('buy', 0, 6, { market: true });
    const second = h.order('buy', 0, 2, { market: true });
    expect(h.fills(second)).toEqual([{ price: 101, size: 2, maker: false }]);
  });

  it('a market order larger than the book is partly filled and the rest canceled', () => {
    const h = new ExchangeHarness(handTape([book])).step();
    const id = h.order('sell', 0, 12, { market: true });
    expect(h.fills(id).map((f) => f.size)).toEqual([5, 5]);
    expect(h.events.at(-1)).toEqual({ e: 'canceled', id });
  });

  it('a crossing limit takes what it crosses and rests the rest at its price', () => {
    const tape = handTape([book, { t: 20, rows: [sellTrade(102, 1)] }]);
    const h = new ExchangeHarness(tape).step();
    const id = h.order('buy', 102, 10);
    expect(h.fills(id)).toEqual([
      { price: 101, size: 2, maker: false },
      { price: 102, size: 3, maker: false },
    ]);
    expect(h.exchange.order(id)?.leaves).toBe(5);
    h.rest(); // nobody ahead at 102 on the bid: the next sell there fills us
    expect(h.fills(id).at(-1)).toEqual({ price: 102, size: 1, maker: true });
  });

  it('IOC cancels what does not cross', () => {
    const h = new ExchangeHarness(handTape([book])).step();
    const id = h.order('buy', 101, 5, { ioc: true });
    expect(h.fills(id)).toEqual([{ price: 101, size: 2, maker: false }]);
    expect(h.events.at(-1)).toEqual({ e: 'canceled', id });
  });
});

describe('rejects and amends', () => {
  it('post-only orders that would cross are rejected; market orders need a book', () => {
    const h = new ExchangeHarness(handTape([{ t: 10, rows: [bid(100, 5)] }])).step();
    const sell = h.order('sell', 100, 1, { postOnly: true });
    const buy = h.order('buy', 0, 1, { market: true });
    expect(h.events).toEqual([
      { e: 'rejected', id: sell, reason: 'post_only_cross' },
      { e: 'rejected', id: buy, reason: 'no_liquidity' },
    ]);
  });

  it('shrinking keeps the queue position; moving the price loses it', () => {
    const tape = handTape([book]);
    const h = new ExchangeHarness(tape).step();
    const id = h.order('buy', 100, 3);
    const o = h.exchange.order(id)!;
    o.front = 2; // as if trades had advanced us
    h.amend(id, 100, 2, 'buy');
    expect(o.front).toBe(2);
    expect(o.leaves).toBe(2);
    h.amend(id, 99, 2, 'buy');
    expect(o.front).toBe(5); // back of the 99 level
    expect(h.events.filter((e) => e.e === 'amended')).toHaveLength(2);
  });

  it('a post-only amend that would cross is refused and the order is left alone', () => {
    const h = new ExchangeHarness(handTape([book])).step();
    const id = h.order('buy', 100, 3, { postOnly: true });
    h.amend(id, 101, 3, 'buy');
    expect(h.events.at(-1)).toEqual({ e: 'request_rejected', id, reason: 'post_only_cross', amend: true });
    expect(h.exchange.order(id)?.price).toBe(100);
  });

  it('cancel of an order the exchange no longer has is refused', () => {
    const h = new ExchangeHarness(handTape([book])).step();
    h.exchange.cancel(77, 0);
    expect(h.events).toEqual([{ e: 'request_rejected', id: 77, reason: 'unknown_order', amend: false }]);
  });
});

describe('L3 FIFO through the exchange', () => {
  const l3 = (kind: 'l3add' | 'l3cancel' | 'l3fill', id: number, size: number) =>
    ({ kind, id, bid: true, price: 100, size }) as const;

  it('fills us when an order that joined after us is matched', () => {
    const tape = handTape([
      { t: 10, rows: [l3('l3add', 1, 4), bid(100, 4), ask(101, 1)] },
      { t: 20, rows: [l3('l3add', 2, 3), bid(100, 7)] }, // behind us
      { t: 30, rows: [l3('l3fill', 1, 1), bid(100, 6)] }, // ahead: we move up
      { t: 40, rows: [l3('l3fill', 2, 1), bid(100, 5)] }, // behind us matched: we were filled
    ]);
    const h = new ExchangeHarness(tape, { queue: new L3FifoQueue() });
    // An order-level row is a message of its own; the depth rows after it are another.
    h.step(2);
    const id = h.order('buy', 100, 2);
    expect(h.exchange.order(id)?.front).toBe(4);
    h.step(2); // order 2 joins behind
    h.step(2);
    expect(h.exchange.order(id)?.front).toBe(3);
    expect(h.fills(id)).toEqual([]);
    h.rest();
    expect(h.fills(id)).toEqual([{ price: 100, size: 2, maker: true }]);
  });
});
