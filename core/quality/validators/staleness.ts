/**
 * Stale data: nothing new for longer than the allowed age, judged at a given `now` (core has no
 * clock: `now` is the caller's, or the latest receive time the monitor has seen). Never-updated
 * (lastTs 0) is "no data yet", not stale.
 */
import type { Micros } from '../../market/events.ts';

export function isStale(lastTs: Micros, now: Micros, maxAgeUs: Micros): boolean {
  return lastTs > 0 && now - lastTs > maxAgeUs;
}
