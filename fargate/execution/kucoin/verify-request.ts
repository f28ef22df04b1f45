/**
 * The simulator's side of KuCoin REST authentication: check a signed request the way KuCoin does and
 * answer with KuCoin's code and msg (HTTP 401, `{"code":"4000xx","msg":"…"}`). Order of checks:
 * headers present (400001), timestamp within 5 s of the server (400002), key known (400003),
 * passphrase (400004; signed for key versions 2 and 3, plain for version 1), signature (400005).
 */
import { timingSafeEqual } from 'node:crypto';
import { kucoinHmac, kucoinStringToSign } from './sign.ts';

export interface KucoinSignedRequest {
  readonly apiKey: string | undefined;
  readonly sign: string | undefined;
  readonly timestamp: string | undefined;
  readonly passphrase: string | undefined;
  /** `KC-API-KEY-VERSION` ("1" when absent). */
  readonly keyVersion: string | undefined;
  readonly method: string;
  /** Path with its query string, as requested. */
  readonly endpoint: string;
  readonly body: string;
}

export interface KucoinKeyRecord {
  readonly apiSecret: string;
  readonly passphrase: string;
}

export type KucoinAuthCode = '400001' | '400002' | '400003' | '400004' | '400005';

export type KucoinVerifyResult =
  | { readonly ok: true; readonly apiKey: string }
  | { readonly ok: false; readonly httpStatus: 401; readonly code: KucoinAuthCode; readonly msg: string };

export const KUCOIN_TIMESTAMP_WINDOW_MS = 5000;
const DIGITS = /^[0-9]{1,15}$/;

const MESSAGES: Record<KucoinAuthCode, string> = {
  '400001':
    'Please check the header of your request for KC-API-KEY, KC-API-SIGN, KC-API-TIMESTAMP, KC-API-PASSPHRASE',
  '400002': 'KC-API-TIMESTAMP Invalid',
  '400003': 'KC-API-KEY not exists',
  '400004': 'Invalid KC-API-PASSPHRASE',
  '400005': 'Invalid KC-API-SIGN',
};

function fail(code: KucoinAuthCode): KucoinVerifyResult {
  return { ok: false, httpStatus: 401, code, msg: MESSAGES[code] };
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function sameBase64(given: string, expected: string): boolean {
  return sameBytes(Buffer.from(given, 'base64'), Buffer.from(expected, 'base64'));
}

export function verifyKucoinRequest(
  request: KucoinSignedRequest,
  keyRecord: (apiKey: string) => KucoinKeyRecord | undefined,
  serverNowMs: number,
): KucoinVerifyResult {
  const { apiKey, sign, timestamp, passphrase } = request;
  if (!apiKey || !sign || !timestamp || !passphrase) return fail('400001');
  if (!DIGITS.test(timestamp) || Math.abs(Number(timestamp) - serverNowMs) > KUCOIN_TIMESTAMP_WINDOW_MS) {
    return fail('400002');
  }
  const record = keyRecord(apiKey);
  if (!record) return fail('400003');
  const version = request.keyVersion ?? '1';
  const passphraseOk =
    version === '1'
      ? sameBytes(Buffer.from(passphrase), Buffer.from(record.passphrase))
      : sameBase64(passphrase, kucoinHmac(record.apiSecret, record.passphrase));
  if (!passphraseOk) return fail('400004');
  const expected = kucoinHmac(
    record.apiSecret,
    kucoinStringToSign(timestamp, request.method, request.endpoint, request.body),
  );
  if (!sameBase64(sign, expected)) return fail('400005');
  return { ok: true, apiKey };
}
