/**
 * Coinbase Advanced Trade websocket (`wss://advanced-trade-ws.coinbase.com`) messages, as the venue
 * sends them: one envelope per message, a connection-wide `sequence_num`, and channel events.
 * See README.md beside this file for the rules the feed applies to them.
 */
import { isObject, type JsonObject } from '../wire-guards.ts';

/** `{"channel","client_id","timestamp","sequence_num","events":[...]}`. */
export interface AdvancedEnvelope {
  readonly channel: string;
  readonly client_id?: string;
  readonly timestamp: string;
  /** Read with sequenceId. */
  readonly sequence_num: unknown;
  readonly events: readonly unknown[];
}

/** `l2_data` event: a whole book (snapshot) or absolute level sizes ("0" removes). */
export interface L2DataEvent {
  readonly type: 'snapshot' | 'update';
  readonly product_id: string;
  readonly updates: readonly unknown[];
}

/** One level of an `l2_data` event. `offer` is the ask side. */
export interface L2DataLevel {
  readonly side: 'bid' | 'offer' | 'ask';
  readonly event_time?: string;
  readonly price_level: string;
  readonly new_quantity: string;
}

/** `market_trades` event. */
export interface MarketTradesEvent {
  readonly type: 'snapshot' | 'update';
  readonly trades: readonly unknown[];
}

/** One trade; `side` is read as the aggressor's side (see README.md). */
export interface MarketTrade {
  readonly trade_id: string | number;
  readonly product_id: string;
  readonly price: string;
  readonly size: string;
  readonly side: 'BUY' | 'SELL';
  readonly time: string;
}

export function isAdvancedEnvelope(v: JsonObject): v is JsonObject & AdvancedEnvelope {
  return typeof v.channel === 'string' && Array.isArray(v.events);
}

export function isL2DataEvent(v: unknown): v is JsonObject & L2DataEvent {
  return (
    isObject(v) &&
    (v.type === 'snapshot' || v.type === 'update') &&
    typeof v.product_id === 'string' &&
    Array.isArray(v.updates)
  );
}

export function isL2DataLevel(v: unknown): v is JsonObject & L2DataLevel {
  return (
    isObject(v) &&
    (v.side === 'bid' || v.side === 'offer' || v.side === 'ask') &&
    typeof v.price_level === 'string' &&
    typeof v.new_quantity === 'string'
  );
}

export function isMarketTradesEvent(v: unknown): v is JsonObject & MarketTradesEvent {
  return isObject(v) && (v.type === 'snapshot' || v.type === 'update') && Array.isArray(v.trades);
}

export function isMarketTrade(v: unknown): v is JsonObject & MarketTrade {
  return (
    isObject(v) &&
    (typeof v.trade_id === 'string' || typeof v.trade_id === 'number') &&
    typeof v.product_id === 'string' &&
    typeof v.price === 'string' &&
    typeof v.size === 'string' &&
    (v.side === 'BUY' || v.side === 'SELL')
  );
}
