/**
 * Signed Coinbase Advanced Trade REST: a fresh ES256 JWT per request (`Authorization: Bearer`),
 * its `nbf` from the server clock and its `uri` naming this method and path; JSON bodies. Every
 * request pays one unit of the limiter first; the `x-ratelimit-*` headers go to the governor. A 401
 * may be a JWT outside the venue's nbf/exp window (errors.ts: resync-clock): the clock is
 * re-measured and the request signed and sent once more; a second 401 means the key or signature is
 * bad and halts. No key, private key or JWT in any error or log line.
 */
import { isObject } from '../../../core/venues/wire-guards.ts';
import type { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import { VenueRequestError } from '../execution-outcome.ts';
import type { RateLimitGovernor } from '../rate-limit-governor.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import type { ServerClock } from '../server-clock.ts';
import { venueHttp } from '../venue-http.ts';
import { coinbaseOutcome } from './errors.ts';
import { coinbaseLimitUsage } from './rate-limits.ts';
import type { CoinbaseSigner } from './sign.ts';

export const BROKERAGE = '/api/v3/brokerage';

export interface CoinbaseRestOptions {
  readonly baseUrl: string;
  readonly signer: CoinbaseSigner;
  readonly clock: ServerClock;
  readonly limiter: WeightedLimiter;
  readonly governor: RateLimitGovernor;
  readonly redactor: SecretRedactor;
  readonly wallNowMs?: () => number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
}

export interface CoinbaseRestCounters {
  requests: number;
  errors: number;
  resyncs: number;
}

export class CoinbaseRest {
  readonly stats: CoinbaseRestCounters = { requests: 0, errors: 0, resyncs: 0 };
  private readonly doFetch: typeof fetch;

  constructor(readonly options: CoinbaseRestOptions) {
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  /** Measure the server-time offset (`GET /time`, public). */
  async syncTime(): Promise<void> {
    await this.options.clock.sync(async () => {
      const res = await venueHttp(
        this.doFetch,
        `${this.options.baseUrl}${BROKERAGE}/time`,
        { method: 'GET', headers: {} },
        this.options.redactor,
        this.options.timeoutMs,
      );
      const ms = isObject(res.body) ? Number(res.body.epochMillis) : Number.NaN;
      if (!Number.isSafeInteger(ms)) throw new Error('Coinbase time endpoint answered without epochMillis');
      return ms;
    });
    this.stats.resyncs++;
  }

  /** A signed request to `BROKERAGE + path` (query in `query`); resolves with the parsed body. */
  async signed(
    method: 'GET' | 'POST',
    path: string,
    query: readonly (readonly [string, string])[] = [],
    body?: Record<string, unknown>,
  ): Promise<unknown> {
    try {
      return await this.send(method, path, query, body);
    } catch (error) {
      if (!(error instanceof VenueRequestError) || error.outcome.kind !== 'resync-clock') throw error;
      this.log(`Coinbase answered 401 on ${method} ${path}: resync the clock and retry once`);
      await this.syncTime();
      try {
        return await this.send(method, path, query, body);
      } catch (again) {
        if (!(again instanceof VenueRequestError) || again.outcome.kind !== 'resync-clock') throw again;
        // Still refused with a fresh clock: the key or its signature is bad.
        throw new VenueRequestError({ ...again.outcome, kind: 'halt' }, again.httpStatus);
      }
    }
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    query: readonly (readonly [string, string])[],
    body: Record<string, unknown> | undefined,
  ): Promise<unknown> {
    const o = this.options;
    await o.limiter.acquire(1);
    const fullPath = `${BROKERAGE}${path}`;
    const qs = new URLSearchParams(query as [string, string][]).toString();
    const authorization = o.signer.authorization(method, fullPath, o.clock.nowMs() / 1000);
    o.redactor.addSignature(authorization.slice('Bearer '.length));
    const text = body === undefined ? undefined : JSON.stringify(body);
    this.stats.requests++;
    const res = await venueHttp(
      this.doFetch,
      `${o.baseUrl}${fullPath}${qs ? `?${qs}` : ''}`,
      {
        method,
        headers: { Authorization: authorization, ...(text ? { 'Content-Type': 'application/json' } : {}) },
        ...(text ? { body: text } : {}),
      },
      o.redactor,
      o.timeoutMs,
    ).catch((error: unknown) => {
      this.stats.errors++;
      throw error;
    });
    const usage = coinbaseLimitUsage(res.headers, (o.wallNowMs ?? Date.now)());
    if (usage) o.governor.observeUsage(usage, 1000);
    if (res.status >= 200 && res.status < 300) return res.body;
    this.stats.errors++;
    const b = isObject(res.body) ? res.body : undefined;
    const reasons = [
      typeof b?.error === 'string' ? b.error : undefined,
      typeof b?.message === 'string' ? o.redactor.redact(b.message.slice(0, 200)) : undefined,
      b ? undefined : o.redactor.redact(res.text.slice(0, 200)),
    ];
    const outcome = coinbaseOutcome(res.status, reasons, usage?.resetInMs);
    this.log(`${method} ${path} refused: HTTP ${res.status} ${outcome.kind} ${outcome.message}`);
    throw new VenueRequestError(outcome, res.status);
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor.redact(line));
  }
}
