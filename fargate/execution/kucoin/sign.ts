/**
 * KuCoin REST signing, API key version 2. `KC-API-SIGN` = base64(HMAC-SHA256(secret,
 * timestamp ‖ METHOD ‖ endpoint ‖ body)); the endpoint of a GET/DELETE carries its query string
 * (`/api/v1/hf/orders/active?symbol=BTC-USDT`, not URL-encoded again), the body is the exact JSON
 * sent ("" when none). From version 2 the passphrase is sent signed too:
 * base64(HMAC-SHA256(secret, passphrase)), computed once per signer. Pure: the caller supplies the
 * (offset-corrected) timestamp.
 */
import { createHmac } from 'node:crypto';

export const KUCOIN_KEY_VERSION = '2';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export function kucoinStringToSign(
  timestampMs: number | string,
  method: string,
  endpoint: string,
  body: string,
): string {
  return `${timestampMs}${method}${endpoint}${body}`;
}

export function kucoinHmac(apiSecret: string, text: string): string {
  return createHmac('sha256', apiSecret).update(text).digest('base64');
}

export interface KucoinSigner {
  /** The five authentication headers of one request. */
  headers(timestampMs: number, method: HttpMethod, endpoint: string, body: string): Record<string, string>;
}

export function createKucoinSigner(apiKey: string, apiSecret: string, passphrase: string): KucoinSigner {
  const signedPassphrase = kucoinHmac(apiSecret, passphrase);
  return {
    headers(timestampMs, method, endpoint, body) {
      return {
        'KC-API-KEY': apiKey,
        'KC-API-SIGN': kucoinHmac(apiSecret, kucoinStringToSign(timestampMs, method, endpoint, body)),
        'KC-API-TIMESTAMP': String(timestampMs),
        'KC-API-PASSPHRASE': signedPassphrase,
        'KC-API-KEY-VERSION': KUCOIN_KEY_VERSION,
        'Content-Type': 'application/json',
      };
    },
  };
}
