import { describe, expect, it } from 'vitest';
import { bybitAuthHeaders } from '../../../../fargate/execution/bybit/sign.ts';
import {
  type BybitSignedRequest,
  verifyBybitRequest,
} from '../../../../fargate/execution/bybit/verify-request.ts';

const KEY = 'local-bybit-key';
const SECRET = 'local-bybit-secret';
const BODY =
  '{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"50000"}';
const NOW = 1_700_000_000_000;
const secretOf = (k: string) => (k === KEY ? SECRET : undefined);

function signed(timestamp: number, recvWindow = 5000, payload = BODY): BybitSignedRequest {
  const h = bybitAuthHeaders(KEY, SECRET, timestamp, recvWindow, payload);
  return {
    apiKey: h['X-BAPI-API-KEY'],
    timestamp: h['X-BAPI-TIMESTAMP'],
    recvWindow: h['X-BAPI-RECV-WINDOW'],
    sign: h['X-BAPI-SIGN'],
    payload,
  };
}

describe('verifyBybitRequest', () => {
  it('accepts a request signed by the adapter', () => {
    expect(verifyBybitRequest(signed(NOW), secretOf, NOW)).toEqual({ ok: true, apiKey: KEY });
  });

  it('answers an unknown or missing key with 10003', () => {
    expect(verifyBybitRequest({ ...signed(NOW), apiKey: 'nobody' }, secretOf, NOW)).toEqual({
      ok: false,
      httpStatus: 200,
      retCode: 10003,
      retMsg: 'API key is invalid.',
    });
    expect(verifyBybitRequest({ ...signed(NOW), apiKey: undefined }, secretOf, NOW)).toMatchObject({
      retCode: 10003,
    });
  });

  it('accepts serverTime − recvWindow ≤ timestamp < serverTime + 1000, else 10002', () => {
    expect(verifyBybitRequest(signed(NOW - 5000), secretOf, NOW).ok).toBe(true);
    expect(verifyBybitRequest(signed(NOW + 999), secretOf, NOW).ok).toBe(true);
    const late = verifyBybitRequest(signed(NOW - 5001), secretOf, NOW);
    expect(late).toMatchObject({ ok: false, retCode: 10002 });
    expect(late.ok ? '' : late.retMsg).toBe(
      'invalid request, please check your server timestamp or recv_window param. ' +
        `req_timestamp[${NOW - 5001}],server_timestamp[${NOW}],recv_window[5000]`,
    );
    expect(verifyBybitRequest(signed(NOW + 1000), secretOf, NOW)).toMatchObject({ retCode: 10002 });
    // A clock 7 s behind passes when the client widens recvWindow to 8000.
    expect(verifyBybitRequest(signed(NOW - 7000, 8000), secretOf, NOW).ok).toBe(true);
    expect(verifyBybitRequest({ ...signed(NOW), timestamp: 'soon' }, secretOf, NOW)).toMatchObject({
      retCode: 10002,
    });
  });

  it('answers a bad signature with 10004, without the secret or the signature in the message', () => {
    const req = signed(NOW);
    const tampered = { ...req, payload: BODY.replace('0.001', '0.002') };
    const result = verifyBybitRequest(tampered, secretOf, NOW);
    expect(result).toMatchObject({ ok: false, retCode: 10004 });
    const msg = result.ok ? '' : result.retMsg;
    expect(msg).toBe('Error sign, please check your signature generation algorithm.');
    expect(msg).not.toContain(SECRET);
    expect(msg).not.toContain(req.sign);
    expect(verifyBybitRequest({ ...req, sign: req.sign?.toUpperCase() }, secretOf, NOW)).toMatchObject({
      retCode: 10004,
    });
    expect(verifyBybitRequest({ ...req, sign: undefined }, secretOf, NOW)).toMatchObject({ retCode: 10004 });
    // The recvWindow is part of what is signed.
    expect(verifyBybitRequest({ ...req, recvWindow: '6000' }, secretOf, NOW)).toMatchObject({
      retCode: 10004,
    });
  });
});
