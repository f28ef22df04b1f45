/**
 * USD-M user data still uses a listenKey (docs/execution.md): `POST /fapi/v1/listenKey` returns the
 * active key (and extends it), `PUT` keeps it alive (60 min validity; -1125 → POST again), and the
 * stream is `/private/ws?listenKey=<key>&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE`.
 */
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { BinanceRest } from '../binance/binance-rest.ts';
import type { StreamSession } from '../binance/user-stream.ts';

export const LISTEN_KEY_PATH = '/fapi/v1/listenKey';
/** Keepalive period: well inside the 60 min validity. */
export const KEEPALIVE_MS = 30 * 60_000;

export async function futuresStreamSession(rest: BinanceRest, wsBase: string): Promise<StreamSession> {
  const body = await rest.keyed('POST', LISTEN_KEY_PATH, {}, 1);
  const key = isObject(body) ? body.listenKey : undefined;
  if (typeof key !== 'string' || key === '') throw new Error('listenKey request answered without a key');
  rest.options.redactor.addSecret(key);
  return {
    url: `${wsBase}/private/ws?listenKey=${encodeURIComponent(key)}&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE`,
  };
}

export function keepAlive(rest: BinanceRest): Promise<unknown> {
  return rest.keyed('PUT', LISTEN_KEY_PATH, {}, 1);
}

/** The order object of an ORDER_TRADE_UPDATE frame. */
export function unwrapFuturesEvent(frame: JsonObject): JsonObject | undefined {
  if (frame.e !== 'ORDER_TRADE_UPDATE' || !isObject(frame.o)) return undefined;
  return frame.o;
}
