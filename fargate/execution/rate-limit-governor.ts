/**
 * Feeds the venue's own usage counters (response headers) into the weighted limiter, so we spend the
 * budget the venue says is left rather than what we think we spent:
 * - below 80 % of a limit: nothing;
 * - past 80 %: slow down — pause for a share of the window proportional to how far past 80 % we are;
 * - at or past the limit: stop until the window turns (requests queue in the limiter, FIFO);
 * - 429: pause for Retry-After (at least one second); 418 (IP banned): pause and mark `banned`.
 * Venues that report usage another way hand it over as a LimitUsage (`observeUsage`).
 */
import type { WeightedLimiter } from '../rate-limit/weighted-limiter.ts';
import type { LimitUsage } from './limit-usage.ts';

export interface HeaderLimit {
  /** Response header, lower case (`x-mbx-used-weight-1m`). */
  readonly header: string;
  readonly limit: number;
  /** Window length, ms (the header's own unit: 1M = 60 000). */
  readonly windowMs: number;
}

export interface GovernorStats {
  slowdowns: number;
  fullStops: number;
  throttled: number;
  bans: number;
}

export const SLOW_DOWN_AT = 0.8;

export class RateLimitGovernor {
  readonly stats: GovernorStats = { slowdowns: 0, fullStops: 0, throttled: 0, bans: 0 };
  /** The venue banned our IP (418) until this wall time (ms); new orders must halt until then. */
  bannedUntilMs = 0;
  /** Highest usage ratio seen in the last response. */
  lastUsage = 0;

  constructor(
    private readonly limiter: WeightedLimiter,
    private readonly limits: readonly HeaderLimit[],
    private readonly wallNowMs: () => number = Date.now,
  ) {}

  /** Read one response's status and headers (the configured usage headers, 429/418, Retry-After). */
  observe(status: number, headers: { get(name: string): string | null }): void {
    let usage = 0;
    for (const l of this.limits) {
      const used = Number(headers.get(l.header));
      if (!Number.isFinite(used) || used <= 0) continue;
      const resetInMs = l.windowMs - (this.wallNowMs() % l.windowMs);
      usage = Math.max(usage, this.observeUsage({ used, limit: l.limit, resetInMs }, l.windowMs));
    }
    this.lastUsage = usage;
    if (status === 429 || status === 418) this.throttled(status, retryAfterMs(headers.get('retry-after')));
  }

  /**
   * One window's usage as the venue reported it (any venue: see limit-usage.ts). Past 80 %: pause
   * for a share of the window proportional to how far past; at the limit: until the window resets.
   * Returns the usage ratio.
   */
  observeUsage(u: LimitUsage, windowMs = 60_000): number {
    const ratio = u.used / u.limit;
    if (ratio >= 1) {
      this.stats.fullStops++;
      this.limiter.pauseFor(u.resetInMs > 0 ? u.resetInMs : windowMs);
    } else if (ratio >= SLOW_DOWN_AT) {
      this.stats.slowdowns++;
      this.limiter.pauseFor(Math.ceil(((ratio - SLOW_DOWN_AT) / (1 - SLOW_DOWN_AT)) * (windowMs / 100)));
    }
    return ratio;
  }

  /** 429 (limit broken) or 418 (IP banned): pause for Retry-After, at least one second. */
  throttled(status: 429 | 418, retryAfter: number | undefined): void {
    const pauseMs = Math.max(retryAfter ?? 1000, 1000);
    this.stats.throttled++;
    if (status === 418) {
      this.stats.bans++;
      this.bannedUntilMs = this.wallNowMs() + pauseMs;
    }
    this.limiter.pauseFor(pauseMs);
  }

  get banned(): boolean {
    return this.wallNowMs() < this.bannedUntilMs;
  }
}

/** Retry-After in seconds (what Binance sends) or an HTTP date. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
