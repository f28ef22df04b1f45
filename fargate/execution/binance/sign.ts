/**
 * Binance request signing (spot and USD-M alike): the payload is the query string concatenated with
 * the form body; HMAC-SHA256 → lower-case hex, or Ed25519 → base64 (percent-encoded when it goes
 * into the query string). The key travels in the `X-MBX-APIKEY` header, never in the payload.
 */
import { createHmac, createPrivateKey, type KeyObject, sign } from 'node:crypto';

export interface BinanceSigner {
  readonly kind: 'hmac-sha256' | 'ed25519';
  /** The signature of `payload`, as it is written into the request (already URL-safe). */
  sign(payload: string): string;
}

export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

export function ed25519Base64(key: KeyObject, payload: string): string {
  return sign(null, Buffer.from(payload, 'utf8'), key).toString('base64');
}

export function hmacSigner(secret: string): BinanceSigner {
  return { kind: 'hmac-sha256', sign: (payload) => hmacSha256Hex(secret, payload) };
}

/** `pem`: a PKCS#8 Ed25519 private key, as Binance's key generator writes it. */
export function ed25519Signer(pem: string): BinanceSigner {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error('Binance Ed25519 signing needs an Ed25519 private key');
  return { kind: 'ed25519', sign: (payload) => encodeURIComponent(ed25519Base64(key, payload)) };
}
