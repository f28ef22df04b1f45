/**
 * Signed Bybit v5 REST: `X-BAPI-*` headers over timestamp ‖ key ‖ recvWindow ‖ payload (sign.ts),
 * where the payload is the query string sent (GET) or the exact JSON body bytes sent (POST). Each
 * request waits for its endpoint's limiter; each answer's `X-Bapi-Limit*` headers feed that
 * endpoint's governor. Bybit answers HTTP 200 with a `retCode`: anything but 0 becomes a
 * VenueRequestError carrying the outcome from errors.ts. A 10002 (timestamp outside recv_window)
 * re-measures the clock offset against `GET /v5/market/time` and retries once. No key, secret or
 * signature reaches an error message or a log line (every text passes the redactor).
 */
import { isObject } from '../../../core/venues/wire-guards.ts';
import { VenueRequestError } from '../execution-outcome.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import type { ServerClock } from '../server-clock.ts';
import type { BybitEndpointLimits } from './endpoint-limits.ts';
import { bybitOutcome } from './errors.ts';
import { bybitLimitUsage } from './rate-limits.ts';
import { BYBIT_DEFAULT_RECV_WINDOW_MS, bybitAuthHeaders } from './sign.ts';

export const BYBIT_TIME_PATH = '/v5/market/time';
const IP_LIMIT_WAIT_MS = 10 * 60_000;

/** GET parameters, or a POST body (Bybit takes booleans in bodies: `reduceOnly: true`). */
export type BybitParams = Record<string, string | number | boolean>;

export interface BybitRestOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly clock: ServerClock;
  readonly limits: BybitEndpointLimits;
  readonly redactor: SecretRedactor;
  /** Default 5000 ms (Bybit's default). */
  readonly recvWindowMs?: number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Every line goes through the redactor first. */
  readonly log?: (line: string) => void;
  /** Wall clock for the limit-reset headers (epoch ms). */
  readonly wallNowMs?: () => number;
}

export interface BybitRestCounters {
  requests: number;
  errors: number;
  resyncs: number;
}

export class BybitRest {
  readonly stats: BybitRestCounters = { requests: 0, errors: 0, resyncs: 0 };
  private readonly doFetch: typeof fetch;
  private readonly wallNowMs: () => number;

  constructor(readonly options: BybitRestOptions) {
    this.doFetch = options.fetch ?? globalThis.fetch;
    this.wallNowMs = options.wallNowMs ?? Date.now;
  }

  /** True while any endpoint's governor says the venue banned us. */
  get banned(): boolean {
    for (const [, l] of this.options.limits.all()) if (l.governor.banned) return true;
    return false;
  }

  /** Measure the server-time offset (`timeNano` when present: `timeSecond` is too coarse). */
  async syncTime(): Promise<void> {
    await this.options.clock.sync(async () => {
      const result = await this.request('GET', BYBIT_TIME_PATH, {}, false);
      const nano = isObject(result) ? result.timeNano : undefined;
      const second = isObject(result) ? result.timeSecond : undefined;
      if (typeof nano === 'string' && /^[0-9]{13,19}$/.test(nano)) return Number(nano.slice(0, -6));
      if (typeof second === 'string' && /^[0-9]{1,12}$/.test(second)) return Number(second) * 1000;
      throw new Error('time endpoint answered without timeNano/timeSecond');
    });
    this.stats.resyncs++;
  }

  /** A signed request; resolves to the answer's `result`. On 10002: resync, retry once. */
  async signed(method: 'GET' | 'POST', path: string, params: BybitParams): Promise<unknown> {
    try {
      return await this.request(method, path, params, true);
    } catch (error) {
      if (!(error instanceof VenueRequestError) || error.outcome.kind !== 'resync-clock') throw error;
      this.log(`clock outside recv_window on ${method} ${path}: resync and retry once`);
      try {
        await this.syncTime();
      } catch (syncError) {
        // No server time: the request stays refused for its clock, as the venue said.
        this.log(
          `clock resync failed: ${syncError instanceof Error ? syncError.message : String(syncError)}`,
        );
        throw error;
      }
      return this.request(method, path, params, true);
    }
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    params: BybitParams,
    signed: boolean,
  ): Promise<unknown> {
    const o = this.options;
    const limit = o.limits.forPath(path);
    await limit.limiter.acquire(1);
    const query = method === 'GET' ? queryString(params) : '';
    const body = method === 'POST' ? JSON.stringify(params) : undefined;
    const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (signed) {
      const recvWindow = o.recvWindowMs ?? BYBIT_DEFAULT_RECV_WINDOW_MS;
      const auth = bybitAuthHeaders(o.apiKey, o.apiSecret, o.clock.nowMs(), recvWindow, body ?? query);
      o.redactor.addSignature(auth['X-BAPI-SIGN']!);
      Object.assign(headers, auth);
    }
    const url = `${o.baseUrl}${path}${query ? `?${query}` : ''}`;
    this.stats.requests++;
    let res: Response;
    try {
      res = await this.doFetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
    } catch (error) {
      this.stats.errors++;
      // Network error or timeout: the venue may have the request.
      const detail = o.redactor.redact(error instanceof Error ? error.message : String(error));
      throw new VenueRequestError({ kind: 'unknown-status', code: 0, message: detail }, 0);
    }
    const usage = bybitLimitUsage(res.headers, this.wallNowMs());
    if (usage) limit.governor.observeUsage(usage, 1000);
    if (res.status === 429) limit.governor.throttled(429, undefined);
    // 403 is Bybit's IP limit ("access too frequent"): every endpoint stops for 10 minutes, and new
    // orders are refused meanwhile (the governors read as banned).
    if (res.status === 403) for (const [, l] of o.limits.all()) l.governor.throttled(418, IP_LIMIT_WAIT_MS);
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      this.stats.errors++;
      // The answer broke off after its status line: the venue had the request, its outcome is unknown.
      const detail = o.redactor.redact(error instanceof Error ? error.message : String(error));
      throw new VenueRequestError({ kind: 'unknown-status', code: 0, message: detail }, res.status);
    }
    const answer = parseBody(text);
    const retCode = isObject(answer) && typeof answer.retCode === 'number' ? answer.retCode : undefined;
    if (res.ok && retCode === 0) return isObject(answer) ? answer.result : undefined;
    this.stats.errors++;
    const retMsg = isObject(answer) && typeof answer.retMsg === 'string' ? answer.retMsg : text;
    const outcome = bybitOutcome(
      res.status,
      retCode ?? 0,
      o.redactor.redact(retMsg.slice(0, 200)),
      usage?.resetInMs,
    );
    if (retCode === 10006 && outcome.kind === 'retry') {
      // The window is spent whatever the headers said: stop this endpoint until it resets.
      const all = usage?.limit ?? 1;
      limit.governor.observeUsage({ used: all, limit: all, resetInMs: outcome.afterMs }, 1000);
    }
    this.log(`${method} ${path} refused: HTTP ${res.status} retCode ${outcome.code} ${outcome.message}`);
    throw new VenueRequestError(outcome, res.status);
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor.redact(line));
  }
}

/** `k=v&…` in insertion order, percent-encoded: the exact string that is signed and sent. */
export function queryString(params: BybitParams): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(params))
    out.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return out.join('&');
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
