/**
 * REST requests to one venue (snapshots, KuCoin's connect token) through the venue's weight budget,
 * with retries that never hammer: every attempt — retries included — pays its weight to the limiter;
 * HTTP 429/418 pause the whole venue for Retry-After (at least the backoff); 5xx, timeouts and
 * network errors back off exponentially with jitter; other 4xx back off too (a wrong symbol keeps
 * failing, but at most every maxMs, and raises an alert). Callers stop the retries with their
 * AbortSignal (the connection the request was for is gone).
 */
import type { Micros } from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Random } from '../../core/sim/random.ts';
import type { WeightedLimiter } from '../rate-limit/weighted-limiter.ts';
import { Backoff, type BackoffPolicy } from './backoff.ts';
import type { Clock } from './clock.ts';
import { redactUrl } from './redact.ts';

export interface RestResponse {
  readonly url: string;
  readonly body: string;
  /** When the whole body had arrived (µs). */
  readonly receivedAt: Micros;
}

export interface RestClientOptions {
  exchange: ExchangeId;
  baseUrl: string;
  limiter: WeightedLimiter;
  clock: Clock;
  random: Random;
  retry: BackoffPolicy & { readonly alertAfterFailures: number };
  timeoutMs: number;
  /** Header in which the venue reports the weight used so far (lower-case). */
  usedWeightHeader?: string;
  /** Replaceable for tests; node's global fetch by default. */
  fetch?: typeof fetch;
  /** Told about every failed attempt (for logs/alerts). `failures` counts consecutive ones. */
  onFailure?: (url: string, detail: string, failures: number) => void;
}

export interface RestStats {
  requests: number;
  ok: number;
  failures: number;
  throttled: number;
}

export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export class RestClient {
  readonly stats: RestStats = { requests: 0, ok: 0, failures: 0, throttled: 0 };
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: RestClientOptions) {
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  get(path: string, weight: number, signal: AbortSignal): Promise<RestResponse> {
    return this.request('GET', path, weight, signal);
  }

  post(path: string, weight: number, signal: AbortSignal): Promise<RestResponse> {
    return this.request('POST', path, weight, signal);
  }

  /** Retries until it succeeds or `signal` aborts (then rejects with the abort reason). */
  async request(
    method: 'GET' | 'POST',
    path: string,
    weight: number,
    signal: AbortSignal,
  ): Promise<RestResponse> {
    const o = this.options;
    const url = o.baseUrl + path;
    const backoff = new Backoff(o.retry, o.random);
    for (;;) {
      await o.limiter.acquire(weight, signal);
      this.stats.requests++;
      try {
        const res = await this.once(method, url, signal);
        this.stats.ok++;
        return res;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        this.stats.failures++;
        let delay = backoff.next();
        let detail = error instanceof Error ? error.message : String(error);
        if (error instanceof HttpStatusError && (error.status === 429 || error.status === 418)) {
          // The venue is counting us over its limit: the whole venue waits, not just this request.
          this.stats.throttled++;
          delay = Math.max(delay, error.retryAfterMs ?? 0);
          o.limiter.pauseFor(delay);
          detail = `${detail}, paused ${delay} ms`;
        }
        o.onFailure?.(redactUrl(url), detail, backoff.attempts);
        await this.sleep(delay, signal);
      }
    }
  }

  private async once(method: string, url: string, signal: AbortSignal): Promise<RestResponse> {
    const o = this.options;
    const timeout = AbortSignal.timeout(o.timeoutMs);
    const res = await this.doFetch(url, {
      method,
      signal: AbortSignal.any([signal, timeout]),
      headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    if (o.usedWeightHeader) {
      const used = Number(res.headers.get(o.usedWeightHeader));
      if (Number.isFinite(used) && used > 0) o.limiter.observeUsed(used);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new HttpStatusError(res.status, retryAfterMs(res.headers.get('retry-after')));
    }
    const body = await res.text();
    return { url: redactUrl(url), body, receivedAt: o.clock.nowMicros() };
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const cancel = this.options.clock.setTimer(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = (): void => {
        cancel();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
