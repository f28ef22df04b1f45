/**
 * The simulator's side of Bybit v5 REST authentication: check a signed request the way Bybit does
 * and answer with Bybit's retCode and retMsg (HTTP 200 with a retCode body, as Bybit answers them).
 * Order of checks: key (10003), time window (10002: accepted when
 * serverTime − recvWindow ≤ timestamp < serverTime + 1000), signature (10004). The messages are
 * Bybit's (error-code page; the 10002 text as the live API words it) and never carry the secret or
 * the signature.
 */
import { timingSafeEqual } from 'node:crypto';
import { BYBIT_DEFAULT_RECV_WINDOW_MS, bybitSignature } from './sign.ts';

export interface BybitSignedRequest {
  /** `X-BAPI-API-KEY` (undefined when the header is absent). */
  readonly apiKey: string | undefined;
  /** `X-BAPI-TIMESTAMP`. */
  readonly timestamp: string | undefined;
  /** `X-BAPI-RECV-WINDOW` (Bybit's default 5000 when absent). */
  readonly recvWindow: string | undefined;
  /** `X-BAPI-SIGN`. */
  readonly sign: string | undefined;
  /** Query string (GET) or the exact body (POST). */
  readonly payload: string;
}

export type BybitVerifyResult =
  | { readonly ok: true; readonly apiKey: string }
  | {
      readonly ok: false;
      readonly httpStatus: 200;
      readonly retCode: 10002 | 10003 | 10004;
      readonly retMsg: string;
    };

export const BYBIT_MAX_FUTURE_MS = 1000;
const DIGITS = /^[0-9]{1,15}$/;
const HEX64 = /^[0-9a-f]{64}$/;

export function verifyBybitRequest(
  request: BybitSignedRequest,
  secretOf: (apiKey: string) => string | undefined,
  serverNowMs: number,
): BybitVerifyResult {
  const secret = request.apiKey ? secretOf(request.apiKey) : undefined;
  if (!request.apiKey || secret === undefined) {
    return { ok: false, httpStatus: 200, retCode: 10003, retMsg: 'API key is invalid.' };
  }
  const recvWindow =
    request.recvWindow !== undefined && DIGITS.test(request.recvWindow)
      ? Number(request.recvWindow)
      : BYBIT_DEFAULT_RECV_WINDOW_MS;
  const timestamp =
    request.timestamp !== undefined && DIGITS.test(request.timestamp)
      ? Number(request.timestamp)
      : Number.NaN;
  if (!(serverNowMs - recvWindow <= timestamp && timestamp < serverNowMs + BYBIT_MAX_FUTURE_MS)) {
    return {
      ok: false,
      httpStatus: 200,
      retCode: 10002,
      retMsg:
        'invalid request, please check your server timestamp or recv_window param. ' +
        `req_timestamp[${Number.isNaN(timestamp) ? '' : timestamp}],server_timestamp[${serverNowMs}],recv_window[${recvWindow}]`,
    };
  }
  const given =
    request.sign !== undefined && HEX64.test(request.sign) ? Buffer.from(request.sign, 'hex') : undefined;
  // Signed as sent: the header strings, not their parsed values.
  const expected = Buffer.from(
    bybitSignature(
      secret,
      request.timestamp ?? '',
      request.apiKey,
      request.recvWindow ?? '',
      request.payload,
    ),
    'hex',
  );
  if (!given || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      httpStatus: 200,
      retCode: 10004,
      retMsg: 'Error sign, please check your signature generation algorithm.',
    };
  }
  return { ok: true, apiKey: request.apiKey };
}
