/**
 * Internal order rate: at most `perSecond` admitted orders (submits and amends: both are messages
 * to the venue) in any second and `perMinute` in any minute, over event time. The window slides:
 * an order admitted at t counts while now − t < the window, so the (perSecond+1)-th order inside
 * one second is refused and the limit-th passes.
 *
 * Fixed memory: a ring of the last `perMinute` admission times (perMinute ≥ perSecond); the n-th
 * most recent admission decides each window. Only admitted orders are recorded — a refused order
 * does not use up the rate.
 */
import type { RiskRefusal } from '../risk-refusal.ts';

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;

export class OrderRateWindow {
  #times: Float64Array;
  /** Where the next admission is written. */
  #head = 0;
  #count = 0;

  constructor(capacity: number) {
    this.#times = new Float64Array(Math.max(1, capacity));
  }

  /** Change the capacity, keeping the most recent admissions that still fit. */
  resize(capacity: number): void {
    const next = new Float64Array(Math.max(1, capacity));
    const keep = Math.min(this.#count, next.length);
    for (let k = keep; k >= 1; k--) next[keep - k] = this.#nthRecent(k);
    this.#times = next;
    this.#count = keep;
    this.#head = keep % next.length;
  }

  refuses(now: number, perSecond: number, perMinute: number, out: RiskRefusal): boolean {
    if (this.#count >= perSecond && now - this.#nthRecent(perSecond) < SECOND)
      return out.set('order_rate', '', Number.NaN, perSecond, 'per second');
    if (this.#count >= perMinute && now - this.#nthRecent(perMinute) < MINUTE)
      return out.set('order_rate', '', Number.NaN, perMinute, 'per minute');
    return false;
  }

  record(now: number): void {
    const times = this.#times;
    times[this.#head] = now;
    this.#head = (this.#head + 1) % times.length;
    if (this.#count < times.length) this.#count++;
  }

  /** The k-th most recent admission time (k = 1: the latest); k ≤ count. */
  #nthRecent(k: number): number {
    const n = this.#times.length;
    return this.#times[(((this.#head - k) % n) + n) % n] ?? Number.NaN;
  }
}
