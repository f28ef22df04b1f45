/**
 * The order being checked, with what every check needs already looked up (position, pending size
 * on its side, mid, the instrument's limits). The gate owns one and refills it per order, so the
 * checks take no arguments they would each fetch again and nothing is allocated.
 *
 * The worst case: every open order on the order's side fills, plus this one
 * (`worst = position ± (pendingSameSide + added)`). For an amend `added` is the size change
 * (negative when it shrinks), since the old size is already pending.
 */
import type { Side } from '../../market/events.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { InstrumentLimits } from '../resolved-limits.ts';
import { shrinksPosition } from '../trading-state.ts';

export class OrderUnderCheck {
  instrument = 0;
  spec: Instrument | undefined = undefined;
  limits: InstrumentLimits | undefined = undefined;
  side: Side = 'buy';
  isMarket = false;
  isAmend = false;
  postOnly = false;
  /** Limit price units; NaN for market orders. */
  price = Number.NaN;
  /** The order's size (an amend's new total size), size units. */
  size = 0;
  /** What the order adds to the worst case on its side, size units. */
  added = 0;
  position = 0;
  pendingSameSide = 0;
  pendingOtherSide = 0;
  /** Position if every order on this side fills, this one included. */
  worst = 0;
  /** Mid price units; NaN when unknown. */
  mid = Number.NaN;

  /** Recompute `worst` after the inputs are set. */
  settle(): void {
    const sign = this.side === 'buy' ? 1 : -1;
    this.worst = this.position + sign * (this.pendingSameSide + this.added);
  }

  /** The order takes |position| further from zero in the worst case on its side. */
  grows(): boolean {
    return Math.abs(this.worst) > Math.abs(this.position);
  }

  /** The order can only bring |position| toward zero (an amend that adds nothing counts). */
  shrinks(): boolean {
    if (this.isAmend && this.added <= 0) return true;
    return shrinksPosition(this.position, this.side, this.pendingSameSide, this.added);
  }
}
