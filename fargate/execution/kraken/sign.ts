/**
 * Kraken spot REST signing. `API-Sign` = base64(HMAC-SHA512(key = base64decode(secret),
 * msg = URI path ‖ SHA-256(nonce ‖ POST data))); the path starts at `/0/private/`, the POST data is
 * the exact form-encoded body sent (it carries `nonce=` itself). The secret is decoded once per
 * signer; errors never repeat it.
 */
import { createHash, createHmac } from 'node:crypto';

/** Signs one private request: `path` like `/0/private/AddOrder`, `nonce` as sent, `postData` the exact body. */
export type KrakenSigner = (path: string, nonce: string, postData: string) => string;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes a Kraken API secret (base64). Throws without echoing it when it is not base64. */
export function decodeKrakenSecret(secretBase64: string): Buffer {
  if (secretBase64.length === 0 || secretBase64.length % 4 !== 0 || !BASE64.test(secretBase64)) {
    throw new Error('Kraken API secret is not base64');
  }
  return Buffer.from(secretBase64, 'base64');
}

/** The `API-Sign` value for a decoded secret. */
export function krakenSignature(secret: Buffer, path: string, nonce: string, postData: string): string {
  const inner = createHash('sha256').update(nonce).update(postData).digest();
  return createHmac('sha512', secret).update(path).update(inner).digest('base64');
}

export function createKrakenSigner(secretBase64: string): KrakenSigner {
  const secret = decodeKrakenSecret(secretBase64);
  return (path, nonce, postData) => krakenSignature(secret, path, nonce, postData);
}

/** Headers of a signed private request. */
export function krakenAuthHeaders(apiKey: string, signature: string): Record<string, string> {
  return {
    'API-Key': apiKey,
    'API-Sign': signature,
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
}
