/**
 * One HTTP exchange with a venue for the REST clients that share it (Kraken, KuCoin, Coinbase): a
 * bounded wait, the body read and parsed, and a network error or timeout turned into an
 * `unknown-status` failure (the venue may have the request) whose message went through the redactor.
 */
import { VenueRequestError } from './execution-outcome.ts';
import type { SecretRedactor } from './redact-secrets.ts';

export interface VenueHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body; undefined when empty or not JSON. */
  readonly body: unknown;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export async function venueHttp(
  doFetch: typeof fetch,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  redactor: SecretRedactor,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<VenueHttpResponse> {
  let res: Response;
  try {
    res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const detail = redactor.redact(error instanceof Error ? error.message : String(error));
    throw new VenueRequestError({ kind: 'unknown-status', code: 0, message: detail }, 0);
  }
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: parseBody(text) };
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
