/**
 * Binance wire messages (spot and USD-M futures), as the venue sends them. See README.md beside
 * this file for the book-sync rules.
 */
import { sequenceId } from '../sequence-id.ts';
import { isLevelArray, isObject, type JsonObject } from '../wire-guards.ts';

export type WireLevels = ReadonlyArray<readonly [price: string, size: string]>;

/** `<symbol>@depth[@100ms|@0ms]` diff. Futures add `pu` (previous final id) and `T`. */
export interface DepthUpdate {
  readonly e: 'depthUpdate';
  readonly E: number;
  readonly T?: number;
  readonly s: string;
  readonly U: number;
  readonly u: number;
  readonly pu?: number;
  readonly b: WireLevels;
  readonly a: WireLevels;
}

/** `<symbol>@trade`: `m` = buyer is maker, so the aggressor sold. */
export interface Trade {
  readonly e: 'trade';
  readonly E: number;
  readonly T: number;
  readonly s: string;
  readonly t: number;
  readonly p: string;
  readonly q: string;
  readonly m: boolean;
}

/** `<symbol>@aggTrade`: `a` is the aggregate trade id. */
export interface AggTrade {
  readonly e: 'aggTrade';
  readonly E: number;
  readonly T: number;
  readonly s: string;
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly m: boolean;
}

/** Futures `<symbol>@markPrice`. */
export interface MarkPriceUpdate {
  readonly e: 'markPriceUpdate';
  readonly E: number;
  readonly s: string;
  readonly p: string;
  readonly i: string;
  readonly r: string;
  readonly T: number;
}

/** REST `GET /api/v3/depth` and `/fapi/v1/depth`. `lastUpdateId` is read with {@link updateId}. */
export interface DepthSnapshot {
  readonly lastUpdateId: unknown;
  readonly E?: number;
  readonly T?: number;
  readonly bids: WireLevels;
  readonly asks: WireLevels;
}

/** Combined-stream envelope `/stream?streams=…`. */
export interface CombinedEnvelope {
  readonly stream: string;
  readonly data: JsonObject;
}

export function isCombined(v: unknown): v is CombinedEnvelope {
  return isObject(v) && typeof v.stream === 'string' && isObject(v.data);
}

export function isDepthUpdate(v: JsonObject): v is JsonObject & DepthUpdate {
  return (
    v.e === 'depthUpdate' &&
    typeof v.s === 'string' &&
    typeof v.U === 'number' &&
    typeof v.u === 'number' &&
    (v.pu === undefined || typeof v.pu === 'number') &&
    isLevelArray(v.b) &&
    isLevelArray(v.a)
  );
}

export function isTrade(v: JsonObject): v is JsonObject & Trade {
  return (
    v.e === 'trade' &&
    typeof v.s === 'string' &&
    typeof v.t === 'number' &&
    typeof v.p === 'string' &&
    typeof v.q === 'string' &&
    typeof v.m === 'boolean'
  );
}

export function isAggTrade(v: JsonObject): v is JsonObject & AggTrade {
  return (
    v.e === 'aggTrade' &&
    typeof v.s === 'string' &&
    typeof v.a === 'number' &&
    typeof v.p === 'string' &&
    typeof v.q === 'string' &&
    typeof v.m === 'boolean'
  );
}

export function isMarkPriceUpdate(v: JsonObject): v is JsonObject & MarkPriceUpdate {
  return (
    v.e === 'markPriceUpdate' &&
    typeof v.s === 'string' &&
    typeof v.p === 'string' &&
    typeof v.i === 'string' &&
    typeof v.r === 'string' &&
    typeof v.T === 'number'
  );
}

export function isDepthSnapshot(v: unknown): v is DepthSnapshot {
  return isObject(v) && isLevelArray(v.bids) && isLevelArray(v.asks);
}

/** An update id (U, u, pu, lastUpdateId) exactly as Binance sends it: a JSON integer below 2^53. */
export function updateId(v: unknown): number | undefined {
  return typeof v === 'number' ? sequenceId(v) : undefined;
}
