/**
 * Bybit v5 HMAC request signing. String to sign = timestamp ‖ apiKey ‖ recvWindow ‖ payload, where the
 * payload is the query string (GET) or the exact JSON body bytes sent (POST); HMAC-SHA256 with the
 * secret as UTF-8, lowercase hex. The private WebSocket authenticates with the hex HMAC of
 * `GET/realtime` ‖ expires. Pure: the caller supplies the (offset-corrected) timestamp.
 */
import { createHmac } from 'node:crypto';

export const BYBIT_DEFAULT_RECV_WINDOW_MS = 5000;

/** What is signed for one REST request. */
export function bybitStringToSign(
  timestampMs: number | string,
  apiKey: string,
  recvWindowMs: number | string,
  payload: string,
): string {
  return `${timestampMs}${apiKey}${recvWindowMs}${payload}`;
}

export function bybitSignature(
  apiSecret: string,
  timestampMs: number | string,
  apiKey: string,
  recvWindowMs: number | string,
  payload: string,
): string {
  return createHmac('sha256', apiSecret)
    .update(bybitStringToSign(timestampMs, apiKey, recvWindowMs, payload))
    .digest('hex');
}

/** The four authentication headers of a signed REST request. */
export function bybitAuthHeaders(
  apiKey: string,
  apiSecret: string,
  timestampMs: number,
  recvWindowMs: number,
  payload: string,
): Record<string, string> {
  return {
    'X-BAPI-API-KEY': apiKey,
    'X-BAPI-TIMESTAMP': String(timestampMs),
    'X-BAPI-RECV-WINDOW': String(recvWindowMs),
    'X-BAPI-SIGN': bybitSignature(apiSecret, timestampMs, apiKey, recvWindowMs, payload),
  };
}

/** Signature for the private/trade WebSocket `auth` op: `{"op":"auth","args":[apiKey, expires, signature]}`. */
export function bybitWsAuthSignature(apiSecret: string, expiresMs: number): string {
  return createHmac('sha256', apiSecret).update(`GET/realtime${expiresMs}`).digest('hex');
}
