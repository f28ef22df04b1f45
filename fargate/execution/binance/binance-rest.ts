/**
 * Signed REST requests to Binance spot or USD-M: `timestamp` from the server clock, `recvWindow`,
 * the signature over the exact query string sent, the key in `X-MBX-APIKEY`. Every request pays its
 * weight to the limiter first; every response's usage headers go to the rate-limit governor. A
 * -1021 (timestamp outside recvWindow) re-measures the clock offset and retries once. Errors carry
 * a typed outcome and a redacted message: no key, secret or signature in any error or log line.
 *
 * All parameters travel in the query string, for every method (Binance accepts that), so the
 * signed payload is the query string alone.
 */

import { isObject } from '../../../core/venues/wire-guards.ts';
import type { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import { type ExecutionOutcome, VenueRequestError } from '../execution-outcome.ts';
import type { RateLimitGovernor } from '../rate-limit-governor.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import type { ServerClock } from '../server-clock.ts';
import { binanceOutcome } from './binance-errors.ts';
import type { BinanceSigner } from './sign.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Params = Record<string, string>;

export interface BinanceRestOptions {
  readonly baseUrl: string;
  /** `/api/v3/time` or `/fapi/v1/time`. */
  readonly timePath: string;
  readonly apiKey: string;
  readonly signer: BinanceSigner;
  readonly clock: ServerClock;
  readonly limiter: WeightedLimiter;
  readonly governor: RateLimitGovernor;
  readonly redactor: SecretRedactor;
  /** Default 5000 ms (Binance's advice: ≤ 5000). */
  readonly recvWindowMs?: number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Every log line goes through the redactor first. */
  readonly log?: (line: string) => void;
}

export interface RestCounters {
  requests: number;
  errors: number;
  resyncs: number;
}

export class BinanceRest {
  readonly stats: RestCounters = { requests: 0, errors: 0, resyncs: 0 };
  private readonly doFetch: typeof fetch;

  constructor(readonly options: BinanceRestOptions) {
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  /** Measure the server-time offset. */
  async syncTime(): Promise<void> {
    await this.options.clock.sync(async () => {
      const body = await this.request('GET', this.options.timePath, {}, 1, 'none');
      const t = isObject(body) ? body.serverTime : undefined;
      if (typeof t !== 'number') throw new Error('time endpoint answered without serverTime');
      return t;
    });
    this.stats.resyncs++;
  }

  /** A signed (TRADE / USER_DATA) request; on -1021 resyncs the clock and retries once. */
  async signed(method: HttpMethod, path: string, params: Params, weight: number): Promise<unknown> {
    try {
      return await this.request(method, path, params, weight, 'signed');
    } catch (error) {
      if (!(error instanceof VenueRequestError) || error.outcome.kind !== 'resync-clock') throw error;
      this.log(`clock outside recvWindow on ${method} ${path}: resync and retry once`);
      try {
        await this.syncTime();
      } catch (syncError) {
        // No server time: the request stays refused for its clock, as the venue said.
        this.log(
          `clock resync failed: ${syncError instanceof Error ? syncError.message : String(syncError)}`,
        );
        throw error;
      }
      return this.request(method, path, params, weight, 'signed');
    }
  }

  /** A request that carries the API key but no signature (USER_STREAM listenKey endpoints). */
  keyed(method: HttpMethod, path: string, params: Params, weight: number): Promise<unknown> {
    return this.request(method, path, params, weight, 'key');
  }

  private async request(
    method: HttpMethod,
    path: string,
    params: Params,
    weight: number,
    auth: 'none' | 'key' | 'signed',
  ): Promise<unknown> {
    const o = this.options;
    await o.limiter.acquire(weight);
    let query = new URLSearchParams(params).toString();
    if (auth === 'signed') {
      const stamp = `recvWindow=${o.recvWindowMs ?? 5000}&timestamp=${o.clock.nowMs()}`;
      query = query ? `${query}&${stamp}` : stamp;
      const signature = o.signer.sign(query);
      o.redactor.addSignature(signature);
      query = `${query}&signature=${signature}`;
    }
    const url = `${o.baseUrl}${path}${query ? `?${query}` : ''}`;
    this.stats.requests++;
    let res: Response;
    try {
      res = await this.doFetch(url, {
        method,
        headers: auth === 'none' ? {} : { 'X-MBX-APIKEY': o.apiKey },
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
    } catch (error) {
      this.stats.errors++;
      // Network error or timeout: the venue may have the request.
      const detail = o.redactor.redact(error instanceof Error ? error.message : String(error));
      throw new VenueRequestError({ kind: 'unknown-status', code: 0, message: detail }, 0);
    }
    o.governor.observe(res.status, res.headers);
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      this.stats.errors++;
      // The answer broke off after its status line: the venue had the request, its outcome is unknown.
      const detail = o.redactor.redact(error instanceof Error ? error.message : String(error));
      throw new VenueRequestError({ kind: 'unknown-status', code: 0, message: detail }, res.status);
    }
    const body = parseBody(text);
    if (res.ok) return body;
    this.stats.errors++;
    const outcome = errorOutcome(res.status, body, (t) => o.redactor.redact(t.slice(0, 200)), text);
    this.log(`${method} ${path} refused: HTTP ${res.status} code ${outcome.code} ${outcome.message}`);
    throw new VenueRequestError(outcome, res.status);
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor.redact(line));
  }
}

function errorOutcome(
  status: number,
  body: unknown,
  redact: (text: string) => string,
  text: string,
): ExecutionOutcome {
  if (isObject(body) && typeof body.code === 'number') {
    return binanceOutcome(status, body.code, redact(typeof body.msg === 'string' ? body.msg : ''));
  }
  return binanceOutcome(status, 0, redact(text));
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
