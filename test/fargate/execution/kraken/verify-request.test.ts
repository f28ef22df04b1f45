import { describe, expect, it } from 'vitest';
import { createKrakenSigner } from '../../../../fargate/execution/kraken/sign.ts';
import {
  type KrakenKeyRecord,
  verifyKrakenRequest,
} from '../../../../fargate/execution/kraken/verify-request.ts';

const SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';
const BODY = 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25';
const PATH = '/0/private/AddOrder';
const sign = createKrakenSigner(SECRET);

function keys(lastNonce: number): (k: string) => KrakenKeyRecord | undefined {
  return (k) => (k === 'local-key' ? { secretBase64: SECRET, lastNonce } : undefined);
}

function request(
  over: Partial<{ apiKey: string | undefined; apiSign: string | undefined; body: string; path: string }> = {},
) {
  const body = over.body ?? BODY;
  const path = over.path ?? PATH;
  const nonce = new URLSearchParams(body).get('nonce') ?? '';
  return { path, body, apiKey: 'local-key', apiSign: sign(path, nonce, body), ...over };
}

describe('verifyKrakenRequest', () => {
  it("accepts the published vector's request and returns its nonce", () => {
    expect(verifyKrakenRequest(request(), keys(0))).toEqual({ ok: true, nonce: 1616492376594 });
  });

  it('answers unknown key, bad signature and stale nonce with Kraken’s strings', () => {
    expect(verifyKrakenRequest(request({ apiKey: 'other' }), keys(0))).toMatchObject({
      ok: false,
      error: 'EAPI:Invalid key',
    });
    expect(verifyKrakenRequest(request({ apiKey: undefined }), keys(0))).toMatchObject({
      error: 'EAPI:Invalid key',
    });
    const tampered = { ...request(), body: BODY.replace('1.25', '12.5') };
    expect(verifyKrakenRequest(tampered, keys(0))).toMatchObject({
      ok: false,
      httpStatus: 200,
      error: 'EAPI:Invalid signature',
    });
    expect(verifyKrakenRequest(request({ apiSign: undefined }), keys(0))).toMatchObject({
      error: 'EAPI:Invalid signature',
    });
    // The same nonce again (a replay), or one below the last accepted.
    expect(verifyKrakenRequest(request(), keys(1616492376594))).toMatchObject({
      ok: false,
      error: 'EAPI:Invalid nonce',
    });
    const noNonce = request({ body: 'ordertype=limit&pair=XBTUSD' });
    expect(verifyKrakenRequest(noNonce, keys(0))).toMatchObject({ error: 'EAPI:Invalid nonce' });
  });

  it('checks the signature before the nonce, so a forgery learns nothing about it', () => {
    const forged = { ...request(), apiSign: Buffer.alloc(64).toString('base64') };
    expect(verifyKrakenRequest(forged, keys(1616492376594))).toMatchObject({
      error: 'EAPI:Invalid signature',
    });
  });
});
