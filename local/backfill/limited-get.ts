/**
 * GET a venue's public REST endpoint through a WeightedLimiter (fargate/rate-limit): each request
 * waits for its weight first. A 429/418 pauses the limiter for the venue's Retry-After and the
 * request is tried again; Binance's `X-MBX-USED-WEIGHT-1M` tells the limiter what the venue counted.
 */
import type { WeightedLimiter } from '../../fargate/rate-limit/weighted-limiter.ts';

export type LimitedGet = (url: string, weight: number, signal?: AbortSignal) => Promise<string>;

export interface LimitedGetOptions {
  readonly limiter: WeightedLimiter;
  /** Retries of one request after 429/418/5xx (default 5). */
  readonly retries?: number;
  readonly fetch?: typeof fetch;
}

export function limitedGet(options: LimitedGetOptions): LimitedGet {
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 5;
  return async (url, weight, signal) => {
    for (let attempt = 0; ; attempt++) {
      await options.limiter.acquire(weight, signal);
      const res = await doFetch(url, signal ? { signal } : {});
      const used = Number(res.headers.get('x-mbx-used-weight-1m'));
      if (Number.isFinite(used) && used > 0) options.limiter.observeUsed(used);
      const body = await res.text();
      if (res.ok) return body;
      const retryable = res.status === 429 || res.status === 418 || res.status >= 500;
      if (!retryable || attempt >= retries)
        throw new Error(`GET ${url}: HTTP ${res.status} ${body.slice(0, 200)}`);
      const after = Number(res.headers.get('retry-after'));
      options.limiter.pauseFor(Number.isFinite(after) && after > 0 ? after * 1000 : 1000 * 2 ** attempt);
    }
  };
}
