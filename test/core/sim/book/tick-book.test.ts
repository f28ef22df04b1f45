import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookSide } from '../../../../core/book/book-side.ts';
import { L2Book } from '../../../../core/book/l2-book.ts';
import type { SimBookSide } from '../../../../core/sim/book/sim-book.ts';
import { TickBook } from '../../../../core/sim/book/tick-book.ts';

type Op = { clear: true } | { clear: false; bid: boolean; price: number; size: number };

/** Prices 0..120 with the slot region 40..80 (step 2 when `step` = 2): exercises both overflows. */
const op = (step: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 30,
      arbitrary: fc.record({
        clear: fc.constant(false as const),
        bid: fc.boolean(),
        price: fc.integer({ min: 1, max: 60 }).map((p) => p * step),
        size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 })),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ clear: true as const }) },
  );

function same(tick: SimBookSide, ref: BookSide): void {
  expect(tick.count).toBe(ref.count);
  expect(tick.bestPrice()).toEqual(ref.bestPrice());
  expect(tick.bestSize()).toBe(ref.bestSize());
  for (let i = 0; i < ref.count; i++) {
    expect(tick.priceAt(i)).toBe(ref.priceAt(i));
    expect(tick.sizeAt(i)).toBe(ref.sizeAt(i));
    expect(tick.sizeAtPrice(ref.priceAt(i))).toBe(ref.sizeAt(i));
    const next = i + 1 < ref.count ? ref.priceAt(i + 1) : Number.NaN;
    expect(tick.nextWorse(ref.priceAt(i))).toEqual(next);
  }
  for (const k of [1, 3, 1000]) expect(tick.depth(k)).toBe(ref.depth(k));
}

describe('TickBook equals core/book L2Book', () => {
  for (const step of [1, 2]) {
    it(`on random level writes, in and outside the slot region (grid ${step})`, () => {
      fc.assert(
        fc.property(fc.array(op(step), { maxLength: 120 }), (ops) => {
          const tick = new TickBook(40, 80, step);
          const ref = new L2Book();
          for (const o of ops) {
            if (o.clear) {
              tick.clear();
              ref.clear();
            } else {
              tick.set(o.bid, o.price, o.size);
              ref.set(o.bid, o.price, o.size);
            }
            // Interleave rank reads with writes (the rank cache must not go stale).
            tick.bids.priceAt(1);
            tick.asks.priceAt(2);
          }
          same(tick.bids, ref.bids);
          same(tick.asks, ref.asks);
          expect(tick.mid()).toEqual(ref.mid());
          expect(tick.microprice()).toEqual(ref.microprice());
        }),
        { numRuns: 300 },
      );
    });
  }

  it('answers NaN/0 when empty', () => {
    const b = new TickBook(100, 200, 1);
    expect(b.bestBid()).toBeNaN();
    expect(b.bids.priceAt(0)).toBeNaN();
    expect(b.bids.sizeAt(0)).toBe(0);
    expect(b.asks.nextWorse(150)).toBeNaN();
    expect(b.bids.depth(5)).toBe(0);
  });
});
