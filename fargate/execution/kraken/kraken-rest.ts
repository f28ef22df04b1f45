/**
 * Signed Kraken private REST: `POST /0/private/<Method>` with a form body that starts with a fresh
 * `nonce` from the key's counter, `API-Key` and `API-Sign` over exactly that body. Kraken answers
 * HTTP 200 with `{"error":[…],"result":…}`; a non-empty `error` becomes a VenueRequestError with the
 * outcome of errors.ts. `EAPI:Invalid nonce` is sent again once with a new nonce. Calls pay the REST
 * call counter first (AddOrder and CancelOrder cost nothing there: the trading counter governs them,
 * per pair, on Kraken's side). No key, secret or signature in any error or log line.
 */
import { isObject } from '../../../core/venues/wire-guards.ts';
import type { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import { VenueRequestError } from '../execution-outcome.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import { venueHttp } from '../venue-http.ts';
import { krakenOutcome } from './errors.ts';
import type { KrakenNonce } from './nonce.ts';
import { type KrakenSigner, krakenAuthHeaders } from './sign.ts';

export interface KrakenRestOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly signer: KrakenSigner;
  readonly nonce: KrakenNonce;
  /** The REST call counter (rate-limits.ts decayingCounterPolicy). */
  readonly limiter: WeightedLimiter;
  readonly redactor: SecretRedactor;
  readonly wallNowMs?: () => number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
}

export interface KrakenRestCounters {
  requests: number;
  errors: number;
  nonceRetries: number;
}

/** Call-counter cost per method: trading calls 0, history queries 2, everything else 1. */
export function krakenCallCost(method: string): number {
  if (method === 'AddOrder' || method === 'CancelOrder') return 0;
  if (method === 'TradesHistory' || method === 'Ledgers' || method === 'QueryTrades') return 2;
  return 1;
}

export class KrakenRest {
  readonly stats: KrakenRestCounters = { requests: 0, errors: 0, nonceRetries: 0 };
  private readonly doFetch: typeof fetch;

  constructor(readonly options: KrakenRestOptions) {
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  /** One private method; resolves with its `result`. */
  async call(method: string, params: Record<string, string>): Promise<unknown> {
    try {
      return await this.send(method, params);
    } catch (error) {
      if (!(error instanceof VenueRequestError) || !error.outcome.message.startsWith('EAPI:Invalid nonce'))
        throw error;
      this.stats.nonceRetries++;
      return this.send(method, params);
    }
  }

  private async send(method: string, params: Record<string, string>): Promise<unknown> {
    const o = this.options;
    await o.limiter.acquire(krakenCallCost(method));
    const path = `/0/private/${method}`;
    const nonce = o.nonce.next();
    const form = new URLSearchParams(params).toString();
    const body = form ? `nonce=${nonce}&${form}` : `nonce=${nonce}`;
    const signature = o.signer(path, nonce, body);
    o.redactor.addSignature(signature);
    this.stats.requests++;
    const res = await venueHttp(
      this.doFetch,
      `${o.baseUrl}${path}`,
      { method: 'POST', headers: krakenAuthHeaders(o.apiKey, signature), body },
      o.redactor,
      o.timeoutMs,
    ).catch((error: unknown) => {
      this.stats.errors++;
      throw error;
    });
    const errors = isObject(res.body) && Array.isArray(res.body.error) ? res.body.error : undefined;
    if (res.status === 200 && errors && errors.length === 0 && isObject(res.body)) return res.body.result;
    this.stats.errors++;
    const strings = (errors ?? []).filter((e): e is string => typeof e === 'string');
    const outcome = krakenOutcome(
      res.status,
      strings.length > 0 ? strings.map((s) => o.redactor.redact(s.slice(0, 200))) : [],
      (o.wallNowMs ?? Date.now)(),
    );
    const message = outcome.message || o.redactor.redact(res.text.slice(0, 200));
    this.log(`${method} refused: HTTP ${res.status} ${outcome.kind} ${message}`);
    throw new VenueRequestError({ ...outcome, message }, res.status);
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor.redact(line));
  }
}
