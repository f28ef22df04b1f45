/**
 * The simulator's side of Coinbase Advanced Trade authentication: check the Bearer JWT the way the
 * venue must (ES256 signature by the key named in `kid`, `iss` "cdp", `sub` = `kid`,
 * nbf ≤ now < exp, `uri` = this request) and answer as Coinbase does: HTTP 401 with the body
 * `Unauthorized` whatever the cause — the venue does not say which check failed. `cause` is for the
 * simulator's own counters and tests, not the wire. No leeway on nbf/exp (a clock ahead of the
 * venue's fails, as a skewed client should learn to resync).
 */
import { type KeyObject, verify } from 'node:crypto';
import { coinbaseUri } from './sign.ts';

export interface CoinbaseSignedRequest {
  /** `Authorization` header. */
  readonly authorization: string | undefined;
  readonly method: string;
  /** Path as requested (a query string is ignored, as in the `uri` claim). */
  readonly path: string;
  /** Host the client addressed (`api.coinbase.com`). */
  readonly host: string;
}

export type CoinbaseAuthCause =
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_uri';

export type CoinbaseVerifyResult =
  | { readonly ok: true; readonly keyName: string }
  | {
      readonly ok: false;
      readonly httpStatus: 401;
      readonly body: 'Unauthorized';
      readonly cause: CoinbaseAuthCause;
    };

/** A JWT longer than this is refused unread. */
const MAX_JWT_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function fail(cause: CoinbaseAuthCause): CoinbaseVerifyResult {
  return { ok: false, httpStatus: 401, body: 'Unauthorized', cause };
}

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies a JWT (REST: with `request.uri`; WebSocket subscribe: `expectedUri` undefined, no uri claim required). */
export function verifyCoinbaseJwt(
  jwt: string,
  publicKeyOf: (keyName: string) => KeyObject | undefined,
  serverNowSeconds: number,
  expectedUri: string | undefined,
): CoinbaseVerifyResult {
  if (jwt.length > MAX_JWT_LENGTH) return fail('malformed');
  const parts = jwt.split('.');
  if (parts.length !== 3) return fail('malformed');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = decodeJsonObject(headerPart);
  const claims = decodeJsonObject(claimsPart);
  if (!header || !claims || header.alg !== 'ES256' || typeof header.kid !== 'string')
    return fail('malformed');
  if (!BASE64URL.test(signaturePart)) return fail('malformed');
  const key = publicKeyOf(header.kid);
  if (!key) return fail('unknown_key');
  const signature = Buffer.from(signaturePart, 'base64url');
  const signed =
    signature.length === 64 &&
    verify(
      'sha256',
      Buffer.from(`${headerPart}.${claimsPart}`),
      { key, dsaEncoding: 'ieee-p1363' },
      signature,
    );
  if (!signed) return fail('bad_signature');
  if (claims.iss !== 'cdp' || claims.sub !== header.kid) return fail('malformed');
  if (typeof claims.nbf !== 'number' || typeof claims.exp !== 'number') return fail('malformed');
  if (serverNowSeconds < claims.nbf) return fail('not_yet_valid');
  if (serverNowSeconds >= claims.exp) return fail('expired');
  if (expectedUri !== undefined && claims.uri !== expectedUri) return fail('wrong_uri');
  return { ok: true, keyName: header.kid };
}

export function verifyCoinbaseRequest(
  request: CoinbaseSignedRequest,
  publicKeyOf: (keyName: string) => KeyObject | undefined,
  serverNowSeconds: number,
): CoinbaseVerifyResult {
  const auth = request.authorization;
  if (!auth?.startsWith('Bearer ')) return fail('malformed');
  return verifyCoinbaseJwt(
    auth.slice('Bearer '.length),
    publicKeyOf,
    serverNowSeconds,
    coinbaseUri(request.method, request.path, request.host),
  );
}
