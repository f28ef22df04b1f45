/**
 * Coinbase Advanced Trade's request limit as reported in response headers (`x-ratelimit-limit`,
 * `x-ratelimit-remaining`, `x-ratelimit-reset`; names from Coinbase's SDK constants, the unit of
 * the reset unverified). A reset above 10^9 reads as epoch seconds, anything smaller as seconds
 * from now.
 */
import type { LimitUsage } from '../limit-usage.ts';

const NUMBER = /^[0-9]{1,12}(\.[0-9]{1,6})?$/;
const EPOCH_SECONDS_FLOOR = 1e9;

function numberOf(raw: string | null): number | undefined {
  return raw !== null && NUMBER.test(raw) ? Number(raw) : undefined;
}

export function coinbaseLimitUsage(
  headers: { get(name: string): string | null },
  wallNowMs: number,
): LimitUsage | undefined {
  const limit = numberOf(headers.get('x-ratelimit-limit'));
  const remaining = numberOf(headers.get('x-ratelimit-remaining'));
  if (limit === undefined || remaining === undefined || limit === 0) return undefined;
  const reset = numberOf(headers.get('x-ratelimit-reset'));
  let resetInMs = 0;
  if (reset !== undefined) {
    resetInMs =
      reset >= EPOCH_SECONDS_FLOOR ? Math.max(0, reset * 1000 - wallNowMs) : Math.ceil(reset * 1000);
  }
  return { used: Math.max(0, limit - remaining), limit, resetInMs };
}
