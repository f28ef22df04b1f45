import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookSide, LevelUpdate, type WindowOptions } from '../../../core/book/book-side.ts';
import { parseDecimal } from '../../../core/num/parse-decimal.ts';
import { fixture } from '../../support/fixtures.ts';

/** The simplest correct side: a map, sorted on read (best first). */
class ReferenceSide {
  readonly levels = new Map<number, number>();
  constructor(readonly isBid: boolean) {}
  set(price: number, size: number): LevelUpdate {
    const old = this.levels.get(price);
    if (size === 0) {
      if (old === undefined) return LevelUpdate.RemovedUnknown;
      this.levels.delete(price);
      return LevelUpdate.Removed;
    }
    this.levels.set(price, size);
    if (old === undefined) return LevelUpdate.Added;
    return old === size ? LevelUpdate.Unchanged : LevelUpdate.Updated;
  }
  sorted(): Array<[number, number]> {
    return [...this.levels.entries()].sort((a, b) => (this.isBid ? b[0] - a[0] : a[0] - b[0]));
  }
  truncate(depth: number): void {
    const keep = new Set(
      this.sorted()
        .slice(0, Math.max(0, depth))
        .map((l) => l[0]),
    );
    for (const p of [...this.levels.keys()]) if (!keep.has(p)) this.levels.delete(p);
  }
}

/** Every read of the side against the reference. */
function expectSame(side: BookSide, ref: ReferenceSide): void {
  const expected = ref.sorted();
  expect(side.count).toBe(expected.length);
  expect(side.top()).toEqual(expected);
  expect(side.bestPrice()).toBe(expected.length ? expected[0]![0] : Number.NaN);
  expect(side.bestSize()).toBe(expected.length ? expected[0]![1] : 0);
  for (let i = 0; i < expected.length; i++) {
    expect(side.priceAt(i)).toBe(expected[i]![0]);
    expect(side.sizeAt(i)).toBe(expected[i]![1]);
    expect(side.sizeAtPrice(expected[i]![0])).toBe(expected[i]![1]);
  }
  expect(side.priceAt(expected.length)).toBeNaN();
  expect(side.sizeAt(expected.length)).toBe(0);
  // nextWorse (the matching walk): from a level, beside one, between ticks, beyond both ends.
  const worse = (p: number) => expected.find(([q]) => (side.isBid ? q < p : q > p))?.[0] ?? Number.NaN;
  const probes = expected.slice(0, 40).flatMap(([p]) => [p, p + 1, p - 1, p + 0.5]);
  probes.push(1e12, -1e12, 0);
  for (const p of probes) expect(side.nextWorse(p), `nextWorse(${p})`).toBe(worse(p));
  expect(side.nextWorse(Number.NaN)).toBeNaN();
  for (const k of [0, 1, 3, 17, expected.length + 5]) {
    expect(side.depth(k)).toBe(expected.slice(0, k).reduce((s, l) => s + l[1], 0));
    // copyLevels: the same levels, strided as in a recorder row (price, size, 2 untouched slots).
    const out = new Float64Array(1 + 4 * k).fill(-1);
    const copied = side.copyLevels(k, out, 1, 4);
    const top = expected.slice(0, k);
    expect(copied).toBe(top.length);
    const want = new Float64Array(1 + 4 * k).fill(-1);
    top.forEach(([p, q], i) => {
      want[1 + 4 * i] = p;
      want[2 + 4 * i] = q;
    });
    expect(out).toEqual(want);
  }
  // Rank reads out of order (the rank cache must restart, not go stale).
  for (let i = expected.length - 1; i >= 0; i -= 7) expect(side.priceAt(i)).toBe(expected[i]![0]);
}

type Op =
  | { kind: 'set'; offset: number; size: number }
  | { kind: 'move'; by: number }
  | { kind: 'truncate'; depth: number }
  | { kind: 'clear' }
  | { kind: 'read'; rank: number }
  | { kind: 'rewrite' }
  | { kind: 'take'; rank: number };

/** Levels near a touch that drifts and sometimes jumps far beyond any window. */
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 60,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      // Mostly near the touch, sometimes deep, sometimes better than the touch.
      offset: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -3, max: 60 }) },
        { weight: 2, arbitrary: fc.integer({ min: -200, max: 400 }) },
        { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
      ),
      size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000 }), fc.constant(2 ** 40)),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      by: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -8, max: 8 }) },
        { weight: 1, arbitrary: fc.integer({ min: -50_000, max: 50_000 }) },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('truncate' as const), depth: fc.integer({ min: 0, max: 30 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('read' as const), rank: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'rewrite' as const }) },
  // Trades eat the touch: the best (or a level near it) goes, the touch sinks into the book.
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('take' as const), rank: fc.nat(3) }) },
);

const windows: WindowOptions[] = [{ min: 32, max: 32 }, { min: 32, max: 128 }, {}, { max: 0 }];

function play(
  isBid: boolean,
  window: WindowOptions,
  blockSize: number,
  ops: readonly Op[],
  checkEvery: number,
) {
  const side = new BookSide(isBid, blockSize, window);
  const ref = new ReferenceSide(isBid);
  let touch = 1_000_000;
  for (const [n, o] of ops.entries()) {
    switch (o.kind) {
      case 'set': {
        // Offsets count away from the touch: deeper is lower for bids, higher for asks.
        const price = isBid ? touch - o.offset : touch + o.offset;
        expect(side.set(price, o.size)).toBe(ref.set(price, o.size));
        break;
      }
      case 'move':
        touch = Math.max(200_000, touch + o.by);
        break;
      case 'truncate':
        expect(side.truncate(o.depth)).toBe(Math.max(0, ref.levels.size - o.depth));
        ref.truncate(o.depth);
        break;
      case 'clear':
        side.clear();
        ref.levels.clear();
        break;
      case 'take': {
        const level = ref.sorted()[o.rank];
        if (level) expect(side.set(level[0], 0)).toBe(ref.set(level[0], 0));
        break;
      }
      case 'rewrite':
        // Write every level again: a level held in the wrong part (window vs blocked) shows up as
        // Added instead of Updated, or as a duplicate.
        for (const [price, size] of [...ref.levels])
          expect(side.set(price, size + 1)).toBe(ref.set(price, size + 1));
        break;
      case 'read': {
        const expected = ref.sorted()[o.rank];
        expect(side.priceAt(o.rank)).toBe(expected ? expected[0] : Number.NaN);
        expect(side.sizeAt(o.rank)).toBe(expected ? expected[1] : 0);
        break;
      }
    }
    expect(side.count).toBe(ref.levels.size);
    if (n % checkEvery === 0) expectSame(side, ref);
  }
  expectSame(side, ref);
  return side;
}

describe('BookSide (price-indexed window over a blocked sorted structure)', () => {
  it('equals a reference model while the touch drifts and jumps far past the window (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(...windows),
        fc.constantFrom(4, 64),
        fc.array(op, { maxLength: 400, size: 'max' }),
        (isBid, window, blockSize, ops) => {
          play(isBid, window, blockSize, ops, 25);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    [true, 32],
    [false, 32],
    [true, 64],
    [false, 64],
  ])('follows the touch tick by tick, down and up (bid %s, window %i)', (isBid, W) => {
    const side = new BookSide(isBid, 4, { min: W, max: W });
    const ref = new ReferenceSide(isBid);
    const price = (depth: number) => (isBid ? 10_000 - depth : 10_000 + depth);
    const both = (p: number, q: number) => expect(side.set(p, q)).toBe(ref.set(p, q));
    const rewriteAll = () => {
      for (const [p, q] of [...ref.levels]) both(p, q + 1);
    };
    for (let d = 0; d < 200; d++) both(price(d), 1 + d);
    // Delete from the best down: the window must move down and take every level back from the
    // blocked part exactly once.
    for (let d = 0; d < 200; d++) {
      both(price(d), 0);
      rewriteAll();
      expect(side.count).toBe(ref.levels.size);
    }
    expectSame(side, ref);
    // Rise again in steps of 1..40 ticks: the window moves up and hands its bottom to the blocked part.
    for (let d = 200, step = 1; d > -1_000; d -= step, step = (step % 40) + 1) {
      both(price(d), 7);
      if (d % 3 === 0) rewriteAll();
      expect(side.count).toBe(ref.levels.size);
    }
    expectSame(side, ref);
  });

  it('grows its window while changes keep missing it, and stays exact (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(
          fc.record({
            kind: fc.constant('set' as const),
            offset: fc.integer({ min: 0, max: 3_000 }),
            size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 })),
          }),
          { minLength: 6_000, maxLength: 8_000 },
        ),
        (isBid, ops) => {
          const side = play(isBid, { min: 32, max: 4096 }, 16, ops, 2_000);
          // ~3 000 ticks of levels, most changes beyond 32 ticks: the window must have grown.
          expect(side.windowTicks).toBeGreaterThan(32);
          expect(side.windowTicks).toBeLessThanOrEqual(4096);
        },
      ),
      // Long inputs: report the failing one as is rather than shrink it for minutes.
      { numRuns: 6, endOnFailure: true },
    );
  });

  it('keeps a small window for a small book (memory bounded by levels held)', () => {
    const side = new BookSide(true);
    // 10 levels spread over 10 000 ticks: every change misses a 256-tick window, yet growing it
    // would cost more than 32 ticks per level.
    for (let r = 0; r < 5_000; r++) side.set(1_000_000 - (r % 10) * 1_000, 1 + (r % 7));
    expect(side.count).toBe(10);
    expect(side.windowTicks).toBe(256);
    expect(new BookSide(true, 64, { max: 0 }).windowTicks).toBe(0);
  });

  it('refuses what cannot be an exact level', () => {
    const side = new BookSide(false);
    expect(side.set(100.5, 1)).toBe(LevelUpdate.Rejected);
    expect(side.set(Number.POSITIVE_INFINITY, 1)).toBe(LevelUpdate.Rejected);
    expect(side.set(Number.NaN, 1)).toBe(LevelUpdate.Rejected);
    expect(side.set(100, Number.POSITIVE_INFINITY)).toBe(LevelUpdate.Rejected);
    expect(side.set(100, -1)).toBe(LevelUpdate.Rejected);
    expect(side.set(100, 2)).toBe(LevelUpdate.Added);
    expect(side.set(100.5, 1)).toBe(LevelUpdate.Rejected);
    expect(side.count).toBe(1);
    // Prices too large for window arithmetic still work (in the blocked part).
    expect(side.set(2 ** 53 - 1, 3)).toBe(LevelUpdate.Added);
    expect(side.set(2 ** 52 + 7, 4)).toBe(LevelUpdate.Added);
    expect(side.top()).toEqual([
      [100, 2],
      [2 ** 52 + 7, 4],
      [2 ** 53 - 1, 3],
    ]);
    // Reads of what cannot be there answer "nothing" and change nothing.
    expect(side.sizeAtPrice(Number.NaN)).toBe(0);
    expect(side.sizeAtPrice(100.5)).toBe(0);
    expect(side.priceAt(-1)).toBeNaN();
    expect(side.sizeAt(-1)).toBe(0);
    expect(side.truncate(Number.NaN)).toBe(0);
    expect(side.count).toBe(3);
  });

  it.each([
    ['binance/hftbacktest_spot_btcusdt_20240808.gz', 2, 8],
    ['binance/hftbacktest_usdm_btcusdt_20240808.gz', 1, 3],
  ])(
    '%s: every level change matches a reference, with default and tiny windows',
    (path, priceScale, sizeScale) => {
      const lines = gunzipSync(readFileSync(fixture(path)))
        .toString()
        .split('\n')
        .filter((l) => l.includes('lastUpdateId') || l.includes('depthUpdate'))
        .map((l) => JSON.parse(l.slice(l.indexOf(' ') + 1)) as Record<string, unknown>);
      type Levels = Array<[string, string]>;
      const snapAt = lines.findIndex((l) => 'lastUpdateId' in l);
      const snap = lines[snapAt] as { lastUpdateId: number; bids: Levels; asks: Levels };
      for (const window of [{}, { min: 32, max: 64 }]) {
        const sides = [new BookSide(true, 64, window), new BookSide(false, 64, window)] as const;
        const refs = [new ReferenceSide(true), new ReferenceSide(false)] as const;
        let mismatches = 0;
        const apply = (k: 0 | 1, levels: Levels) => {
          for (const [p, q] of levels) {
            const price = parseDecimal(p, priceScale);
            const size = parseDecimal(q, sizeScale);
            if (sides[k].set(price, size) !== refs[k].set(price, size)) mismatches++;
          }
        };
        apply(0, snap.bids);
        apply(1, snap.asks);
        let frames = 0;
        for (const l of lines.slice(snapAt + 1)) {
          const d = l.data as { u: number; b: Levels; a: Levels };
          if (d.u <= snap.lastUpdateId) continue;
          apply(0, d.b);
          apply(1, d.a);
          if (++frames % 500 === 0) {
            for (const k of [0, 1] as const) {
              expect(sides[k].top(30)).toEqual(refs[k].sorted().slice(0, 30));
              expect(sides[k].count).toBe(refs[k].levels.size);
            }
          }
        }
        expect(frames).toBeGreaterThan(3_000);
        expect(mismatches).toBe(0);
        for (const k of [0, 1] as const) expectSame(sides[k], refs[k]);
      }
    },
  );
});
