import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bybitAuthHeaders,
  bybitSignature,
  bybitStringToSign,
  bybitWsAuthSignature,
} from '../../../../fargate/execution/bybit/sign.ts';

// Bybit publishes the strings to sign (docs/v5/guide.mdx) but signs them with an unpublished secret,
// so there is no official vector: these are the guide's strings signed with a local test secret,
// recomputed independently with openssl (docs/execution.md, Bybit).
const SECRET = 'test-secret-do-not-use';
const KEY = 'XXXXXXXXXX';

describe('Bybit signing', () => {
  it("signs the guide's GET and POST strings to the recomputed values", () => {
    expect(bybitStringToSign(1658384314791, KEY, 5000, 'category=option&symbol=BTC-29JUL22-25000-C')).toBe(
      '1658384314791XXXXXXXXXX5000category=option&symbol=BTC-29JUL22-25000-C',
    );
    expect(
      bybitSignature(SECRET, 1658384314791, KEY, 5000, 'category=option&symbol=BTC-29JUL22-25000-C'),
    ).toBe('a618fa8dcffebf1da2081dea595617f52a1605ed1d47020430b93c5162b2ab77');
    expect(bybitSignature(SECRET, 1658385579423, KEY, 5000, '{"category": "option"}')).toBe(
      'b0a88ef4b1168a1a5c1c25e3ea8654344f3ae6ede64b446ae3a1dde7b737b330',
    );
  });

  it('signs the WebSocket auth string', () => {
    expect(bybitWsAuthSignature(SECRET, 1662350400000)).toBe(
      '017b9f3b3f20ad03a4fe68f7e956f83dc63bec2eff3fa831718d8e3915c5ff9c',
    );
  });

  it('puts the four headers on a request, the signature lowercase hex', () => {
    const h = bybitAuthHeaders(KEY, SECRET, 1658385579423, 5000, '{"category": "option"}');
    expect(h).toEqual({
      'X-BAPI-API-KEY': KEY,
      'X-BAPI-TIMESTAMP': '1658385579423',
      'X-BAPI-RECV-WINDOW': '5000',
      'X-BAPI-SIGN': 'b0a88ef4b1168a1a5c1c25e3ea8654344f3ae6ede64b446ae3a1dde7b737b330',
    });
  });

  it('changes with any byte of the payload', () => {
    const payload =
      '{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"50000"}';
    const base = bybitSignature(SECRET, 1, KEY, 5000, payload);
    fc.assert(
      fc.property(fc.nat({ max: payload.length - 1 }), fc.integer({ min: 1, max: 127 }), (at, xor) => {
        const changed =
          payload.slice(0, at) + String.fromCharCode(payload.charCodeAt(at) ^ xor) + payload.slice(at + 1);
        expect(bybitSignature(SECRET, 1, KEY, 5000, changed)).not.toBe(base);
      }),
    );
  });
});
