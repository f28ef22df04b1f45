/**
 * A clock that must not run backwards: exchange timestamps of one stream, or local receive times.
 * Keep one per stream (a venue's trade times and depth times are separate clocks, and a feed replays
 * buffered diffs after a snapshot with their original times), and reset it where time legitimately
 * restarts (a snapshot).
 *
 * After a backwards step the clock follows the new value, so one bad timestamp is reported once, not
 * on every message until time catches up again. A time of 0 (or less) means "the venue sent none" and
 * is ignored.
 */
import type { Micros } from '../../market/events.ts';

export class MonotonicClock {
  private last: Micros = 0;
  readonly toleranceUs: Micros;

  constructor(toleranceUs: Micros = 0) {
    this.toleranceUs = toleranceUs;
  }

  /** Feed the next time; true when it steps back by more than the tolerance. */
  wentBackwards(ts: Micros): boolean {
    if (!(ts > 0)) return false;
    const back = this.last > 0 && ts < this.last - this.toleranceUs;
    this.last = ts;
    return back;
  }

  get latest(): Micros {
    return this.last;
  }

  reset(): void {
    this.last = 0;
  }
}
