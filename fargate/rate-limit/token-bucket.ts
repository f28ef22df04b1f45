/**
 * A weight-aware token bucket sized so that the venue's published limit holds over ANY window, not
 * just on average: the bucket holds `burstFraction` of the limit and refills the rest evenly over the
 * window, so the most weight that can be spent in any windowMs is
 *   capacity + refill·windowMs = limit·burst + limit·(1 − burst) = limit.
 * (A bucket of the full limit refilled at limit/window would allow twice the limit across a
 * fixed-window boundary, which is how Binance counts.)
 *
 * The guarantee needs every request to weigh at most the bucket's capacity. A heavier request
 * still runs — when the bucket is full — and leaves the bucket in debt (negative) for the rest:
 * the window that holds it may then exceed the limit by (weight − capacity). Size burstFraction so
 * that capacity covers the venue's heaviest request (see WeightedLimiter.oversized).
 */

export interface RateLimitPolicy {
  /** Weight allowed in any window of windowMs. */
  readonly limit: number;
  readonly windowMs: number;
  /** Share of the limit that may be spent at once (0 < b ≤ 1). */
  readonly burstFraction: number;
}

export class TokenBucket {
  readonly capacity: number;
  /** Tokens added per millisecond. */
  readonly refillPerMs: number;
  private tokens: number;
  private last: number;

  constructor(policy: RateLimitPolicy, nowMs: number) {
    this.capacity = policy.limit * policy.burstFraction;
    this.refillPerMs = (policy.limit * (1 - policy.burstFraction)) / policy.windowMs;
    this.tokens = this.capacity;
    this.last = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (nowMs - this.last) * this.refillPerMs);
      this.last = nowMs;
    }
  }

  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  /** Tokens that must be present before `weight` may be taken (a full bucket for oversized requests). */
  private needed(weight: number): number {
    return Math.min(weight, this.capacity);
  }

  /** Take `weight` if available now (an oversized request leaves the bucket in debt). */
  tryTake(weight: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens + 1e-9 < this.needed(weight)) return false;
    this.tokens -= weight;
    return true;
  }

  /** Milliseconds until `weight` is available (0 when it is now; Infinity when the bucket never refills). */
  msUntil(weight: number, nowMs: number): number {
    this.refill(nowMs);
    const missing = this.needed(weight) - this.tokens;
    if (missing <= 1e-9) return 0;
    return this.refillPerMs > 0 ? Math.ceil(missing / this.refillPerMs) : Number.POSITIVE_INFINITY;
  }

  /** Empty the bucket (the venue says we are close to its limit). */
  drain(nowMs: number): void {
    this.refill(nowMs);
    this.tokens = Math.min(this.tokens, 0);
  }
}
