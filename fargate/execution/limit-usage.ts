/**
 * How much of a rate-limit window the venue says we have used, in the venue's own units (requests
 * or weight), read from whatever the venue reports it in (response headers, WS reply fields). The
 * weighted limiter of that window takes `used` (WeightedLimiter.observeUsed, against a policy whose
 * limit is `limit`) and, when nothing is left, a pause until the window turns (pauseFor(resetInMs)).
 */
export interface LimitUsage {
  readonly used: number;
  readonly limit: number;
  /** Milliseconds until the window resets (0 when the venue did not say). */
  readonly resetInMs: number;
}
