/**
 * What a client subscribed to the top `depth` levels holds (Kraken book-N, Bybit orderbook.N), kept
 * next to the truth so each truth delta becomes the wire delta that venue would send for that depth:
 *   - changed levels inside the new top `depth` are sent;
 *   - levels removed from the truth that the client held are sent as deletes;
 *   - levels that ENTER the window because better ones went away are sent (Kraken marks them
 *     republished, "r") — the client could not know them otherwise;
 *   - levels pushed OUT of the window by better ones: Kraken sends nothing (the client truncates),
 *     Bybit sends a delete (`sendLeaving`).
 * After `update` the view equals the truth's top `depth` levels; tests check that invariant.
 */
import type { BookSide } from '../../../core/book/book-side.ts';
import type { L2Book } from '../../../core/book/l2-book.ts';
import type { PriceLevel } from '../../../core/market/events.ts';
import { type BookDelta, copyBook, emptyDelta } from './book-delta.ts';

export interface ViewDelta extends BookDelta {
  /** Prices in this delta that entered the window without changing (republished). */
  readonly entered: Set<number>;
}

/** Is `a` at least as good as `b` on this side? */
function atLeastAsGood(isBid: boolean, a: number, b: number): boolean {
  return isBid ? a >= b : a <= b;
}

export class DepthView {
  readonly depth: number;
  readonly book: L2Book;
  private readonly sendLeaving: boolean;

  constructor(truth: L2Book, depth: number, sendLeaving: boolean) {
    this.depth = depth;
    this.sendLeaving = sendLeaving;
    this.book = copyBook(truth, depth);
  }

  /** `delta` has been applied to `truth`: bring the view along and return what to send (may be empty). */
  update(truth: L2Book, delta: BookDelta): ViewDelta {
    const out: ViewDelta = { ...emptyDelta(), entered: new Set() };
    this.side(truth.bids, this.book.bids, delta.bids, out.bids, out.entered);
    this.side(truth.asks, this.book.asks, delta.asks, out.asks, out.entered);
    return out;
  }

  private side(
    truth: BookSide,
    view: BookSide,
    changes: readonly PriceLevel[],
    out: PriceLevel[],
    entered: Set<number>,
  ): void {
    const depth = this.depth;
    const isBid = truth.isBid;
    // Worst price the client held, when its window was full (else it held the whole side).
    const oldWorst = view.count >= depth ? view.priceAt(depth - 1) : Number.NaN;
    const newWorst = truth.count > depth ? truth.priceAt(depth - 1) : Number.NaN;
    for (const [p, s] of changes) {
      const inWindow = s > 0 && (Number.isNaN(newWorst) || atLeastAsGood(isBid, p, newWorst));
      const held = view.sizeAtPrice(p);
      if (inWindow) {
        if (held !== s) {
          view.set(p, s);
          out.push([p, s]);
        }
      } else if (held > 0) {
        view.set(p, 0);
        if (s === 0 || this.sendLeaving) out.push([p, 0]);
      }
    }
    // Levels that moved into the window without changing: the worst ones of the new window that are
    // worse than anything the client held.
    if (!Number.isNaN(oldWorst)) {
      for (let i = Math.min(depth, truth.count) - 1; i >= 0; i--) {
        const p = truth.priceAt(i);
        if (atLeastAsGood(isBid, p, oldWorst)) break;
        const s = truth.sizeAt(i);
        if (view.sizeAtPrice(p) !== s) {
          view.set(p, s);
          out.push([p, s]);
          entered.add(p);
        }
      }
    }
    // Levels pushed out by better ones.
    if (view.count > depth) {
      if (this.sendLeaving) for (let i = depth; i < view.count; i++) out.push([view.priceAt(i), 0]);
      view.truncate(depth);
    }
  }
}
