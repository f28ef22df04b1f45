/**
 * The book every implementation must end with, computed independently: decimal strings as Map keys,
 * snapshot then one pass of the diffs. Every diff writes absolute sizes, so the book after any number
 * of rounds ≥ 1 equals the book after one round.
 */
import type { HftbacktestCapture } from '../load-hftbacktest.ts';
import type { FloatBook } from './book-bench.ts';

export function referenceBook(capture: HftbacktestCapture): FloatBook {
  const bids = new Map<string, string>();
  const asks = new Map<string, string>();
  const write = (side: Map<string, string>, levels: ReadonlyArray<readonly [string, string]>) => {
    for (const [p, s] of levels) {
      if (Number(s) === 0) side.delete(p);
      else side.set(p, s);
    }
  };
  write(bids, capture.snapshot.bids);
  write(asks, capture.snapshot.asks);
  for (const d of capture.depth) {
    write(bids, d.bids);
    write(asks, d.asks);
  }
  const sorted = (side: Map<string, string>, descending: boolean) =>
    [...side]
      .map(([p, s]) => [Number(p), Number(s)] as const)
      .sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
  return { bids: sorted(bids, true), asks: sorted(asks, false) };
}
