/**
 * Kraken spot websocket messages as the venue sends them (see README.md beside this file).
 *
 * v1 (wss://ws.kraken.com) writes every decimal as a JSON string, so JSON.parse keeps them exact and
 * the v1 feed reads these shapes through the guards below. v2 (wss://ws.kraken.com/v2) writes prices
 * and quantities as JSON numbers; its frames are read with json-scan.ts, and the v2 types here only
 * document the layout.
 */
import { isObject, type JsonObject } from '../wire-guards.ts';

// ---------------------------------------------------------------- v1

/** `[price, volume, timestamp]`, plus `"r"` on a republished level. All strings. */
export type V1Level = readonly [price: string, volume: string, timestamp: string, ...flags: string[]];

/** Book snapshot payload: `{"as":[...],"bs":[...]}`. */
export interface V1BookSnapshot {
  readonly as: readonly V1Level[];
  readonly bs: readonly V1Level[];
}

/** One book update payload: `{"a":[...]}`, `{"b":[...]}` or both; `c` (CRC-32, unsigned, as a string) in the last one. */
export interface V1BookUpdate {
  readonly a?: readonly V1Level[];
  readonly b?: readonly V1Level[];
  readonly c?: string;
}

/** `[price, volume, time, side "b"|"s", orderType "l"|"m", misc]`. */
export type V1TradeEntry = readonly [
  price: string,
  volume: string,
  time: string,
  side: string,
  orderType: string,
  misc: string,
];

/** `[channelID, payload…, channelName, pair]`: book-N, trade, ticker, spread, ohlc-N. */
export type V1ChannelMessage = readonly [number, ...unknown[]];

/** `{"event":"subscriptionStatus",...}`. channelID/channelName/pair are absent on errors. */
export interface V1SubscriptionStatus {
  readonly event: 'subscriptionStatus';
  readonly status: string;
  readonly channelID?: number;
  readonly channelName?: string;
  readonly pair?: string;
  readonly subscription?: { readonly name?: string; readonly depth?: number };
  readonly errorMessage?: string;
}

export function isV1Level(v: unknown): v is V1Level {
  return Array.isArray(v) && v.length >= 3 && v.every((x) => typeof x === 'string');
}

export function isV1Levels(v: unknown): v is readonly V1Level[] {
  return Array.isArray(v) && v.every(isV1Level);
}

/** Both keys may be missing when a side is empty; present keys must be level arrays. */
export function isV1BookSnapshot(v: unknown): v is V1BookSnapshot {
  if (!isObject(v) || !('as' in v || 'bs' in v)) return false;
  return (v.as === undefined || isV1Levels(v.as)) && (v.bs === undefined || isV1Levels(v.bs));
}

export function isV1BookUpdate(v: unknown): v is V1BookUpdate {
  if (!isObject(v) || !('a' in v || 'b' in v || 'c' in v)) return false;
  return (
    (v.a === undefined || isV1Levels(v.a)) &&
    (v.b === undefined || isV1Levels(v.b)) &&
    (v.c === undefined || typeof v.c === 'string')
  );
}

export function isV1TradeEntries(v: unknown): v is readonly V1TradeEntry[] {
  return (
    Array.isArray(v) &&
    v.every(
      (t) =>
        Array.isArray(t) &&
        t.length >= 4 &&
        typeof t[0] === 'string' &&
        typeof t[1] === 'string' &&
        typeof t[2] === 'string' &&
        typeof t[3] === 'string',
    )
  );
}

/** `[number, …, string, string]` with at least one payload. */
export function isV1ChannelMessage(v: unknown): v is V1ChannelMessage {
  return (
    Array.isArray(v) &&
    v.length >= 4 &&
    typeof v[0] === 'number' &&
    typeof v[v.length - 2] === 'string' &&
    typeof v[v.length - 1] === 'string'
  );
}

export function isV1Event(v: unknown): v is JsonObject & { readonly event: string } {
  return isObject(v) && typeof v.event === 'string';
}

export function isV1SubscriptionStatus(v: JsonObject): v is JsonObject & V1SubscriptionStatus {
  return (
    v.event === 'subscriptionStatus' &&
    typeof v.status === 'string' &&
    (v.channelID === undefined || typeof v.channelID === 'number') &&
    (v.channelName === undefined || typeof v.channelName === 'string') &&
    (v.pair === undefined || typeof v.pair === 'string')
  );
}

// ---------------------------------------------------------------- v2 (layout only; read with json-scan.ts)

/** A book level: `{"price": <number>, "qty": <number>}`; the number TEXT carries the precision. */
export interface V2Level {
  readonly price: number;
  readonly qty: number;
}

/** `{"channel":"book","type":"snapshot"|"update","data":[V2BookData]}`. */
export interface V2BookData {
  readonly symbol: string;
  readonly bids: readonly V2Level[];
  readonly asks: readonly V2Level[];
  /** CRC-32 of the top 10 levels, unsigned; on snapshots and updates. */
  readonly checksum: number;
  /** RFC 3339; updates only. */
  readonly timestamp?: string;
}

/** `{"channel":"trade","type":"snapshot"|"update","data":[V2Trade]}`. */
export interface V2Trade {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly qty: number;
  readonly ord_type: 'limit' | 'market';
  readonly trade_id: number;
  readonly timestamp: string;
}

/** `{"channel":"instrument","type":"snapshot"|"update","data":{"assets":[...],"pairs":[V2Pair]}}`. */
export interface V2Pair {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly status: string;
  readonly price_precision: number;
  readonly qty_precision: number;
  readonly price_increment: number;
  readonly qty_increment: number;
  readonly qty_min: number;
  readonly cost_min?: number;
}

/** Method responses: `{"method":"subscribe","result":{"channel":"book","depth":10,"symbol":"BTC/USD"},"success":true,...}`. */
export interface V2MethodResponse {
  readonly method: string;
  readonly success?: boolean;
  readonly result?: { readonly channel?: string; readonly depth?: number; readonly symbol?: string };
  readonly error?: string;
}

export function isV2MethodResponse(v: unknown): v is JsonObject & V2MethodResponse {
  return (
    isObject(v) &&
    typeof v.method === 'string' &&
    (v.result === undefined || isObject(v.result)) &&
    (v.success === undefined || typeof v.success === 'boolean')
  );
}
