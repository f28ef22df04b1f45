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
  /** Highest PnL in the window minus the latest PnL (≥ 0). */
  drawdown = 0;

  constructor(windowMicros: number) {
    this.#width = Math.max(1, windowMicros / SLOTS);
  }

  update(now: number, pnl: number): void {
    const slot = Math.floor(now / this.#width);
    const at = ((slot % RING) + RING) % RING;
    if (this.#slot[at] !== slot) {
      this.#slot[at] = slot;
      this.#high[at] = pnl;
    } else if (pnl > (this.#high[at] as number)) {
      this.#high[at] = pnl;
    }
    let peak = pnl;
    for (let i = 0; i < RING; i++) {
      const s = this.#slot[i] as number;
      if (s >= slot - SLOTS && s <= slot && (this.#high[i] as number) > peak) peak = this.#high[i] as number;
    }
    this.drawdown = peak - pnl;
  }

  /**
   * A new window length. The slots are re-cut, so the old samples are folded into one: the
   * window's peak so far, kept as if sampled now (it stays one whole new window).
   */
  resize(windowMicros: number, now: number, pnl: number): void {
    const peak = pnl + this.drawdown;
    this.#slot.fill(Number.NaN);
    this.#width = Math.max(1, windowMicros / SLOTS);
    this.update(now, peak);
    this.update(now, pnl);
  }
}
