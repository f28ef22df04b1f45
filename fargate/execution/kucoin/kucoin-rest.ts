/**
 * Signed KuCoin REST (API key version 2): the five `KC-API-*` headers over timestamp ‖ METHOD ‖
 * endpoint (with its query string) ‖ the exact JSON body; the timestamp from the server clock. Every
 * request pays one unit of the resource pool first; every answer's `gw-ratelimit-*` headers go to
 * the governor. An answer whose `code` is not "200000" becomes a VenueRequestError with the outcome
 * of errors.ts; 400002 (timestamp outside 5 s) re-measures the clock and is sent once more. No key,
 * secret, passphrase or signature in any error or log line.
 */
import { isObject } from '../../../core/venues/wire-guards.ts';
import type { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import { VenueRequestError } from '../execution-outcome.ts';
import type { RateLimitGovernor } from '../rate-limit-governor.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import type { ServerClock } from '../server-clock.ts';
import { venueHttp } from '../venue-http.ts';
import { kucoinCode, kucoinOutcome } from './errors.ts';
import { KUCOIN_POOL_WINDOW_MS, kucoinLimitUsage } from './rate-limits.ts';
import type { HttpMethod, KucoinSigner } from './sign.ts';

export interface KucoinRestOptions {
  readonly baseUrl: string;
  readonly signer: KucoinSigner;
  readonly clock: ServerClock;
  readonly limiter: WeightedLimiter;
  readonly governor: RateLimitGovernor;
  readonly redactor: SecretRedactor;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
}

export interface KucoinRestCounters {
  requests: number;
  errors: number;
  resyncs: number;
}

const OK = '200000';

export class KucoinRest {
  readonly stats: KucoinRestCounters = { requests: 0, errors: 0, resyncs: 0 };
  private readonly doFetch: typeof fetch;

  constructor(readonly options: KucoinRestOptions) {
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  /** Measure the server-time offset (`GET /api/v1/timestamp`, public). */
  async syncTime(): Promise<void> {
    await this.options.clock.sync(async () => {
      const res = await venueHttp(
        this.doFetch,
        `${this.options.baseUrl}/api/v1/timestamp`,
        { method: 'GET', headers: {} },
        this.options.redactor,
        this.options.timeoutMs,
      );
      const data = isObject(res.body) ? res.body.data : undefined;
      if (typeof data !== 'number') throw new Error('KuCoin timestamp endpoint answered without data');
      return data;
    });
    this.stats.resyncs++;
  }

  /**
   * A signed request; resolves with `data`. `query` is appended to the path (and signed with it);
   * `body` is sent as JSON.
   */
  async signed(
    method: HttpMethod,
    path: string,
    query: Record<string, string> = {},
    body?: Record<string, unknown>,
  ): Promise<unknown> {
    try {
      return await this.send(method, path, query, body);
    } catch (error) {
      if (!(error instanceof VenueRequestError) || error.outcome.kind !== 'resync-clock') throw error;
      this.log(`clock outside KuCoin's 5 s window on ${method} ${path}: resync and retry once`);
      await this.syncTime();
      return this.send(method, path, query, body);
    }
  }

  private async send(
    method: HttpMethod,
    path: string,
    query: Record<string, string>,
    body: Record<string, unknown> | undefined,
  ): Promise<unknown> {
    const o = this.options;
    await o.limiter.acquire(1);
    const qs = new URLSearchParams(query).toString();
    const endpoint = qs ? `${path}?${qs}` : path;
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = o.signer.headers(o.clock.nowMs(), method, endpoint, text);
    o.redactor.addSignature(headers['KC-API-SIGN']!);
    o.redactor.addSecret(headers['KC-API-PASSPHRASE']);
    this.stats.requests++;
    const res = await venueHttp(
      this.doFetch,
      `${o.baseUrl}${endpoint}`,
      { method, headers, ...(text ? { body: text } : {}) },
      o.redactor,
      o.timeoutMs,
    ).catch((error: unknown) => {
      this.stats.errors++;
      throw error;
    });
    const usage = kucoinLimitUsage(res.headers);
    if (usage) o.governor.observeUsage(usage, KUCOIN_POOL_WINDOW_MS);
    const answer = isObject(res.body) ? res.body : undefined;
    if (res.status === 200 && answer?.code === OK) return answer.data;
    this.stats.errors++;
    const msg = o.redactor.redact((typeof answer?.msg === 'string' ? answer.msg : res.text).slice(0, 200));
    const outcome = kucoinOutcome(res.status, kucoinCode(answer?.code), msg, usage?.resetInMs);
    this.log(`${method} ${path} refused: HTTP ${res.status} code ${outcome.code} ${outcome.message}`);
    throw new VenueRequestError(outcome, res.status);
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor.redact(line));
  }
}
