/**
 * Peak-to-now PnL loss within a rolling window of event time, in fixed memory: the window is cut
 * into SLOTS slots, each keeping the highest PnL sampled in it, and the ring holds one slot more
 * (the current, partly filled one). A peak counts for at least the whole window and at most one
 * slot longer (15 s of a 60-minute window) — the cautious direction: a drawdown is never missed,
 * at worst it is seen a little longer.
 */
const SLOTS = 240;
const RING = SLOTS + 1;

export class RollingDrawdown {
  readonly #slot = new Float64Array(RING).fill(Number.NaN);
  readonly #high = new Float64Array(RING);
  #width: number;
  /** The slot of the last update, and the highest PnL of the other slots in its window. */
  #current = Number.NaN;
  #peakOthers = Number.NEGATIVE_INFINITY;
  /** Highest PnL in the window minus the latest PnL (≥ 0). */
  drawdown = 0;

  constructor(windowMicros: number) {
    this.#width = Math.max(1, windowMicros / SLOTS);
  }

  update(now: number, pnl: number): void {
    const slot = Math.floor(now / this.#width);
    const at = ((slot % RING) + RING) % RING;
    if (slot === this.#current) {
      // Within the current slot the other slots cannot change: no scan (the per-event case).
      if (pnl > (this.#high[at] as number)) this.#high[at] = pnl;
      this.drawdown = Math.max(this.#peakOthers, this.#high[at] as number) - pnl;
      return;
    }
    this.#current = slot;
    if (this.#slot[at] !== slot) {
      this.#slot[at] = slot;
      this.#high[at] = pnl;
    } else if (pnl > (this.#high[at] as number)) {
      this.#high[at] = pnl;
    }
    let others = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < RING; i++) {
      if (i === at) continue;
      const s = this.#slot[i] as number;
      if (s >= slot - SLOTS && s <= slot && (this.#high[i] as number) > others)
        others = this.#high[i] as number;
    }
    this.#peakOthers = others;
    this.drawdown = Math.max(others, this.#high[at] as number) - pnl;
  }

  /**
   * A new window length. The slots are re-cut, so the old samples are folded into one: the
   * window's peak so far, kept as if sampled now (it stays one whole new window).
   */
  resize(windowMicros: number, now: number, pnl: number): void {
    const peak = pnl + this.drawdown;
    this.#slot.fill(Number.NaN);
    this.#current = Number.NaN;
    this.#width = Math.max(1, windowMicros / SLOTS);
    this.update(now, peak);
    this.update(now, pnl);
  }
}
