/**
 * Bybit's per-UID, per-endpoint request limit as the venue reports it on every REST response
 * (`X-Bapi-Limit` = requests allowed per window, `X-Bapi-Limit-Status` = requests left,
 * `X-Bapi-Limit-Reset-Timestamp` = epoch ms when the window resets) and in the `header` object of
 * trade-WebSocket replies (same names, any case). One window per endpoint (one second), so each
 * endpoint group has its own limiter.
 */
import type { LimitUsage } from '../limit-usage.ts';

const COUNT = /^[0-9]{1,9}$/;
const EPOCH_MS = /^[0-9]{1,15}$/;

function count(raw: string | null | undefined): number | undefined {
  return raw != null && COUNT.test(raw) ? Number(raw) : undefined;
}

/** From REST response headers; undefined when the response carries no limit headers. */
export function bybitLimitUsage(
  headers: { get(name: string): string | null },
  wallNowMs: number,
): LimitUsage | undefined {
  return bybitUsageFrom(
    headers.get('x-bapi-limit'),
    headers.get('x-bapi-limit-status'),
    headers.get('x-bapi-limit-reset-timestamp'),
    wallNowMs,
  );
}

/** From the `header` object of a trade-WebSocket reply (`{"X-Bapi-Limit":"10",…}`). */
export function bybitWsLimitUsage(header: unknown, wallNowMs: number): LimitUsage | undefined {
  if (typeof header !== 'object' || header === null) return undefined;
  const h = header as Record<string, unknown>;
  const field = (name: string): string | undefined => {
    for (const key of [name, name.toLowerCase()]) {
      const v = h[key];
      if (typeof v === 'string') return v;
    }
    return undefined;
  };
  return bybitUsageFrom(
    field('X-Bapi-Limit'),
    field('X-Bapi-Limit-Status'),
    field('X-Bapi-Limit-Reset-Timestamp'),
    wallNowMs,
  );
}

function bybitUsageFrom(
  limitRaw: string | null | undefined,
  remainingRaw: string | null | undefined,
  resetRaw: string | null | undefined,
  wallNowMs: number,
): LimitUsage | undefined {
  const limit = count(limitRaw);
  const remaining = count(remainingRaw);
  if (limit === undefined || remaining === undefined || limit === 0) return undefined;
  const resetAt = resetRaw != null && EPOCH_MS.test(resetRaw) ? Number(resetRaw) : undefined;
  return {
    used: Math.max(0, limit - remaining),
    limit,
    resetInMs: resetAt === undefined ? 0 : Math.max(0, resetAt - wallNowMs),
  };
}
