import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  coinbaseJwt,
  coinbasePrivateKey,
  createCoinbaseSigner,
} from '../../../../fargate/execution/coinbase/sign.ts';
import {
  type CoinbaseSignedRequest,
  verifyCoinbaseJwt,
  verifyCoinbaseRequest,
} from '../../../../fargate/execution/coinbase/verify-request.ts';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const KEY_NAME = 'organizations/local/apiKeys/local-test';
const NOW = 1_700_000_000;
const PATH = '/api/v3/brokerage/orders';
const HOST = 'api.coinbase.com';
const keys = (name: string): KeyObject | undefined => (name === KEY_NAME ? publicKey : undefined);
const signer = createCoinbaseSigner(KEY_NAME, PEM, () => 'ab'.repeat(16));

function request(authorization: string | undefined, path = PATH): CoinbaseSignedRequest {
  return { authorization, method: 'POST', path, host: HOST };
}

describe('verifyCoinbaseRequest', () => {
  it('accepts a JWT minted by the adapter for this request', () => {
    expect(verifyCoinbaseRequest(request(signer.authorization('POST', PATH, NOW)), keys, NOW + 60)).toEqual({
      ok: true,
      keyName: KEY_NAME,
    });
  });

  it('answers every failure with HTTP 401 "Unauthorized", telling the cause only to the simulator', () => {
    const auth = signer.authorization('POST', PATH, NOW);
    const cases: [CoinbaseSignedRequest, number, string][] = [
      [request(undefined), NOW, 'malformed'],
      [request('Bearer a.b'), NOW, 'malformed'],
      [request(`Basic ${auth.slice(7)}`), NOW, 'malformed'],
      [request(auth), NOW + 120, 'expired'],
      [request(auth), NOW - 1, 'not_yet_valid'], // our clock 1 s ahead of the venue's
      [request(auth, '/api/v3/brokerage/orders/batch_cancel'), NOW, 'wrong_uri'],
    ];
    for (const [req, now, cause] of cases) {
      expect(verifyCoinbaseRequest(req, keys, now)).toEqual({
        ok: false,
        httpStatus: 401,
        body: 'Unauthorized',
        cause,
      });
    }
  });

  it('refuses an unknown key and a signature by another key', () => {
    const stranger = coinbaseJwt(
      'organizations/x/apiKeys/unknown',
      coinbasePrivateKey(PEM),
      NOW,
      'n',
      `POST ${HOST}${PATH}`,
    );
    expect(verifyCoinbaseJwt(stranger, keys, NOW, `POST ${HOST}${PATH}`)).toMatchObject({
      cause: 'unknown_key',
    });
    const forged = coinbaseJwt(KEY_NAME, other.privateKey, NOW, 'n', `POST ${HOST}${PATH}`);
    expect(verifyCoinbaseJwt(forged, keys, NOW, `POST ${HOST}${PATH}`)).toMatchObject({
      cause: 'bad_signature',
    });
  });

  it('refuses a JWT whose claims were edited after signing', () => {
    const jwt = signer.authorization('POST', PATH, NOW).slice(7);
    const [h, , s] = jwt.split('.') as [string, string, string];
    const claims = { sub: KEY_NAME, iss: 'cdp', nbf: NOW, exp: NOW + 100_000, uri: `POST ${HOST}${PATH}` };
    const edited = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    expect(verifyCoinbaseJwt(edited, keys, NOW, `POST ${HOST}${PATH}`)).toMatchObject({
      cause: 'bad_signature',
    });
  });

  it('verifies a WebSocket subscribe JWT without a uri claim', () => {
    expect(verifyCoinbaseJwt(signer.wsJwt(NOW), keys, NOW, undefined)).toEqual({
      ok: true,
      keyName: KEY_NAME,
    });
  });
});
