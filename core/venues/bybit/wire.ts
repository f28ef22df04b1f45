/**
 * Bybit v5 public websocket messages (linear, inverse and spot share the layout), as the venue sends
 * them. See README.md beside this file for the book-sync rules.
 */
import { isLevelArray, isObject, type JsonObject } from '../wire-guards.ts';

export type WireLevels = ReadonlyArray<readonly [price: string, size: string, ...unknown[]]>;

/** `orderbook.{depth}.{symbol}`: a snapshot (resets the book) or a delta (absolute sizes, "0" removes). */
export interface OrderbookMessage {
  readonly topic: string;
  readonly type: 'snapshot' | 'delta';
  /** When the system generated the data, ms. */
  readonly ts: number;
  /** Matching-engine time, ms (correlates with trade `T`); absent on some older streams. */
  readonly cts?: number;
  readonly data: {
    readonly s: string;
    readonly b: WireLevels;
    readonly a: WireLevels;
    /** Update id: consecutive per topic; 1 = service restart, the message is a full book. Read with sequenceId. */
    readonly u: unknown;
    /** Cross sequence (matching-engine version, comparable across depths; never goes back). Read with sequenceId. */
    readonly seq?: unknown;
  };
}

/** One fill of `publicTrade.{symbol}`. `S` is the taker side. */
export interface PublicTrade {
  readonly T: number;
  readonly s: string;
  readonly S: 'Buy' | 'Sell';
  readonly v: string;
  readonly p: string;
  readonly i: string;
  /** Block trade. */
  readonly BT?: boolean;
}

export interface PublicTradeMessage {
  readonly topic: string;
  readonly type: string;
  readonly ts: number;
  readonly data: readonly PublicTrade[];
}

/**
 * `tickers.{symbol}` (linear/inverse): the snapshot carries every field, a delta only the fields that
 * changed. All numbers are decimal strings; `nextFundingTime` is ms as a string.
 */
export interface TickerFields {
  readonly symbol: string;
  readonly lastPrice?: string;
  readonly markPrice?: string;
  readonly indexPrice?: string;
  readonly fundingRate?: string;
  readonly nextFundingTime?: string;
  readonly openInterest?: string;
}

export interface TickerMessage {
  readonly topic: string;
  readonly type: 'snapshot' | 'delta';
  readonly ts: number;
  readonly data: JsonObject & TickerFields;
}

/** Replies to our own requests: subscribe acks, pongs (`op` "ping" or "pong"), errors (`success` false). */
export interface OpResponse {
  readonly op: string;
  readonly success?: boolean;
  readonly ret_msg?: string;
}

/** Parsed `orderbook.{depth}.{symbol}` topic. */
export interface OrderbookTopic {
  readonly depth: number;
  readonly symbol: string;
}

const ORDERBOOK_TOPIC = /^orderbook\.(\d+)\.([A-Za-z0-9_-]+)$/;

/** `orderbook.500.XRPUSDT` → { depth: 500, symbol: 'XRPUSDT' }; undefined for anything else. */
export function parseOrderbookTopic(topic: string): OrderbookTopic | undefined {
  const m = ORDERBOOK_TOPIC.exec(topic);
  if (!m) return undefined;
  const depth = Number(m[1]);
  return depth > 0 ? { depth, symbol: m[2]! } : undefined;
}

export function isOrderbookMessage(v: JsonObject): v is JsonObject & OrderbookMessage {
  if (typeof v.topic !== 'string' || (v.type !== 'snapshot' && v.type !== 'delta')) return false;
  if (typeof v.ts !== 'number' || (v.cts !== undefined && typeof v.cts !== 'number')) return false;
  const d = v.data;
  return isObject(d) && typeof d.s === 'string' && isLevelArray(d.b) && isLevelArray(d.a);
}

function isPublicTrade(v: unknown): v is PublicTrade {
  return (
    isObject(v) &&
    typeof v.T === 'number' &&
    typeof v.s === 'string' &&
    (v.S === 'Buy' || v.S === 'Sell') &&
    typeof v.v === 'string' &&
    typeof v.p === 'string' &&
    typeof v.i === 'string'
  );
}

export function isPublicTradeMessage(v: JsonObject): v is JsonObject & PublicTradeMessage {
  return (
    typeof v.topic === 'string' &&
    typeof v.ts === 'number' &&
    Array.isArray(v.data) &&
    v.data.every(isPublicTrade)
  );
}

const TICKER_STRING_FIELDS = [
  'lastPrice',
  'markPrice',
  'indexPrice',
  'fundingRate',
  'nextFundingTime',
  'openInterest',
] as const;

export function isTickerMessage(v: JsonObject): v is JsonObject & TickerMessage {
  if (typeof v.topic !== 'string' || (v.type !== 'snapshot' && v.type !== 'delta')) return false;
  if (typeof v.ts !== 'number') return false;
  const d = v.data;
  if (!isObject(d) || typeof d.symbol !== 'string') return false;
  for (const f of TICKER_STRING_FIELDS) if (d[f] !== undefined && typeof d[f] !== 'string') return false;
  return true;
}

export function isOpResponse(v: JsonObject): v is JsonObject & OpResponse {
  return (
    typeof v.op === 'string' &&
    v.topic === undefined &&
    (v.success === undefined || typeof v.success === 'boolean')
  );
}

/** `GET /v5/market/orderbook` (not used for sync, see README) — recognised so it is refused clearly. */
export function isRestOrderbook(v: unknown): boolean {
  return isObject(v) && typeof v.retCode === 'number' && isObject(v.result);
}
