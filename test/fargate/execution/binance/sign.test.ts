import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ed25519Base64,
  ed25519Signer,
  hmacSha256Hex,
  hmacSigner,
} from '../../../../fargate/execution/binance/sign.ts';
import { wsApiPayload } from '../../../../fargate/execution/binance/spot-user-stream.ts';

// Published vectors: docs/execution.md (Binance spot rest-api.md / web-socket-api.md, USD-M general-info).
const SPOT_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const SPOT_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';

describe('Binance HMAC-SHA256 signing (published vectors)', () => {
  it('spot REST', () => {
    expect(
      hmacSha256Hex(
        SPOT_SECRET,
        'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
      ),
    ).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('spot REST with a non-ASCII symbol, percent-encoded as sent', () => {
    const symbol = encodeURIComponent('１２３４５６');
    expect(symbol).toBe('%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96');
    expect(
      hmacSigner(SPOT_SECRET).sign(
        `symbol=${symbol}&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559`,
      ),
    ).toBe('e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3');
  });

  it('spot WS API: params sorted, raw UTF-8', () => {
    const payload = wsApiPayload({
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      recvWindow: '100',
      timestamp: '1645423376532',
      apiKey: SPOT_KEY,
      signature: 'ignored',
    });
    expect(hmacSha256Hex(SPOT_SECRET, payload)).toBe(
      'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24',
    );
    const unicode = wsApiPayload({
      symbol: '１２３４５６',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '1.00000000',
      price: '0.10000000',
      recvWindow: '5000',
      timestamp: '1645423376532',
      apiKey: SPOT_KEY,
    });
    expect(hmacSha256Hex(SPOT_SECRET, unicode)).toBe(
      'b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd',
    );
    expect(hmacSha256Hex(SPOT_SECRET, wsApiPayload({ timestamp: '1649729878532', apiKey: SPOT_KEY }))).toBe(
      '1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed',
    );
  });

  it('USD-M REST', () => {
    expect(
      hmacSha256Hex(
        '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9',
        'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943',
      ),
    ).toBe('3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9');
  });
});

// Binance's Ed25519 examples use an unpublished key, so the published Ed25519 vectors are RFC 8032's (§7.1).
const PKCS8_ED25519_PREFIX = '302e020100300506032b657004220420';
function rfcKey(seedHex: string): string {
  const der = Buffer.from(PKCS8_ED25519_PREFIX + seedHex, 'hex');
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

describe('Ed25519 signing (RFC 8032 test vectors)', () => {
  it('TEST 1 (empty message)', () => {
    const pem = rfcKey('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const sig = Buffer.from(ed25519Base64(createPrivateKey(pem), ''), 'base64').toString('hex');
    expect(sig).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('TEST 2 (one byte 0x72 = "r"), percent-encoded base64 as Binance wants it in a query string', () => {
    const pem = rfcKey('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
    const signer = ed25519Signer(pem);
    expect(signer.kind).toBe('ed25519');
    const written = signer.sign('r');
    const raw = Buffer.from(decodeURIComponent(written), 'base64');
    expect(raw.toString('hex')).toBe(
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    );
    expect(written).not.toMatch(/[+/=]/);
    expect(verify(null, Buffer.from('r'), createPublicKey(pem), raw)).toBe(true);
  });

  it('refuses a key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => ed25519Signer(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      /Ed25519/,
    );
  });
});
