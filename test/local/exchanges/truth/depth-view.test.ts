import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Book } from '../../../../core/book/l2-book.ts';
import {
  applyDelta,
  type BookDelta,
  copyBook,
  diffBooks,
} from '../../../../local/exchanges/truth/book-delta.ts';
import { DepthView } from '../../../../local/exchanges/truth/depth-view.ts';

const level = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 4 }));
const delta = fc.record({ bids: fc.array(level, { maxLength: 6 }), asks: fc.array(level, { maxLength: 6 }) });

function top(book: L2Book, depth: number): unknown {
  return book.snapshot(depth);
}

describe('DepthView', () => {
  it('Kraken semantics: client applies the view delta then truncates → equals the true top N', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        delta,
        fc.array(delta, { maxLength: 40 }),
        (depth, first, steps) => {
          const truth = new L2Book();
          applyDelta(truth, first as BookDelta);
          const view = new DepthView(truth, depth, false);
          const client = copyBook(truth, depth);
          for (const d of steps as BookDelta[]) {
            applyDelta(truth, d);
            const vd = view.update(truth, d);
            applyDelta(client, vd);
            client.truncate(depth);
            expect(top(view.book, 99)).toEqual(top(truth, depth));
            expect(top(client, 99)).toEqual(top(truth, depth));
          }
        },
      ),
    );
  });

  it('Bybit semantics: leaving levels are deleted, so the client needs no truncation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        delta,
        fc.array(delta, { maxLength: 40 }),
        (depth, first, steps) => {
          const truth = new L2Book();
          applyDelta(truth, first as BookDelta);
          const view = new DepthView(truth, depth, true);
          const client = copyBook(truth, depth);
          for (const d of steps as BookDelta[]) {
            applyDelta(truth, d);
            applyDelta(client, view.update(truth, d));
            expect(top(client, 99)).toEqual(top(truth, depth));
          }
        },
      ),
    );
  });

  it('marks levels that enter the window without changing', () => {
    const truth = new L2Book();
    for (const p of [10, 9, 8]) truth.bids.set(p, 1);
    const view = new DepthView(truth, 2, false);
    const d: BookDelta = { bids: [[10, 0]], asks: [] };
    applyDelta(truth, d);
    const vd = view.update(truth, d);
    expect(vd.bids).toEqual([
      [10, 0],
      [8, 1],
    ]);
    expect([...vd.entered]).toEqual([8]);
  });
});

describe('diffBooks', () => {
  it('turns any book into any other', () => {
    fc.assert(
      fc.property(delta, delta, (a, b) => {
        const from = new L2Book();
        applyDelta(from, a as BookDelta);
        const to = new L2Book();
        applyDelta(to, b as BookDelta);
        applyDelta(from, diffBooks(from, to));
        expect(from.snapshot()).toEqual(to.snapshot());
      }),
    );
  });
});
