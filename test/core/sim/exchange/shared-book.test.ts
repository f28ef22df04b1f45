/**
 * Paper trading's exchange matches against the live book itself (SimExchange.bookApplied) instead
 * of a copy written from tape rows (processMessage): on any sequence of book messages, trades,
 * orders and cancels, both must report exactly the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyTape } from '../../../../core/backtest/tape/empty-tape.ts';
import { EventFlag, EventKind } from '../../../../core/backtest/tape/event-kind.ts';
import { L2Book } from '../../../../core/book/l2-book.ts';
import { LevelChanges } from '../../../../core/book/level-changes.ts';
import { CheckedOrder, checkOrder } from '../../../../core/risk/order-check.ts';
import { SimExchange } from '../../../../core/sim/exchange/sim-exchange.ts';
import { ProbQueue } from '../../../../core/sim/queue/prob-queue.ts';
import type { QueueModel } from '../../../../core/sim/queue/queue-model.ts';
import { RiskAverseQueue } from '../../../../core/sim/queue/risk-averse.ts';
import { ExchangeHarness, richAccount } from '../support/exchange-harness.ts';
import { handTape, PERP } from '../support/hand-tape.ts';

type Level = { bid: boolean; price: number; size: number };
type Op =
  | { kind: 'book'; snapshot: boolean; levels: Level[] }
  | { kind: 'trade'; price: number; size: number; buy: boolean }
  | { kind: 'order'; buy: boolean; price: number; size: number; postOnly: boolean }
  | { kind: 'cancel'; nth: number };

/** Bids 97–100, asks 101–104: an uncrossed book, so orders rest and queues move. */
const level: fc.Arbitrary<Level> = fc.boolean().chain((bid) =>
  fc.record({
    bid: fc.constant(bid),
    price: bid ? fc.integer({ min: 97, max: 100 }) : fc.integer({ min: 101, max: 104 }),
    size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })),
  }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      snapshot: fc.oneof(
        { weight: 9, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      levels: fc.array(level, { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      price: fc.integer({ min: 96, max: 105 }),
      size: fc.integer({ min: 1, max: 6 }),
      buy: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      buy: fc.boolean(),
      price: fc.integer({ min: 96, max: 105 }),
      size: fc.integer({ min: 1, max: 5 }),
      postOnly: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), nth: fc.nat(20) }) },
);

function replay(ops: readonly Op[], queue: () => QueueModel) {
  // Two listeners that log what their exchange reports; their own exchanges are unused.
  const copied = new ExchangeHarness(handTape([]));
  const shared = new ExchangeHarness(handTape([]));
  const options = { instruments: [PERP], partialFills: true, liquidityConsumption: true };
  const own = new SimExchange({ ...options, queue: queue(), books: [new L2Book()] }, copied);
  const live = new L2Book();
  const viaLive = new SimExchange({ ...options, queue: queue(), books: [live] }, shared);
  const tape = emptyTape(16, [PERP]);
  const order = tape.exchOrder;
  const changes = new LevelChanges();
  let id = 0;
  let t = 0;
  for (const o of ops) {
    t += 10;
    if (o.kind === 'book') {
      // The feed's way: write the live book, record what changed and what it replaced.
      changes.reset();
      if (o.snapshot) live.clear();
      let r = 0;
      if (o.snapshot) {
        tape.kind[r] = EventKind.Clear;
        tape.flags[r++] = 0;
      }
      for (const l of o.levels) {
        const side = l.bid ? live.bids : live.asks;
        side.set(l.price, l.size);
        changes.push(l.bid, l.price, l.size, side.previousSize);
        tape.kind[r] = o.snapshot ? EventKind.Snapshot : EventKind.Depth;
        tape.flags[r] = l.bid ? EventFlag.Bid : 0;
        tape.price[r] = l.price;
        tape.size[r++] = l.size;
      }
      tape.flags[r - 1]! |= EventFlag.Eom;
      for (let i = 0; i < r; i++) tape.localTs[i] = t;
      own.processMessage(tape, order, 0, tape.localTs);
      viaLive.bookApplied(0, changes, o.snapshot, t);
    } else if (o.kind === 'trade') {
      tape.kind[0] = EventKind.Trade;
      tape.flags[0] = EventFlag.Eom | (o.buy ? EventFlag.Buy : EventFlag.Sell);
      tape.price[0] = o.price;
      tape.size[0] = o.size;
      tape.localTs[0] = t;
      own.processMessage(tape, order, 0, tape.localTs);
      viaLive.processMessage(tape, order, 0, tape.localTs);
    } else if (o.kind === 'order') {
      const c = checkOrder(
        {
          id: ++id,
          instrument: 0,
          side: o.buy ? 'buy' : 'sell',
          type: 'limit',
          price: o.price,
          size: o.size,
          postOnly: o.postOnly,
          ioc: false,
        },
        PERP,
        richAccount,
        { maxLeverage: Number.POSITIVE_INFINITY },
        o.price,
      );
      if (!(c instanceof CheckedOrder)) throw new Error(`check refused: ${c}`);
      own.submit(c, t);
      viaLive.submit(c, t);
    } else if (id > 0) {
      own.cancel((o.nth % id) + 1, t);
      viaLive.cancel((o.nth % id) + 1, t);
    }
  }
  return { copied: copied.events, shared: shared.events };
}

describe('SimExchange on a shared live book', () => {
  it('fills a resting order behind a changing queue the same way (prob queue)', () => {
    const L = (bid: boolean, price: number, size: number): Level => ({ bid, price, size });
    const ops: Op[] = [
      { kind: 'book', snapshot: true, levels: [L(true, 100, 6), L(false, 101, 6)] },
      { kind: 'order', buy: true, price: 100, size: 3, postOnly: true },
      { kind: 'book', snapshot: false, levels: [L(true, 100, 1)] },
      // Size joins behind us, then most of the level cancels: mostly from behind, some ahead.
      { kind: 'book', snapshot: false, levels: [L(true, 100, 6)] },
      { kind: 'book', snapshot: false, levels: [L(true, 100, 2)] },
      { kind: 'trade', price: 100, size: 2, buy: false },
    ];
    const { copied, shared } = replay(ops, () => new ProbQueue('power', 3));
    expect(copied.some((e) => e.e === 'fill')).toBe(true);
    expect(shared).toEqual(copied);
  });

  for (const [name, queue] of [
    ['risk-averse', () => new RiskAverseQueue()],
    ['prob power(3)', () => new ProbQueue('power', 3)],
  ] as const) {
    it(`reports exactly what its own copy of the book reports (${name}, property)`, () => {
      let filled = 0;
      fc.assert(
        fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
          const { copied, shared } = replay(ops, queue);
          expect(shared).toEqual(copied);
          filled += copied.filter((e) => e.e === 'fill').length;
        }),
        { numRuns: 300 },
      );
      // The property saw fills, not only quiet books.
      expect(filled).toBeGreaterThan(20);
    });
  }
});
