/**
 * The system clock: the one Clock (core/time/clock.ts) on real time, for the processes. Receive
 * timestamps are integer µs since the epoch, the unit of every event.
 */
import type { Micros } from '../../core/market/events.ts';
import type { Clock } from '../../core/time/clock.ts';

export type { CancelTimer, Clock } from '../../core/time/clock.ts';

/**
 * The real clock. Receive times come from the monotonic high-resolution timer anchored to the wall
 * clock (Date.now() has only millisecond resolution); the anchor is re-read every minute so a long
 * process follows NTP corrections, and it never steps a timestamp backwards.
 */
export function systemClock(): Clock {
  const REANCHOR_MS = 60_000;
  let anchorUs = Date.now() * 1000 - performance.now() * 1000;
  let anchoredAt = performance.now();
  let last = 0;
  return {
    nowMicros(): Micros {
      const now = performance.now();
      if (now - anchoredAt > REANCHOR_MS) {
        anchorUs = Date.now() * 1000 - now * 1000;
        anchoredAt = now;
      }
      const us = Math.round(anchorUs + now * 1000);
      last = Math.max(us, last);
      return last;
    },
    nowMs: () => performance.now(),
    setTimer(ms, fn) {
      const t = setTimeout(fn, Math.max(0, ms));
      return () => clearTimeout(t);
    },
  };
}
