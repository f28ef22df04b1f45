/**
 * Coinbase Advanced Trade authentication: a fresh JWT per request (`Authorization: Bearer <jwt>`),
 * signed ES256 (ECDSA P-256, SHA-256, raw r‖s signature) with the CDP key's EC private key.
 * Header `{alg:"ES256", kid:<key name>, nonce:<random hex>, typ:"JWT"}`; claims `{sub:<key name>,
 * iss:"cdp", nbf:now, exp:now+120, uri:"<METHOD> <host><path>"}` — `uri` is left out for the
 * WebSocket subscribe JWT. Layout as Coinbase's own SDK (coinbase-advanced-py `jwt_generator.py`).
 *
 * ECDSA signatures are randomised, so no fixed published vector can exist: tests verify with the
 * public key and check the structure. Pure apart from that randomness: time and nonce bytes are
 * inputs. Errors never echo the key.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';

export const COINBASE_JWT_LIFETIME_S = 120;
export const COINBASE_REST_HOST = 'api.coinbase.com';

export interface CoinbaseJwtHeader {
  readonly alg: 'ES256';
  readonly kid: string;
  readonly nonce: string;
  readonly typ: 'JWT';
}

export interface CoinbaseJwtClaims {
  readonly sub: string;
  readonly iss: 'cdp';
  readonly nbf: number;
  readonly exp: number;
  readonly uri?: string;
}

/**
 * Parses the CDP secret: an EC P-256 private key in PEM (SEC1 or PKCS#8). Environment variables
 * often hold it with literal `\n` sequences; those are turned into line breaks.
 */
export function coinbasePrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
  } catch {
    throw new Error('Coinbase API secret is not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('Coinbase API secret is not an EC P-256 key (ES256 needs one)');
  }
  return key;
}

/** The `uri` claim of a REST request: `POST api.coinbase.com/api/v3/brokerage/orders` (no query). */
export function coinbaseUri(method: string, path: string, host = COINBASE_REST_HOST): string {
  const q = path.indexOf('?');
  return `${method} ${host}${q < 0 ? path : path.slice(0, q)}`;
}

function base64UrlJson(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * @param keyName `organizations/{org_id}/apiKeys/{key_id}`
 * @param nowSeconds offset-corrected wall clock, seconds
 * @param nonce random hex, fresh per JWT (16+ bytes)
 * @param uri omitted for the WebSocket
 */
export function coinbaseJwt(
  keyName: string,
  privateKey: KeyObject,
  nowSeconds: number,
  nonce: string,
  uri?: string,
): string {
  const nbf = Math.floor(nowSeconds);
  const header: CoinbaseJwtHeader = { alg: 'ES256', kid: keyName, nonce, typ: 'JWT' };
  const claims: CoinbaseJwtClaims = {
    sub: keyName,
    iss: 'cdp',
    nbf,
    exp: nbf + COINBASE_JWT_LIFETIME_S,
    ...(uri === undefined ? {} : { uri }),
  };
  const signingInput = `${base64UrlJson(header)}.${base64UrlJson(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

export interface CoinbaseSigner {
  /** `Authorization` header value for one REST request. */
  authorization(method: string, path: string, nowSeconds: number): string;
  /** The `jwt` field of a WebSocket subscribe. */
  wsJwt(nowSeconds: number): string;
}

/** @param randomHex fresh random hex per call (crypto.randomBytes(16).toString('hex') in production) */
export function createCoinbaseSigner(
  keyName: string,
  privateKeyPem: string,
  randomHex: () => string,
): CoinbaseSigner {
  const key = coinbasePrivateKey(privateKeyPem);
  return {
    authorization: (method, path, nowSeconds) =>
      `Bearer ${coinbaseJwt(keyName, key, nowSeconds, randomHex(), coinbaseUri(method, path))}`,
    wsJwt: (nowSeconds) => coinbaseJwt(keyName, key, nowSeconds, randomHex()),
  };
}
