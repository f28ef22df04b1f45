/**
 * Bybit limits requests per UID per endpoint per second (docs/execution.md, Bybit), so every signed
 * path gets its own limiter and governor; the governor is fed the venue's own count from each
 * answer's `X-Bapi-Limit*` headers (rate-limits.ts), which also corrects our guess of the limit
 * (spot create allows 20/s where we assume linear's 10). Unlisted paths share the query limit.
 */
import type { Clock } from '../../connectors/clock.ts';
import { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import { RateLimitGovernor } from '../rate-limit-governor.ts';

const WINDOW_MS = 1000;
const QUERY_LIMIT = 50;

/** Requests per second per path, the lower of linear and spot where they differ. */
export const BYBIT_PATH_LIMITS: Readonly<Record<string, number>> = {
  '/v5/order/create': 10,
  '/v5/order/amend': 10,
  '/v5/order/cancel': 10,
  '/v5/order/cancel-all': 10,
  '/v5/order/realtime': 50,
  '/v5/order/history': 50,
  '/v5/execution/list': 50,
  '/v5/position/list': 50,
  '/v5/account/wallet-balance': 50,
  '/v5/order/disconnected-cancel-all': 5,
  '/v5/account/query-dcp-info': 5,
};

export interface EndpointLimit {
  readonly limiter: WeightedLimiter;
  readonly governor: RateLimitGovernor;
}

export class BybitEndpointLimits {
  private readonly byPath = new Map<string, EndpointLimit>();

  constructor(
    private readonly clock: Pick<Clock, 'nowMs' | 'setTimer'>,
    private readonly wallNowMs: () => number = Date.now,
    /** Requests per second by path where an account's limits differ from BYBIT_PATH_LIMITS. */
    private readonly overrides: Readonly<Record<string, number>> = {},
  ) {}

  forPath(path: string): EndpointLimit {
    let l = this.byPath.get(path);
    if (!l) {
      const limit = this.overrides[path] ?? BYBIT_PATH_LIMITS[path] ?? QUERY_LIMIT;
      // Half the limit at once, the rest refilled over the second: any one-second window (Bybit
      // counts fixed ones) stays within the limit, and the bucket keeps refilling.
      const limiter = new WeightedLimiter({ limit, windowMs: WINDOW_MS, burstFraction: 0.5 }, this.clock);
      l = { limiter, governor: new RateLimitGovernor(limiter, [], this.wallNowMs) };
      this.byPath.set(path, l);
    }
    return l;
  }

  /** Every path used so far (stats and shutdown). */
  all(): IterableIterator<[string, EndpointLimit]> {
    return this.byPath.entries();
  }

  /** Fails every queued request (on close). */
  clear(reason: unknown): void {
    for (const l of this.byPath.values()) l.limiter.clear(reason);
  }
}
