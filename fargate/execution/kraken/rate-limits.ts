/**
 * Kraken reports no limit headers on REST: its limits are decaying counters that we model, plus the
 * trading counter it streams on WS v2 (`executions` with `ratecounter: true`).
 *
 * - REST call counter, per key: every call but AddOrder/CancelOrder adds 1 (ledger and trade-history
 *   queries 2); it decays continuously; past the tier's maximum → `EAPI:Rate limit exceeded`.
 * - Trading counter, per pair, shared by REST/WS/FIX: add order +1; cancel and amend add a penalty
 *   that shrinks with the order's age; past the threshold → `EOrder:Rate limit exceeded`.
 *
 * A decaying counter of maximum M and decay d per second is exactly a TokenBucket of capacity M
 * refilled at d/s. With the bucket's parameters (capacity = limit·burst, refill =
 * limit·(1 − burst)/window) and a 60 s window: limit = M + 60·d, burst = M / limit.
 */
import type { RateLimitPolicy } from '../../rate-limit/token-bucket.ts';
import type { LimitUsage } from '../limit-usage.ts';

export type KrakenTier = 'starter' | 'intermediate' | 'pro';

export interface DecayingCounter {
  readonly max: number;
  /** Counter decrease per second. */
  readonly decayPerSecond: number;
}

export const KRAKEN_CALL_COUNTER: Record<KrakenTier, DecayingCounter> = {
  starter: { max: 15, decayPerSecond: 0.33 },
  intermediate: { max: 20, decayPerSecond: 0.5 },
  pro: { max: 20, decayPerSecond: 1 },
};

export const KRAKEN_TRADING_COUNTER: Record<KrakenTier, DecayingCounter> = {
  starter: { max: 60, decayPerSecond: 1 },
  intermediate: { max: 125, decayPerSecond: 2.34 },
  pro: { max: 180, decayPerSecond: 3.75 },
};

const POLICY_WINDOW_MS = 60_000;

/** The limiter policy whose bucket behaves as the counter. */
export function decayingCounterPolicy(counter: DecayingCounter): RateLimitPolicy {
  const limit = counter.max + (counter.decayPerSecond * POLICY_WINDOW_MS) / 1000;
  return { limit, windowMs: POLICY_WINDOW_MS, burstFraction: counter.max / limit };
}

/**
 * Trading-counter penalty of a cancel by the order's age (ms). Points documented: +8 under 5 s, +1
 * under 300 s, nothing after; the steps between follow Kraken's trading rate-limit page as
 * docs/execution.md records it (unverified there).
 */
export function krakenCancelPenalty(orderAgeMs: number): number {
  if (orderAgeMs < 5_000) return 8;
  if (orderAgeMs < 10_000) return 6;
  if (orderAgeMs < 15_000) return 5;
  if (orderAgeMs < 45_000) return 4;
  if (orderAgeMs < 90_000) return 2;
  if (orderAgeMs < 300_000) return 1;
  return 0;
}

/** Trading-counter cost of an amend by the order's age: +3 under 5 s (documented), lighter later (unverified). */
export function krakenAmendPenalty(orderAgeMs: number): number {
  if (orderAgeMs < 5_000) return 3;
  if (orderAgeMs < 10_000) return 2;
  if (orderAgeMs < 15_000) return 1;
  return 0;
}

/**
 * The trading counter Kraken streamed (`ratecounter` of an executions update) against the pair's
 * threshold (`maxratecount` of the subscribe ack, or the tier's); `resetInMs` = time for the counter
 * to decay to zero.
 */
export function krakenTradingUsage(
  rateCount: unknown,
  counter: DecayingCounter,
  maxRateCount?: unknown,
): LimitUsage | undefined {
  if (typeof rateCount !== 'number' || !Number.isFinite(rateCount) || rateCount < 0) return undefined;
  const limit =
    typeof maxRateCount === 'number' && Number.isFinite(maxRateCount) && maxRateCount > 0
      ? maxRateCount
      : counter.max;
  return { used: rateCount, limit, resetInMs: Math.ceil((rateCount / counter.decayPerSecond) * 1000) };
}
