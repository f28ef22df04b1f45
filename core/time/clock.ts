/**
 * The one clock type. Code that needs the time or a timer takes a Clock, so a test (or a replay)
 * drives it with `ManualClock` and a process runs on `systemClock()` (fargate/connectors/clock.ts).
 * Core code only ever receives a Clock; it never builds the system one.
 */
import type { Micros } from '../market/events.ts';

/** Cancels a timer; calling it twice is harmless. */
export type CancelTimer = () => void;

export interface Clock {
  /** Wall-clock time, integer µs since the Unix epoch: the receive timestamp of a frame. */
  nowMicros(): Micros;
  /** A monotonic millisecond count for durations, limiters and timers. */
  nowMs(): number;
  /** Run `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): CancelTimer;
}
