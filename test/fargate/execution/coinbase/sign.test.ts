import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COINBASE_JWT_LIFETIME_S,
  coinbaseJwt,
  coinbasePrivateKey,
  coinbaseUri,
  createCoinbaseSigner,
} from '../../../../fargate/execution/coinbase/sign.ts';

// ECDSA signatures are randomised, so Coinbase cannot publish a fixed vector: these tests check the
// documented structure and verify the signature with the public key.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const KEY_NAME = 'organizations/00000000-test/apiKeys/11111111-test';
const NOW = 1_700_000_000;
const NONCE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function decode(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

describe('Coinbase JWT (ES256)', () => {
  it('carries the documented header and claims, and verifies with the public key', () => {
    const jwt = coinbaseJwt(
      KEY_NAME,
      coinbasePrivateKey(PEM),
      NOW,
      NONCE,
      'POST api.coinbase.com/api/v3/brokerage/orders',
    );
    const [h, c, s] = jwt.split('.') as [string, string, string];
    expect(decode(h)).toEqual({ alg: 'ES256', kid: KEY_NAME, nonce: NONCE, typ: 'JWT' });
    expect(decode(c)).toEqual({
      sub: KEY_NAME,
      iss: 'cdp',
      nbf: NOW,
      exp: NOW + COINBASE_JWT_LIFETIME_S,
      uri: 'POST api.coinbase.com/api/v3/brokerage/orders',
    });
    const signature = Buffer.from(s, 'base64url');
    expect(signature.length).toBe(64); // raw r‖s, as JWS requires (not DER)
    expect(
      verify('sha256', Buffer.from(`${h}.${c}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(true);
  });

  it('leaves uri out of the WebSocket JWT and makes a fresh nonce per JWT', () => {
    let n = 0;
    const signer = createCoinbaseSigner(KEY_NAME, PEM, () => `nonce${n++}`);
    const ws = signer.wsJwt(NOW);
    expect(decode(ws.split('.')[1]!)).not.toHaveProperty('uri');
    const a = signer.authorization('GET', '/api/v3/brokerage/orders/historical/batch?order_status=OPEN', NOW);
    const b = signer.authorization('GET', '/api/v3/brokerage/orders/historical/batch?order_status=OPEN', NOW);
    expect(a.startsWith('Bearer ')).toBe(true);
    expect(a).not.toBe(b);
    const claims = decode(a.slice(7).split('.')[1]!) as { uri: string };
    expect(claims.uri).toBe('GET api.coinbase.com/api/v3/brokerage/orders/historical/batch');
  });

  it('reads a PEM whose line breaks came through the environment as literal \\n', () => {
    const escaped = PEM.trim().split('\n').join('\\n');
    const key = coinbasePrivateKey(escaped);
    expect(createPublicKey(key).export({ format: 'jwk' })).toEqual(publicKey.export({ format: 'jwk' }));
  });

  it('refuses keys that cannot sign ES256, without echoing them', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
      .privateKey.export({ type: 'sec1', format: 'pem' })
      .toString();
    for (const bad of ['not a key', rsa, p384]) {
      let message = '';
      try {
        coinbasePrivateKey(bad);
      } catch (e) {
        message = String(e);
      }
      expect(message).toMatch(/Coinbase API secret is not/);
      // Neither the whole value nor a line of the key body.
      expect(message).not.toContain(bad.includes('\n') ? bad.split('\n')[1]! : bad);
    }
  });

  it('builds the uri claim from method, host and path without the query', () => {
    expect(coinbaseUri('POST', '/api/v3/brokerage/orders')).toBe(
      'POST api.coinbase.com/api/v3/brokerage/orders',
    );
    expect(coinbaseUri('GET', '/api/v3/brokerage/accounts?limit=5', 'localhost:9000')).toBe(
      'GET localhost:9000/api/v3/brokerage/accounts',
    );
  });

  it('no longer verifies once any byte of the signed claims changes', () => {
    const jwt = coinbaseJwt(
      KEY_NAME,
      coinbasePrivateKey(PEM),
      NOW,
      NONCE,
      'POST api.coinbase.com/api/v3/brokerage/orders',
    );
    const [h, c, s] = jwt.split('.') as [string, string, string];
    const claims = Buffer.from(c, 'base64url');
    fc.assert(
      fc.property(fc.nat({ max: claims.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const changed = Buffer.from(claims);
        changed[at] = changed[at]! ^ xor;
        const input = Buffer.from(`${h}.${changed.toString('base64url')}`);
        expect(
          verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')),
        ).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});
