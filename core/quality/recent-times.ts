/**
 * The times of an issue's most recent occurrences, for counting them over a sliding window. A ring of
 * fixed capacity: recording never allocates, and memory does not grow with the stream. Counts
 * saturate at the capacity, which the monitor sizes so that a saturated count already drives the
 * score to 0 (see quality-score.ts) — more occurrences could not lower it further.
 */
import type { Micros } from '../market/events.ts';

export class RecentTimes {
  private readonly times: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(Math.max(1, Math.floor(capacity)));
  }

  get capacity(): number {
    return this.times.length;
  }

  record(ts: Micros): void {
    this.times[this.next] = ts;
    this.next = this.next + 1 === this.times.length ? 0 : this.next + 1;
    if (this.filled < this.times.length) this.filled++;
  }

  /** Occurrences with from < ts ≤ to. */
  countBetween(from: Micros, to: Micros): number {
    let n = 0;
    const t = this.times;
    for (let i = 0; i < this.filled; i++) {
      const ts = t[i]!;
      if (ts > from && ts <= to) n++;
    }
    return n;
  }
}
