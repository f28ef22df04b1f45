import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKucoinSigner,
  kucoinHmac,
  kucoinStringToSign,
} from '../../../../fargate/execution/kucoin/sign.ts';

// KuCoin publishes the string-to-sign rule but no vector: this is the doc's order body signed with a
// local test secret, recomputed independently with openssl (docs/execution.md, KuCoin).
const SECRET = 'test-secret-do-not-use';
const BODY =
  '{"clientOid":"5c52e11203aa677f33e493fb","side":"buy","symbol":"BTC-USDT","type":"limit","price":"30000","size":"0.001"}';

describe('KuCoin signing (key version 2)', () => {
  it('signs timestamp + METHOD + endpoint + body and the passphrase to the recomputed values', () => {
    expect(kucoinStringToSign(1729176273859, 'POST', '/api/v1/hf/orders', BODY)).toBe(
      `1729176273859POST/api/v1/hf/orders${BODY}`,
    );
    const h = createKucoinSigner('local-key', SECRET, 'test-passphrase').headers(
      1729176273859,
      'POST',
      '/api/v1/hf/orders',
      BODY,
    );
    expect(h).toEqual({
      'KC-API-KEY': 'local-key',
      'KC-API-SIGN': '5WatxEaMsm1f9bglu2K4xvNq7HjP5HQndiR8dcwtgJc=',
      'KC-API-TIMESTAMP': '1729176273859',
      'KC-API-PASSPHRASE': 'vkXQJY7+PmmV0VWqLAx4BlnbBUv4EGPXLMB/a3iVDe4=',
      'KC-API-KEY-VERSION': '2',
      'Content-Type': 'application/json',
    });
  });

  it('signs a GET with its query string and an empty body', () => {
    const h = createKucoinSigner('k', SECRET, 'p').headers(
      1,
      'GET',
      '/api/v1/hf/orders/active?symbol=BTC-USDT',
      '',
    );
    expect(h['KC-API-SIGN']).toBe(kucoinHmac(SECRET, '1GET/api/v1/hf/orders/active?symbol=BTC-USDT'));
  });

  it('changes with any byte of the body', () => {
    const base = kucoinHmac(SECRET, kucoinStringToSign(1, 'POST', '/api/v1/hf/orders', BODY));
    fc.assert(
      fc.property(fc.nat({ max: BODY.length - 1 }), fc.integer({ min: 1, max: 127 }), (at, xor) => {
        const changed =
          BODY.slice(0, at) + String.fromCharCode(BODY.charCodeAt(at) ^ xor) + BODY.slice(at + 1);
        expect(kucoinHmac(SECRET, kucoinStringToSign(1, 'POST', '/api/v1/hf/orders', changed))).not.toBe(
          base,
        );
      }),
    );
  });
});
