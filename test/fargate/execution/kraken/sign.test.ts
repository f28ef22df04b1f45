import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKrakenSigner,
  decodeKrakenSecret,
  krakenAuthHeaders,
  krakenSignature,
} from '../../../../fargate/execution/kraken/sign.ts';

// Kraken's published vector (docs.kraken.com, spot REST authentication).
const SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';
const NONCE = '1616492376594';
const BODY = 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25';
const PATH = '/0/private/AddOrder';
const SIGNATURE = '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==';

describe('Kraken signing', () => {
  it("reproduces Kraken's published vector", () => {
    expect(createKrakenSigner(SECRET)(PATH, NONCE, BODY)).toBe(SIGNATURE);
    expect(krakenAuthHeaders('key', SIGNATURE)['API-Sign']).toBe(SIGNATURE);
  });

  it('refuses a secret that is not base64 without repeating it', () => {
    const bad = 'not base64 at all!';
    expect(() => decodeKrakenSecret(bad)).toThrow('Kraken API secret is not base64');
    try {
      decodeKrakenSecret(bad);
    } catch (e) {
      expect(String(e)).not.toContain(bad);
    }
  });

  it('changes with any byte of the body, the path or the nonce', () => {
    const secret = decodeKrakenSecret(SECRET);
    fc.assert(
      fc.property(fc.nat({ max: BODY.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = Buffer.from(BODY);
        bytes[at] = bytes[at]! ^ xor;
        const changed = bytes.toString('latin1');
        expect(krakenSignature(secret, PATH, NONCE, changed)).not.toBe(SIGNATURE);
      }),
    );
    expect(krakenSignature(secret, '/0/private/CancelOrder', NONCE, BODY)).not.toBe(SIGNATURE);
    expect(krakenSignature(secret, PATH, '1616492376595', BODY)).not.toBe(SIGNATURE);
  });
});
