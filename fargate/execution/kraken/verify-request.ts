/**
 * The simulator's side of Kraken private REST authentication: check a request the way Kraken does
 * and answer with Kraken's own error strings (HTTP 200, `{"error":["EAPI:…"]}`).
 *
 * Kraken has no timestamp window on REST: freshness is the nonce, which must be above the last one
 * accepted for the key. The signature is checked before the nonce, so a forged request can neither
 * probe nor advance a key's nonce; the caller stores `nonce` as the key's new last nonce only on
 * success.
 */
import { timingSafeEqual } from 'node:crypto';
import { decodeKrakenSecret, krakenSignature } from './sign.ts';

export interface KrakenSignedRequest {
  /** URI path, e.g. `/0/private/AddOrder`. */
  readonly path: string;
  /** `API-Key` header (undefined when absent). */
  readonly apiKey: string | undefined;
  /** `API-Sign` header. */
  readonly apiSign: string | undefined;
  /** The exact form-encoded body. */
  readonly body: string;
}

export interface KrakenKeyRecord {
  /** The key's secret as Kraken hands it out (base64). */
  readonly secretBase64: string;
  /** The highest nonce accepted for this key so far (0 before the first). */
  readonly lastNonce: number;
}

export type KrakenAuthError = 'EAPI:Invalid key' | 'EAPI:Invalid signature' | 'EAPI:Invalid nonce';

export type KrakenVerifyResult =
  | { readonly ok: true; readonly nonce: number }
  | { readonly ok: false; readonly httpStatus: 200; readonly error: KrakenAuthError };

const NONCE_DIGITS = /^[0-9]{1,16}$/;

function fail(error: KrakenAuthError): KrakenVerifyResult {
  return { ok: false, httpStatus: 200, error };
}

/** The `nonce` form field of a body, or undefined when absent or not a safe unsigned integer. */
export function krakenBodyNonce(body: string): number | undefined {
  const raw = new URLSearchParams(body).get('nonce');
  if (raw === null || !NONCE_DIGITS.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function verifyKrakenRequest(
  request: KrakenSignedRequest,
  keyRecord: (apiKey: string) => KrakenKeyRecord | undefined,
): KrakenVerifyResult {
  if (!request.apiKey) return fail('EAPI:Invalid key');
  const record = keyRecord(request.apiKey);
  if (!record) return fail('EAPI:Invalid key');
  if (!request.apiSign) return fail('EAPI:Invalid signature');
  const given = Buffer.from(request.apiSign, 'base64');
  const nonceText = new URLSearchParams(request.body).get('nonce') ?? '';
  const expected = Buffer.from(
    krakenSignature(decodeKrakenSecret(record.secretBase64), request.path, nonceText, request.body),
    'base64',
  );
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail('EAPI:Invalid signature');
  }
  const nonce = krakenBodyNonce(request.body);
  if (nonce === undefined || nonce <= record.lastNonce) return fail('EAPI:Invalid nonce');
  return { ok: true, nonce };
}
