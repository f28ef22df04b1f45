/**
 * KuCoin's resource pool (per UID, a 30 s window that starts at the first request) as the venue
 * reports it: REST headers `gw-ratelimit-limit`, `gw-ratelimit-remaining`, `gw-ratelimit-reset`
 * (ms until the window resets), and the `rateLimit{limit,remaining,reset}` object of order-entry
 * WebSocket replies. Weights differ per endpoint; the pool is what the limiter of the whole venue
 * spends.
 */
import type { LimitUsage } from '../limit-usage.ts';

export const KUCOIN_POOL_WINDOW_MS = 30_000;
const COUNT = /^[0-9]{1,9}$/;

function countOf(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  return typeof raw === 'string' && COUNT.test(raw) ? Number(raw) : undefined;
}

function usage(limitRaw: unknown, remainingRaw: unknown, resetRaw: unknown): LimitUsage | undefined {
  const limit = countOf(limitRaw);
  const remaining = countOf(remainingRaw);
  if (limit === undefined || remaining === undefined || limit === 0) return undefined;
  return { used: Math.max(0, limit - remaining), limit, resetInMs: countOf(resetRaw) ?? 0 };
}

export function kucoinLimitUsage(headers: { get(name: string): string | null }): LimitUsage | undefined {
  return usage(
    headers.get('gw-ratelimit-limit'),
    headers.get('gw-ratelimit-remaining'),
    headers.get('gw-ratelimit-reset'),
  );
}

/** From the `rateLimit` field of an order-entry WebSocket reply. */
export function kucoinWsLimitUsage(rateLimit: unknown): LimitUsage | undefined {
  if (typeof rateLimit !== 'object' || rateLimit === null) return undefined;
  const r = rateLimit as Record<string, unknown>;
  return usage(r.limit, r.remaining, r.reset);
}
