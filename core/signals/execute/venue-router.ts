/**
 * Venue routing by effective price: for a given side and base-currency quantity, walk each venue's
 * book and price the fill with that venue's taker fee (buy: average × (1 + fee), sell: average ×
 * (1 − fee)); the best effective price wins. Venues whose book cannot fill the whole quantity, or
 * is not usable (untrusted, stale), are skipped. Prices come out in quote currency (each venue's
 * units converted by its own scale) so venues with different ticks compare.
 */
import type { Instrument } from '../../market/instrument.ts';
import type { BookView } from '../../strategy/book-view.ts';
import { BookWalk } from '../detect/book-shape.ts';

export interface RouteCandidate {
  readonly instrument: Instrument;
  book: BookView | undefined;
  /** Taker fee, fraction of notional. */
  readonly takerFee: number;
  usable: boolean;
}

export class VenueRouter {
  private readonly walk = new BookWalk();
  /** Set by `route`: the winning candidate's index (−1: none), its effective and raw average price. */
  best = -1;
  effectivePrice = Number.NaN;
  averagePrice = Number.NaN;

  constructor(readonly maxLevels: number) {}

  route(candidates: readonly RouteCandidate[], isBuy: boolean, baseQuantity: number): number {
    this.best = -1;
    this.effectivePrice = Number.NaN;
    this.averagePrice = Number.NaN;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (!c.usable || !c.book) continue;
      const units = Math.round(baseQuantity * 10 ** c.instrument.sizeScale);
      if (!(units > 0)) continue;
      const w = this.walk.walk(isBuy ? c.book.asks : c.book.bids, units, this.maxLevels);
      if (w.filled < units) continue;
      const avg = w.averagePrice * 10 ** -c.instrument.priceScale;
      const eff = isBuy ? avg * (1 + c.takerFee) : avg * (1 - c.takerFee);
      if (this.best < 0 || (isBuy ? eff < this.effectivePrice : eff > this.effectivePrice)) {
        this.best = i;
        this.effectivePrice = eff;
        this.averagePrice = avg;
      }
    }
    return this.best;
  }
}
