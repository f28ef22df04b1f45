import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Book } from '../../../core/book/l2-book.ts';
import { L3Book, L3Result } from '../../../core/book/l3-book.ts';
import { LevelChanges } from '../../../core/book/level-changes.ts';

describe('L3Book', () => {
  it('keeps FIFO queues per level and aggregates them into the L2 book', () => {
    const book = new L3Book();
    expect(book.add('a', true, 100, 5)).toBe(L3Result.Ok);
    expect(book.add('b', true, 100, 3)).toBe(L3Result.Ok);
    expect(book.add('c', true, 99, 7)).toBe(L3Result.Ok);
    expect(book.add('x', false, 101, 2)).toBe(L3Result.Ok);
    expect(book.orderCount).toBe(4);
    expect(book.ordersAt(true, 100)).toEqual([
      ['a', 5],
      ['b', 3],
    ]);
    expect(book.l2.snapshot()).toEqual({
      bids: [
        [100, 8],
        [99, 7],
      ],
      asks: [[101, 2]],
    });
    expect(book.queueAhead('a')).toBe(0);
    expect(book.queueAhead('b')).toBe(5);
    expect(book.queueAhead('nope')).toBeNaN();
    expect(book.levelOrderCount(true, 100)).toBe(2);
    expect(book.levelSize(true, 100)).toBe(8);
  });

  it('removes by id from the middle of a queue and drops emptied levels', () => {
    const book = new L3Book();
    book.add('a', false, 10, 1);
    book.add('b', false, 10, 2);
    book.add('c', false, 10, 4);
    expect(book.remove('b')).toBe(L3Result.Ok);
    expect(book.ordersAt(false, 10)).toEqual([
      ['a', 1],
      ['c', 4],
    ]);
    expect(book.queueAhead('c')).toBe(1);
    expect(book.remove('b')).toBe(L3Result.Unknown);
    book.remove('a');
    book.remove('c');
    expect(book.levelCount(false)).toBe(0);
    expect(book.l2.asks.count).toBe(0);
    expect(book.orderCount).toBe(0);
  });

  it('keeps priority on a size decrease, loses it on an increase or a price change', () => {
    const book = new L3Book();
    book.add('a', true, 50, 10);
    book.add('b', true, 50, 10);
    book.change('a', 10);
    expect(book.ordersAt(true, 50)[0]).toEqual(['a', 10]); // same size: nothing moves
    book.change('a', 4);
    expect(book.ordersAt(true, 50)).toEqual([
      ['a', 4],
      ['b', 10],
    ]);
    book.change('a', 6);
    expect(book.ordersAt(true, 50)).toEqual([
      ['b', 10],
      ['a', 6],
    ]);
    book.change('b', 10, 49);
    expect(book.ordersAt(true, 50)).toEqual([['a', 6]]);
    expect(book.ordersAt(true, 49)).toEqual([['b', 10]]);
    expect(book.priceOf('b')).toBe(49);
    expect(book.change('b', 0)).toBe(L3Result.Ok);
    expect(book.has('b')).toBe(false);
    expect(book.l2.snapshot().bids).toEqual([[50, 6]]);
  });

  it('fills in place, removes on a complete fill, refuses an overfill', () => {
    const book = new L3Book();
    book.add('a', true, 7, 5);
    book.add('b', true, 7, 5);
    expect(book.fill('a', 2)).toBe(L3Result.Ok);
    expect(book.ordersAt(true, 7)).toEqual([
      ['a', 3],
      ['b', 5],
    ]);
    expect(book.fill('a', 4)).toBe(L3Result.Rejected);
    expect(book.fill('a', 3)).toBe(L3Result.Ok);
    expect(book.has('a')).toBe(false);
    expect(book.fill('zz', 1)).toBe(L3Result.Unknown);
    expect(book.l2.snapshot().bids).toEqual([[7, 5]]);
  });

  it('refuses duplicates and non-integer or non-positive units without changing anything', () => {
    const book = new L3Book();
    book.add('a', true, 7, 5);
    expect(book.add('a', true, 8, 1)).toBe(L3Result.Duplicate);
    expect(book.add('b', true, 7, 0)).toBe(L3Result.Rejected);
    expect(book.add('b', true, 7, -1)).toBe(L3Result.Rejected);
    expect(book.add('b', true, 7.5, 1)).toBe(L3Result.Rejected);
    expect(book.add('b', true, Number.NaN, 1)).toBe(L3Result.Rejected);
    expect(book.change('a', -3)).toBe(L3Result.Rejected);
    expect(book.orderCount).toBe(1);
    expect(book.l2.snapshot().bids).toEqual([[7, 5]]);
  });

  it('writes through to a given L2 book and records level changes', () => {
    const l2 = new L2Book();
    const changes = new LevelChanges();
    const book = new L3Book({ l2, changes });
    book.add('a', true, 100, 5);
    book.add('b', true, 100, 2);
    book.remove('a');
    expect(l2.snapshot().bids).toEqual([[100, 2]]);
    expect(changes.toLevels().bids).toEqual([
      [100, 5],
      [100, 7],
      [100, 2],
    ]);
  });

  it('loads a snapshot (best level first) and writes the aggregate once', () => {
    const changes = new LevelChanges();
    const book = new L3Book({ changes });
    book.add('old', true, 1, 1);
    changes.reset();
    book.beginLoad();
    for (let p = 1000; p > 0; p--) book.add(`b${p}`, true, p, p);
    for (let p = 1001; p <= 2000; p++) {
      book.add(`a${p}`, false, p, 1);
      book.add(`a${p}x`, false, p, 2);
    }
    expect(book.l2.bids.count).toBe(0); // not yet written
    book.endLoad();
    expect(book.has('old')).toBe(false);
    expect(book.l2.bids.count).toBe(1000);
    expect(book.l2.asks.count).toBe(1000);
    expect(book.l2.bestBid()).toBe(1000);
    expect(book.l2.bestAsk()).toBe(1001);
    expect(book.l2.asks.sizeAt(0)).toBe(3);
    expect(book.queueAhead('a1001x')).toBe(1);
    expect(changes.count).toBe(2000);
  });

  it('reuses freed slots across many add/remove cycles', () => {
    const book = new L3Book({}, 4, 2);
    for (let i = 0; i < 10_000; i++) {
      book.add(`o${i}`, i % 2 === 0, 100 + (i % 7), 1 + (i % 3));
      if (i >= 3) book.remove(`o${i - 3}`);
    }
    expect(book.orderCount).toBe(3);
    let total = 0;
    for (const [, s] of book.l2.bids.top()) total += s;
    for (const [, s] of book.l2.asks.top()) total += s;
    expect(total).toBe(book.sizeOf('o9997') + book.sizeOf('o9998') + book.sizeOf('o9999'));
  });
});

// --- property test: random operation sequences vs a plain reference model -------------------------

type Op =
  | { kind: 'add'; id: string; isBid: boolean; price: number; size: number }
  | { kind: 'remove'; id: string }
  | { kind: 'change'; id: string; size: number; price?: number }
  | { kind: 'fill'; id: string; qty: number };

interface RefOrder {
  id: string;
  isBid: boolean;
  price: number;
  size: number;
}

/** Reference: arrays of orders per level, linear scans everywhere. Obviously right, slow. */
class ReferenceBook {
  readonly levels = new Map<string, RefOrder[]>();
  readonly orders = new Map<string, RefOrder>();

  private key(isBid: boolean, price: number): string {
    return `${isBid ? 'b' : 'a'}${price}`;
  }

  private queue(isBid: boolean, price: number): RefOrder[] {
    const k = this.key(isBid, price);
    let q = this.levels.get(k);
    if (!q) {
      q = [];
      this.levels.set(k, q);
    }
    return q;
  }

  private detach(o: RefOrder): void {
    const k = this.key(o.isBid, o.price);
    const q = this.levels.get(k)!;
    q.splice(q.indexOf(o), 1);
    if (q.length === 0) this.levels.delete(k);
  }

  apply(op: Op): L3Result {
    const ok = (n: number) => Number.isSafeInteger(n) && n > 0;
    switch (op.kind) {
      case 'add': {
        if (!ok(op.price) || !ok(op.size)) return L3Result.Rejected;
        if (this.orders.has(op.id)) return L3Result.Duplicate;
        const o = { id: op.id, isBid: op.isBid, price: op.price, size: op.size };
        this.orders.set(op.id, o);
        this.queue(o.isBid, o.price).push(o);
        return L3Result.Ok;
      }
      case 'remove': {
        const o = this.orders.get(op.id);
        if (!o) return L3Result.Unknown;
        this.detach(o);
        this.orders.delete(op.id);
        return L3Result.Ok;
      }
      case 'change': {
        const o = this.orders.get(op.id);
        if (!o) return L3Result.Unknown;
        if (op.size === 0) return this.apply({ kind: 'remove', id: op.id });
        const price = op.price ?? o.price;
        if (!ok(price) || !ok(op.size)) return L3Result.Rejected;
        if (price === o.price && op.size <= o.size) {
          o.size = op.size;
        } else {
          this.detach(o);
          o.price = price;
          o.size = op.size;
          this.queue(o.isBid, price).push(o);
        }
        return L3Result.Ok;
      }
      case 'fill': {
        const o = this.orders.get(op.id);
        if (!o) return L3Result.Unknown;
        if (!ok(op.qty) || op.qty > o.size) return L3Result.Rejected;
        if (op.qty === o.size) return this.apply({ kind: 'remove', id: op.id });
        o.size -= op.qty;
        return L3Result.Ok;
      }
    }
  }

  aggregate(isBid: boolean): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const q of this.levels.values()) {
      if (q[0]!.isBid !== isBid) continue;
      out.push([q[0]!.price, q.reduce((s, o) => s + o.size, 0)]);
    }
    return out.sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]));
  }
}

const ids = fc.constantFrom(...Array.from({ length: 8 }, (_, i) => `o${i}`));
// Narrow ranges on purpose: same-level queues, equal-size changes and exact fills must be common.
const prices = fc.integer({ min: 99, max: 101 });
const sizes = fc.integer({ min: 1, max: 4 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      id: ids,
      isBid: fc.boolean(),
      price: prices,
      size: sizes,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: ids }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      id: ids,
      size: fc.integer({ min: -1, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      id: ids,
      size: fc.integer({ min: -1, max: 5 }),
      price: prices,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      id: ids,
      qty: fc.integer({ min: 0, max: 5 }),
    }),
  },
);

function run(book: L3Book, op: Op): L3Result {
  switch (op.kind) {
    case 'add':
      return book.add(op.id, op.isBid, op.price, op.size);
    case 'remove':
      return book.remove(op.id);
    case 'change':
      return book.change(op.id, op.size, op.price);
    case 'fill':
      return book.fill(op.id, op.qty);
  }
}

/** Everything observable about a book, as plain data (compared as JSON: cheap per operation). */
function observe(book: L3Book, ref: ReferenceBook, replayed: L2Book) {
  const l2 = book.l2.snapshot();
  const queues: unknown[] = [];
  const refQueues: unknown[] = [];
  for (const q of ref.levels.values()) {
    const { isBid, price } = q[0]!;
    queues.push(book.ordersAt(isBid, price).map(([id, size]) => [id, size, book.queueAhead(id)]));
    let ahead = 0;
    refQueues.push(
      q.map((o) => {
        const row = [o.id, o.size, ahead];
        ahead += o.size;
        return row;
      }),
    );
  }
  return {
    actual: { l2, replayed: replayed.snapshot(), orders: book.orderCount, queues },
    expected: {
      l2: { bids: ref.aggregate(true), asks: ref.aggregate(false) },
      replayed: { bids: ref.aggregate(true), asks: ref.aggregate(false) },
      orders: ref.orders.size,
      queues: refQueues,
    },
  };
}

describe('L3Book property: never diverges from the reference model', () => {
  it('aggregates, FIFO order, queueAhead, counts and recorded changes agree after every operation', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 120, size: 'max' }), (ops) => {
        const changes = new LevelChanges();
        const book = new L3Book({ changes }, 2, 2); // tiny capacities: exercise growth and slot reuse
        const replayed = new L2Book(); // rebuilt only from the recorded changes
        const ref = new ReferenceBook();
        for (const op of ops) {
          changes.reset();
          expect(run(book, op)).toBe(ref.apply(op));
          for (let i = 0; i < changes.count; i++) {
            replayed.set(changes.sideAt(i), changes.priceAt(i), changes.sizeAt(i));
          }
          const { actual, expected } = observe(book, ref, replayed);
          if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual).toEqual(expected);
          // No zero or negative level can exist (the reference never builds one).
          for (const [, size] of [...actual.l2.bids, ...actual.l2.asks])
            if (!(size > 0)) expect(size).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});
