/**
 * Coinbase Advanced Trade `user` channel, typed: frame classes for the connection, and the orders of
 * a `user` message (`events[].orders[]`, snapshot or update) with its `sequence_num`. An order
 * update carries the cumulative filled size but no trade id, so fills themselves come from
 * `/orders/historical/fills` (read when an update shows more filled). Sizes stay text; the adapter
 * parses them at the instrument's scales. docs/venue-order-streams.md.
 */

import { sequenceId } from '../../../core/venues/sequence-id.ts';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { StreamFrameKind } from '../private-order-stream.ts';
import { decimalText } from '../wire-decimal.ts';

export interface CoinbaseUserOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly productId: string;
  /** PENDING, QUEUED, OPEN, CANCEL_QUEUED, FILLED, CANCELLED, EXPIRED, FAILED, UNKNOWN_ORDER_STATUS. */
  readonly status: string;
  readonly cumulativeQuantity: string;
}

export interface CoinbaseUserMessage {
  /** Per connection, from 0. */
  readonly sequence: number;
  readonly orders: readonly CoinbaseUserOrder[];
}

export function classifyCoinbaseFrame(frame: JsonObject): StreamFrameKind {
  if (frame.type === 'error') return 'refused';
  if (frame.channel === 'subscriptions') return 'subscribed';
  if (frame.channel === 'user') return 'data';
  return 'control';
}

/** A `user` message; undefined when it or any order in it is malformed. */
export function parseCoinbaseUserMessage(frame: JsonObject): CoinbaseUserMessage | undefined {
  if (frame.channel !== 'user' || !Array.isArray(frame.events)) return undefined;
  const sequence = sequenceId(frame.sequence_num);
  if (sequence === undefined) return undefined;
  const orders: CoinbaseUserOrder[] = [];
  for (const e of frame.events) {
    if (!isObject(e) || (e.type !== 'snapshot' && e.type !== 'update')) return undefined;
    if (e.orders === undefined) continue;
    if (!Array.isArray(e.orders)) return undefined;
    for (const o of e.orders) {
      const parsed = isObject(o) ? parseOrder(o) : undefined;
      if (!parsed) return undefined;
      orders.push(parsed);
    }
  }
  return { sequence, orders };
}

function parseOrder(o: JsonObject): CoinbaseUserOrder | undefined {
  const { order_id, status, product_id } = o;
  if (typeof order_id !== 'string' || order_id === '' || typeof status !== 'string') return undefined;
  if (typeof product_id !== 'string') return undefined;
  const cumulativeQuantity = decimalText(o.cumulative_quantity);
  if (cumulativeQuantity === undefined) return undefined;
  return {
    orderId: order_id,
    clientOrderId: typeof o.client_order_id === 'string' ? o.client_order_id : '',
    productId: product_id,
    status,
    cumulativeQuantity,
  };
}
