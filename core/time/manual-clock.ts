/**
 * A Clock driven by its caller: time moves only on advance(), and due timers run in time order
 * (ties in the order they were set). Time is kept in integer µs so microsecond steps stay exact.
 */
import type { Micros } from '../market/events.ts';
import type { CancelTimer, Clock } from './clock.ts';

interface Pending {
  atUs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private us: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.us = Math.round(startMs * 1000);
  }

  nowMs(): number {
    return this.us / 1000;
  }

  nowMicros(): Micros {
    return this.us;
  }

  setTimer(ms: number, fn: () => void): CancelTimer {
    const p: Pending = {
      atUs: this.us + Math.round(Math.max(0, ms) * 1000),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.timers.push(p);
    return () => {
      p.cancelled = true;
    };
  }

  /** Move time forward by `ms`, running every timer that falls due (in order). */
  advance(ms: number): void {
    this.advanceMicros(Math.round(ms * 1000));
  }

  /** Move time forward by `us` microseconds, running every timer that falls due (in order). */
  advanceMicros(us: number): void {
    const end = this.us + us;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      this.timers.sort((a, b) => a.atUs - b.atUs || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.atUs > end) break;
      this.timers.shift();
      this.us = Math.max(this.us, next.atUs);
      next.fn();
    }
    this.us = end;
  }

  /** Set the time to `us` (µs since the epoch), running the timers due by then; it may step back. */
  setMicros(us: number): void {
    if (us >= this.us) this.advanceMicros(us - this.us);
    else this.us = us;
  }

  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
