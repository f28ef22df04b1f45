/**
 * Bybit's per-UID, per-endpoint request limit on the simulator: a fixed one-second window per
 * (account, path), reported on every signed answer as `X-Bapi-Limit` (allowed per window),
 * `X-Bapi-Limit-Status` (left) and `X-Bapi-Limit-Reset-Timestamp` (epoch ms of the reset); past the
 * limit the request is refused with retCode 10006 "Too many visits!". Limits per path follow
 * docs/execution.md (linear's where linear and spot differ) and can be changed at run time.
 */
import { BybitRefusal, TOO_MANY_VISITS } from './bybit-refusals.ts';

const DEFAULT_LIMITS: Record<string, number> = {
  '/v5/order/create': 10,
  '/v5/order/amend': 10,
  '/v5/order/cancel': 10,
  '/v5/order/cancel-all': 10,
  '/v5/order/disconnected-cancel-all': 5,
  '/v5/account/query-dcp-info': 5,
};
const QUERY_LIMIT = 50;

export class BybitRequestLimits {
  /** Requests per second per path; tests lower them. */
  readonly perSecond: Record<string, number> = { ...DEFAULT_LIMITS };
  throttled = 0;
  private readonly windows = new Map<string, { second: number; used: number }>();

  /** Count one request; the limit headers to send, or a 10006 refusal carrying them. */
  spend(apiKey: string, path: string, nowMs: number): Record<string, string> {
    const limit = this.perSecond[path] ?? QUERY_LIMIT;
    const key = `${apiKey} ${path}`;
    const second = Math.floor(nowMs / 1000);
    let w = this.windows.get(key);
    if (!w || w.second !== second) {
      w = { second, used: 0 };
      this.windows.set(key, w);
    }
    w.used++;
    const headers = {
      'X-Bapi-Limit': String(limit),
      'X-Bapi-Limit-Status': String(Math.max(0, limit - w.used)),
      'X-Bapi-Limit-Reset-Timestamp': String((second + 1) * 1000),
    };
    if (w.used > limit) {
      this.throttled++;
      throw new BybitRefusal(10006, TOO_MANY_VISITS, headers);
    }
    return headers;
  }
}
