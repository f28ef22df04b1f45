/**
 * Binance's request authentication as the simulator checks it, with Binance's own codes and
 * messages: the key (`X-MBX-APIKEY`; -2014 malformed/absent, -2015 unknown), `timestamp` within
 * `recvWindow` and not 1000 ms ahead of the server (-1021), and the HMAC-SHA256 signature over
 * totalParams = query string (without `signature`) + form body (-1022).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AuthFailure {
  readonly status: number;
  readonly code: number;
  readonly msg: string;
}

export const BAD_SIGNATURE: AuthFailure = {
  status: 400,
  code: -1022,
  msg: 'Signature for this request is not valid.',
};
export const KEY_FORMAT: AuthFailure = { status: 401, code: -2014, msg: 'API-key format invalid.' };
export const UNKNOWN_KEY: AuthFailure = {
  status: 401,
  code: -2015,
  msg: 'Invalid API-key, IP, or permissions for action.',
};

export function mandatory(name: string): AuthFailure {
  return {
    status: 400,
    code: -1102,
    msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
  };
}

/** Raw query string without its `signature` parameter, exactly as sent otherwise. */
export function unsignedQuery(rawQuery: string): { payload: string; signature: string | undefined } {
  let signature: string | undefined;
  const kept: string[] = [];
  for (const part of rawQuery.split('&')) {
    if (part.startsWith('signature=')) signature = decodeURIComponent(part.slice('signature='.length));
    else if (part !== '') kept.push(part);
  }
  return { payload: kept.join('&'), signature };
}

/** -1021 checks: `timestamp` not 1000 ms ahead of the server, not older than `recvWindow`. */
export function checkTimestamp(params: URLSearchParams, serverMs: number): AuthFailure | undefined {
  const raw = params.get('timestamp');
  if (raw === null || !/^\d{1,16}$/.test(raw)) return mandatory('timestamp');
  const ts = Number(raw);
  const windowRaw = params.get('recvWindow');
  const recvWindow = windowRaw === null ? 5000 : Number(windowRaw);
  if (!Number.isFinite(recvWindow) || recvWindow <= 0) return mandatory('recvWindow');
  if (recvWindow > 60_000) return { status: 400, code: -1131, msg: 'recvWindow must be less than 60000' };
  if (ts >= serverMs + 1000)
    return {
      status: 400,
      code: -1021,
      msg: "Timestamp for this request was 1000ms ahead of the server's time.",
    };
  if (serverMs - ts > recvWindow)
    return { status: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
  return undefined;
}

export function signatureValid(secret: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(createHmac('sha256', secret).update(payload, 'utf8').digest('hex'));
  const given = Buffer.from(signature.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
