/**
 * Coinbase Exchange websocket (`wss://ws-feed.exchange.coinbase.com`) and REST book messages, as the
 * venue sends them. See README.md beside this file for the rules the feed applies to them.
 */
import { sequenceId } from '../sequence-id.ts';
import { isLevelArray, isObject, type JsonObject } from '../wire-guards.ts';

/** Order side as Coinbase writes it. On `match` it is the MAKER's side. */
export type WireSide = 'buy' | 'sell';

export type WireLevels = ReadonlyArray<readonly [price: string, size: string, ...rest: unknown[]]>;

/** `level2` / `level2_batch`: the whole book, sent once after subscribing. */
export interface L2Snapshot {
  readonly type: 'snapshot';
  readonly product_id: string;
  readonly bids: WireLevels;
  readonly asks: WireLevels;
  readonly time?: string;
}

/** `level2` / `level2_batch`: new absolute sizes ("0" removes). No sequence number. */
export interface L2Update {
  readonly type: 'l2update';
  readonly product_id: string;
  readonly time: string;
  readonly changes: ReadonlyArray<readonly unknown[]>;
}

/** `matches` / `full`: a trade. `last_match` is the most recent trade, sent once on subscribing. */
export interface Match {
  readonly type: 'match' | 'last_match';
  readonly trade_id: number;
  readonly maker_order_id: string;
  readonly taker_order_id: string;
  readonly side: WireSide;
  readonly size: string;
  readonly price: string;
  readonly product_id: string;
  readonly sequence: number;
  readonly time: string;
}

/** The `full` channel's order life-cycle messages; each carries the product's `sequence`. */
export type FullType = 'received' | 'open' | 'done' | 'match' | 'change' | 'activate';

/** Common envelope of a `full` channel message; the per-type fields are checked where used. */
export interface FullMessage extends JsonObject {
  readonly type: FullType;
  readonly product_id: string;
  readonly sequence: number;
}

/** REST `GET /products/<id>/book?level=3`: every order, best level first, queue order within a level. */
export interface L3Snapshot {
  readonly sequence: number;
  readonly bids: ReadonlyArray<readonly [price: string, size: string, orderId: string]>;
  readonly asks: ReadonlyArray<readonly [price: string, size: string, orderId: string]>;
}

export function isSide(v: unknown): v is WireSide {
  return v === 'buy' || v === 'sell';
}

export function isL2Snapshot(v: JsonObject): v is JsonObject & L2Snapshot {
  return (
    v.type === 'snapshot' && typeof v.product_id === 'string' && isLevelArray(v.bids) && isLevelArray(v.asks)
  );
}

export function isL2Update(v: JsonObject): v is JsonObject & L2Update {
  return (
    v.type === 'l2update' &&
    typeof v.product_id === 'string' &&
    Array.isArray(v.changes) &&
    v.changes.every((c) => Array.isArray(c))
  );
}

export function isMatch(v: JsonObject): v is JsonObject & Match {
  return (
    (v.type === 'match' || v.type === 'last_match') &&
    typeof v.product_id === 'string' &&
    typeof v.trade_id === 'number' &&
    typeof v.maker_order_id === 'string' &&
    typeof v.taker_order_id === 'string' &&
    isSide(v.side) &&
    typeof v.size === 'string' &&
    typeof v.price === 'string'
  );
}

const FULL_TYPES: ReadonlySet<unknown> = new Set<FullType>([
  'received',
  'open',
  'done',
  'match',
  'change',
  'activate',
]);

export function isFullType(type: unknown): type is FullType {
  return FULL_TYPES.has(type);
}

/** A sequenced `full` channel message (the type-specific fields are not checked here). */
export function isFullMessage(v: JsonObject): v is FullMessage {
  return (
    isFullType(v.type) &&
    typeof v.product_id === 'string' &&
    typeof v.sequence === 'number' &&
    sequenceId(v.sequence) !== undefined
  );
}

function isOrderLevelArray(v: unknown): v is L3Snapshot['bids'] {
  if (!Array.isArray(v)) return false;
  for (const level of v) {
    if (
      !Array.isArray(level) ||
      typeof level[0] !== 'string' ||
      typeof level[1] !== 'string' ||
      typeof level[2] !== 'string'
    )
      return false;
  }
  return true;
}

export function isL3Snapshot(v: unknown): v is L3Snapshot {
  return (
    isObject(v) &&
    typeof v.sequence === 'number' &&
    sequenceId(v.sequence) !== undefined &&
    isOrderLevelArray(v.bids) &&
    isOrderLevelArray(v.asks)
  );
}

/** A string field of a message, or undefined. */
export function str(v: JsonObject, key: string): string | undefined {
  const x = v[key];
  return typeof x === 'string' ? x : undefined;
}
