/** A Clock driven by the test: time moves only on advance(), due timers run in time order. */
import type { CancelTimer, Clock } from '../../../fargate/connectors/clock.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private ms: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.ms = startMs;
  }

  nowMs(): number {
    return this.ms;
  }

  nowMicros(): number {
    return Math.round(this.ms * 1000);
  }

  setTimer(ms: number, fn: () => void): CancelTimer {
    const p: Pending = { at: this.ms + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(p);
    return () => {
      p.cancelled = true;
    };
  }

  /** Move time forward by `ms`, running every timer that falls due (in order). */
  advance(ms: number): void {
    const end = this.ms + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.ms = Math.max(this.ms, next.at);
      next.fn();
    }
    this.ms = end;
  }

  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
