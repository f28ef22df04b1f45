import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Book, LevelUpdate, type WindowOptions } from '../../../core/book/l2-book.ts';

/** The simplest correct model: a map per side, sorted on read. */
class ReferenceBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  set(isBid: boolean, price: number, size: number): void {
    const side = isBid ? this.bids : this.asks;
    if (size === 0) side.delete(price);
    else side.set(price, size);
  }
  sorted(isBid: boolean): Array<[number, number]> {
    return [...(isBid ? this.bids : this.asks).entries()].sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]));
  }
}

const update = fc.record({
  isBid: fc.boolean(),
  price: fc.integer({ min: 1, max: 200 }),
  size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })),
});

describe('L2Book', () => {
  it('keeps best levels, mid, spread and microprice', () => {
    const b = new L2Book();
    b.set(true, 100, 5);
    b.set(true, 99, 7);
    b.set(false, 102, 1);
    b.set(false, 103, 9);
    expect(b.bestBid()).toBe(100);
    expect(b.bestAsk()).toBe(102);
    expect(b.mid()).toBe(101);
    expect(b.spread()).toBe(2);
    // microprice leans to the thin side (asks have 1 vs bids 5): closer to the ask
    expect(b.microprice()).toBeCloseTo((100 * 1 + 102 * 5) / 6, 12);
    expect(b.bids.depth(2)).toBe(12);
    expect(b.asks.sizeAtPrice(103)).toBe(9);
    expect(b.asks.sizeAtPrice(104)).toBe(0);
    expect(b.snapshot(1)).toEqual({ bids: [[100, 5]], asks: [[102, 1]] });
    expect(b.isCrossed()).toBe(false);
    b.set(true, 102, 1);
    expect(b.isCrossed()).toBe(true);
  });

  it('reports what each update did and rejects impossible sizes', () => {
    const b = new L2Book();
    expect(b.set(true, 10, 1)).toBe(LevelUpdate.Added);
    expect(b.set(true, 10, 2)).toBe(LevelUpdate.Updated);
    expect(b.set(true, 10, 2)).toBe(LevelUpdate.Unchanged);
    expect(b.set(true, 10, 0)).toBe(LevelUpdate.Removed);
    expect(b.set(true, 10, 0)).toBe(LevelUpdate.RemovedUnknown);
    expect(b.set(true, 11, -1)).toBe(LevelUpdate.Rejected);
    expect(b.set(true, 11, Number.NaN)).toBe(LevelUpdate.Rejected);
    expect(b.bids.count).toBe(0);
  });

  it('truncates to a depth keeping the best levels', () => {
    const b = new L2Book();
    for (let p = 1; p <= 10; p++) {
      b.set(true, p, p);
      b.set(false, 100 + p, p);
    }
    expect(b.truncate(3)).toBe(14);
    expect(b.bids.top()).toEqual([
      [10, 10],
      [9, 9],
      [8, 8],
    ]);
    expect(b.asks.top()).toEqual([
      [101, 1],
      [102, 2],
      [103, 3],
    ]);
  });

  it('never diverges from a reference model and never holds a zero or negative level (property)', () => {
    fc.assert(
      fc.property(
        fc.array(update, { maxLength: 400, size: 'max' }),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom(4, 8, 64),
        fc.constantFrom<WindowOptions>({}, { max: 0 }, { min: 32, max: 32 }, { min: 32, max: 64 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        (updates, depth, blockSize, window, truncateAt) => {
          // Small blocks exercise splits and merges; truncation exercises dropping whole blocks; a
          // 32-tick window over 200 prices moves with every new best.
          const book = new L2Book(blockSize, window);
          const ref = new ReferenceBook();
          for (const [n, u] of updates.entries()) {
            book.set(u.isBid, u.price, u.size);
            ref.set(u.isBid, u.price, u.size);
            if (truncateAt !== undefined && n === updates.length >> 1) {
              book.truncate(truncateAt);
              for (const isBid of [true, false]) {
                const keep = new Set(
                  ref
                    .sorted(isBid)
                    .slice(0, truncateAt)
                    .map((l) => l[0]),
                );
                const side = isBid ? ref.bids : ref.asks;
                for (const p of [...side.keys()]) if (!keep.has(p)) side.delete(p);
              }
            }
          }
          for (const isBid of [true, false]) {
            const side = isBid ? book.bids : book.asks;
            const expected = ref.sorted(isBid);
            expect(side.top()).toEqual(expected);
            for (let i = 0; i < side.count; i++) expect(side.sizeAt(i)).toBeGreaterThan(0);
            expect(side.bestPrice()).toBe(expected.length ? expected[0]![0] : Number.NaN);
            expect(side.depth(depth)).toBe(expected.slice(0, depth).reduce((s, l) => s + l[1], 0));
            for (let i = 0; i < expected.length; i++) {
              expect(side.priceAt(i)).toBe(expected[i]![0]);
              expect(side.sizeAt(i)).toBe(expected[i]![1]);
              expect(side.sizeAtPrice(expected[i]![0])).toBe(expected[i]![1]);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
