/**
 * The loss since the UTC day began, from event-time PnL samples (realized + unrealized, counted
 * from the session's start, where PnL is 0). The day opens at the last PnL seen before midnight;
 * the session's first day opens at 0. A restart mid-day starts from 0 again unless the kernel
 * feeds the day's opening PnL first.
 */
const DAY = 86_400_000_000;

export class DailyLoss {
  #day = Number.NaN;
  #dayOpen = 0;
  #last = 0;
  /** Day's opening PnL minus the latest PnL (positive: a loss). */
  loss = 0;

  update(now: number, pnl: number): void {
    const day = Math.floor(now / DAY);
    if (day !== this.#day) {
      if (!Number.isNaN(this.#day)) this.#dayOpen = this.#last;
      this.#day = day;
    }
    this.#last = pnl;
    this.loss = this.#dayOpen - pnl;
  }
}
