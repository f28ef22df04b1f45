import { describe, expect, it } from 'vitest';
import { createKucoinSigner } from '../../../../fargate/execution/kucoin/sign.ts';
import {
  type KucoinSignedRequest,
  verifyKucoinRequest,
} from '../../../../fargate/execution/kucoin/verify-request.ts';

const KEY = 'local-kucoin-key';
const SECRET = 'local-kucoin-secret';
const PASSPHRASE = 'local-passphrase';
const NOW = 1_700_000_000_000;
const BODY =
  '{"clientOid":"a","side":"buy","symbol":"BTC-USDT","type":"limit","price":"30000","size":"0.001"}';
const keys = (k: string) => (k === KEY ? { apiSecret: SECRET, passphrase: PASSPHRASE } : undefined);

function signed(timestamp: number, body = BODY): KucoinSignedRequest {
  const h = createKucoinSigner(KEY, SECRET, PASSPHRASE).headers(timestamp, 'POST', '/api/v1/hf/orders', body);
  return {
    apiKey: h['KC-API-KEY'],
    sign: h['KC-API-SIGN'],
    timestamp: h['KC-API-TIMESTAMP'],
    passphrase: h['KC-API-PASSPHRASE'],
    keyVersion: h['KC-API-KEY-VERSION'],
    method: 'POST',
    endpoint: '/api/v1/hf/orders',
    body,
  };
}

describe('verifyKucoinRequest', () => {
  it('accepts a request signed by the adapter', () => {
    expect(verifyKucoinRequest(signed(NOW), keys, NOW)).toEqual({ ok: true, apiKey: KEY });
    expect(verifyKucoinRequest(signed(NOW - 5000), keys, NOW).ok).toBe(true);
  });

  it("answers each failure with KuCoin's code and message, HTTP 401", () => {
    expect(verifyKucoinRequest({ ...signed(NOW), sign: undefined }, keys, NOW)).toMatchObject({
      ok: false,
      httpStatus: 401,
      code: '400001',
    });
    expect(verifyKucoinRequest(signed(NOW - 5001), keys, NOW)).toEqual({
      ok: false,
      httpStatus: 401,
      code: '400002',
      msg: 'KC-API-TIMESTAMP Invalid',
    });
    expect(verifyKucoinRequest(signed(NOW + 5001), keys, NOW)).toMatchObject({ code: '400002' });
    expect(verifyKucoinRequest({ ...signed(NOW), apiKey: 'nobody' }, keys, NOW)).toMatchObject({
      code: '400003',
      msg: 'KC-API-KEY not exists',
    });
    expect(verifyKucoinRequest({ ...signed(NOW), passphrase: PASSPHRASE }, keys, NOW)).toMatchObject({
      code: '400004',
    });
    const tampered = { ...signed(NOW), body: BODY.replace('30000', '30001') };
    expect(verifyKucoinRequest(tampered, keys, NOW)).toMatchObject({
      code: '400005',
      msg: 'Invalid KC-API-SIGN',
    });
  });

  it('accepts the plain passphrase of a version 1 key', () => {
    expect(
      verifyKucoinRequest({ ...signed(NOW), passphrase: PASSPHRASE, keyVersion: '1' }, keys, NOW).ok,
    ).toBe(true);
    expect(
      verifyKucoinRequest({ ...signed(NOW), passphrase: 'wrong', keyVersion: undefined }, keys, NOW),
    ).toMatchObject({
      code: '400004',
    });
  });
});
