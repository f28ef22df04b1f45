/**
 * KuCoin spot public websocket messages and the REST level-2 snapshot, as the venue sends them.
 * See README.md beside this file for the calibration (book-sync) rules.
 */
import { parseDecimal } from '../../num/parse-decimal.ts';
import { isLevelArray, isObject, type JsonObject } from '../wire-guards.ts';

/**
 * Sequence numbers arrive as JSON numbers (~1.6e12, exact in a double) or as decimal strings; the
 * guards leave them `unknown` and the feed reads them with sequenceId, so that a bad one is refused
 * as 'bad_sequence' by the rules that own it.
 */
export type WireSequence = unknown;

/** `[price, size, sequence]`. Price "0" = nothing to change, the entry only advances the sequence. */
export type WireChange = readonly [price: string, size: string, sequence: WireSequence, ...unknown[]];

/** Envelope of every pushed data message. */
export interface Envelope {
  readonly type: 'message';
  readonly topic: string;
  readonly subject: string;
  readonly data: unknown;
}

/** `/market/level2:{symbol}` subject `trade.l2update`: the changes with sequences in [start, end]. */
export interface L2Update {
  readonly symbol: string;
  readonly sequenceStart: WireSequence;
  readonly sequenceEnd: WireSequence;
  readonly changes: { readonly asks: readonly WireChange[]; readonly bids: readonly WireChange[] };
  /** ms; absent in older recordings. */
  readonly time?: number;
}

/** `/market/match:{symbol}` subject `trade.l3match` (and `trade.l2match`): `side` is the taker's. */
export interface Match {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly price: string;
  readonly size: string;
  readonly tradeId: string;
  /** Nanoseconds, as a string ("1619378327739050725") or a number. */
  readonly time: string | number;
  readonly sequence?: WireSequence;
}

/** Body of `GET /api/v3/market/orderbook/level2` (also `/api/v1/market/orderbook/level2_20|_100`). */
export interface RestResponse {
  readonly code: string;
  readonly msg?: string;
  readonly data?: unknown;
}

export interface OrderbookSnapshot {
  readonly sequence: WireSequence;
  readonly time?: number;
  readonly bids: ReadonlyArray<readonly [string, string, ...unknown[]]>;
  readonly asks: ReadonlyArray<readonly [string, string, ...unknown[]]>;
}

/** The REST success code. */
export const REST_OK = '200000';

/**
 * KuCoin writes times in ms, or in ns (trade `time`, as a string so that no digit is lost). → µs.
 * Told apart by size: ns values have 19 digits, ms 13.
 */
export function kucoinTimeToMicros(v: unknown): number {
  if (typeof v === 'string') {
    if (!/^\d+$/.test(v)) return 0;
    if (v.length >= 18) return parseDecimal(v.slice(0, -3), 0); // ns: cut, don't divide
    if (v.length >= 15) return parseDecimal(v, 0); // µs
    return parseDecimal(v, 0) * 1000; // ms
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return 0;
  if (v > 1e17) return Math.trunc(v / 1000); // ns (already rounded by JSON.parse)
  if (v > 1e14) return Math.trunc(v);
  return Math.trunc(v * 1000);
}

function isChangeArray(v: unknown): v is readonly WireChange[] {
  if (!Array.isArray(v)) return false;
  for (const c of v) {
    if (!Array.isArray(c) || typeof c[0] !== 'string' || typeof c[1] !== 'string') return false;
  }
  return true;
}

export function isEnvelope(v: JsonObject): v is JsonObject & Envelope {
  return v.type === 'message' && typeof v.topic === 'string' && typeof v.subject === 'string';
}

export function isL2Update(v: unknown): v is JsonObject & L2Update {
  if (!isObject(v)) return false;
  const c = v.changes;
  return (
    typeof v.symbol === 'string' &&
    (v.time === undefined || typeof v.time === 'number') &&
    isObject(c) &&
    isChangeArray(c.asks) &&
    isChangeArray(c.bids)
  );
}

export function isMatch(v: unknown): v is JsonObject & Match {
  return (
    isObject(v) &&
    typeof v.symbol === 'string' &&
    (v.side === 'buy' || v.side === 'sell') &&
    typeof v.price === 'string' &&
    typeof v.size === 'string' &&
    typeof v.tradeId === 'string' &&
    (typeof v.time === 'string' || typeof v.time === 'number')
  );
}

export function isRestResponse(v: unknown): v is JsonObject & RestResponse {
  return isObject(v) && typeof v.code === 'string';
}

export function isOrderbookSnapshot(v: unknown): v is JsonObject & OrderbookSnapshot {
  return (
    isObject(v) &&
    (v.time === undefined || typeof v.time === 'number') &&
    isLevelArray(v.bids) &&
    isLevelArray(v.asks)
  );
}
