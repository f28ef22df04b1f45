/**
 * A change to a true book: price levels set to absolute sizes (0 removes), split by side, in the
 * order they were made. Integers in the instrument's units. Every wire message a simulated venue
 * sends is encoded from one of these, so the wire always agrees with the truth.
 */
import type { BookSide } from '../../../core/book/book-side.ts';
import { L2Book } from '../../../core/book/l2-book.ts';
import type { PriceLevel } from '../../../core/market/events.ts';

export interface BookDelta {
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
}

export function emptyDelta(): BookDelta {
  return { bids: [], asks: [] };
}

export function deltaSize(d: BookDelta): number {
  return d.bids.length + d.asks.length;
}

/** Apply in order (a price may appear twice: the last write wins, as on the wire). */
export function applyDelta(book: L2Book, d: BookDelta): void {
  for (const [p, s] of d.bids) book.bids.set(p, s);
  for (const [p, s] of d.asks) book.asks.set(p, s);
}

/** Append to `out` the levels that turn side `from` into side `to` (merge walk, best first). */
export function diffSide(from: BookSide, to: BookSide, out: PriceLevel[]): void {
  const sign = from.isBid ? 1 : -1;
  let i = 0;
  let j = 0;
  const nf = from.count;
  const nt = to.count;
  while (i < nf || j < nt) {
    if (j >= nt) {
      out.push([from.priceAt(i++), 0]);
    } else if (i >= nf) {
      out.push([to.priceAt(j), to.sizeAt(j)]);
      j++;
    } else {
      const a = from.priceAt(i) * sign;
      const b = to.priceAt(j) * sign;
      if (a === b) {
        if (from.sizeAt(i) !== to.sizeAt(j)) out.push([to.priceAt(j), to.sizeAt(j)]);
        i++;
        j++;
      } else if (a > b) {
        out.push([from.priceAt(i++), 0]); // a level `to` no longer has
      } else {
        out.push([to.priceAt(j), to.sizeAt(j)]);
        j++;
      }
    }
  }
}

/** The delta that turns `from` into `to`. */
export function diffBooks(from: L2Book, to: L2Book): BookDelta {
  const d = emptyDelta();
  diffSide(from.bids, to.bids, d.bids);
  diffSide(from.asks, to.asks, d.asks);
  return d;
}

/** A copy of the best `depth` levels per side (all by default). */
export function copyBook(book: L2Book, depth = Number.POSITIVE_INFINITY): L2Book {
  const out = new L2Book();
  const nb = Math.min(depth, book.bids.count);
  for (let i = nb - 1; i >= 0; i--) out.bids.set(book.bids.priceAt(i), book.bids.sizeAt(i));
  const na = Math.min(depth, book.asks.count);
  for (let i = na - 1; i >= 0; i--) out.asks.set(book.asks.priceAt(i), book.asks.sizeAt(i));
  return out;
}
