/**
 * Exponential backoff with jitter: attempt n waits base·multiplier^n, capped at maxMs, plus a random
 * 0–jitter share of that (0–50 % with jitter 0.5), so a fleet of clients that lost the same server
 * does not come back in lock-step. Defaults (config/venues.json): 100 ms → 30 s, ×2, 0–50 %.
 * The cap applies before the jitter: the longest wait is maxMs·(1 + jitter).
 */
import type { Random } from '../../core/sim/random.ts';

export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
  readonly jitter: number;
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: Random,
  ) {}

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The un-jittered delay of attempt `n` (0-based). */
  baseDelay(n: number): number {
    const p = this.policy;
    return Math.min(p.maxMs, p.initialMs * p.multiplier ** n);
  }

  /** The delay before the next attempt; advances the attempt count. */
  next(): number {
    const base = this.baseDelay(this.attempt);
    this.attempt++;
    return Math.round(base * (1 + this.policy.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
