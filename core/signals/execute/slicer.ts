/**
 * Execution algorithms that cut a parent order into child market orders over time. They decide
 * sizes and times only; the host sends each child through the strategy context (so it passes the
 * risk gate like any other order) and reports back what was filled or refused.
 *
 * TWAP (as Nautilus's): n = ⌊horizon / interval⌋ slices of ⌊total / n⌋ lots, the remainder an extra
 * slice, so the slices sum to the total exactly; a slice under one lot (or the minimum size) sends
 * everything at once. The first slice goes immediately, then one per interval.
 * VWAP (book participation, as Hummingbot's simple_vwap): each interval take `participation` of the
 * book volume within `spreadBps` of mid on the side the order takes, in whole lots, capped at what is
 * left. A refused child returns its size to the parent.
 */
import type { Micros } from '../../market/events.ts';
import type { BookView } from '../../strategy/book-view.ts';
import { depthWithin } from '../detect/book-shape.ts';

export type SliceMode = 'twap' | 'vwap';

export interface SlicerSpec {
  readonly mode: SliceMode;
  /** Parent size, size units. */
  readonly total: number;
  readonly isBuy: boolean;
  readonly lotSize: number;
  readonly minSize: number;
  readonly intervalUs: Micros;
  /** TWAP only. */
  readonly horizonUs?: Micros;
  /** VWAP only. */
  readonly participation?: number;
  readonly spreadBps?: number;
}

export class Slicer {
  /** Size not yet sent (refused children come back here). */
  remaining: number;
  /** Size sent in children so far, net of refusals. */
  sent = 0;
  nextAt: Micros;
  private readonly sliceSize: number;
  private readonly whole: boolean;

  constructor(
    readonly spec: SlicerSpec,
    start: Micros,
  ) {
    this.remaining = spec.total;
    this.nextAt = start;
    if (spec.mode === 'twap') {
      const n = Math.max(1, Math.floor((spec.horizonUs ?? spec.intervalUs) / spec.intervalUs));
      const lots = Math.floor(spec.total / spec.lotSize);
      this.sliceSize = Math.floor(lots / n) * spec.lotSize;
      this.whole = this.sliceSize === spec.total || this.sliceSize < Math.max(spec.lotSize, spec.minSize);
    } else {
      this.sliceSize = 0;
      this.whole = false;
    }
  }

  get done(): boolean {
    return this.remaining <= 0;
  }

  /** The child to send at `now` (size units, 0: nothing now). Advances the schedule when it returns > 0. */
  next(now: Micros, book: BookView | undefined): number {
    if (this.done || now < this.nextAt) return 0;
    let size: number;
    if (this.spec.mode === 'twap') {
      size = this.whole ? this.remaining : Math.min(this.sliceSize, this.remaining);
      // the remainder of ⌊total / n⌋ slicing rides in a last, smaller slice
    } else {
      const mid = book?.mid() ?? Number.NaN;
      if (!book || !(mid > 0)) return 0;
      const depth = depthWithin(
        this.spec.isBuy ? book.asks : book.bids,
        !this.spec.isBuy,
        mid,
        this.spec.spreadBps ?? 10,
        200,
      );
      const lots = Math.floor((depth * (this.spec.participation ?? 0.001)) / this.spec.lotSize);
      size = Math.min(
        this.remaining,
        Math.max(lots * this.spec.lotSize, Math.max(this.spec.lotSize, this.spec.minSize)),
      );
    }
    if (!(size > 0)) return 0;
    this.remaining -= size;
    this.sent += size;
    this.nextAt = now + this.spec.intervalUs;
    return size;
  }

  /** A child was refused (risk gate or venue): its size goes back to the parent. */
  refused(size: number): void {
    this.remaining += size;
    this.sent -= size;
  }
}
