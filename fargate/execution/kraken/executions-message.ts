/**
 * Kraken WS v2 private stream (`wss://ws-auth.kraken.com/v2`, channel `executions`), typed: frame
 * classes for the connection, and each `data[]` entry of a snapshot or update as one execution.
 * Decimal fields stay text (v2 writes JSON numbers; see wire-decimal.ts); the adapter parses them at
 * the instrument's scales. A trade entry (`exec_id` and `last_qty`) is a whole fill: `exec_id` is
 * the trade txid TradesHistory lists (the dedup key both paths share). docs/venue-order-streams.md.
 */
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { StreamFrameKind } from '../private-order-stream.ts';
import { decimalText } from '../wire-decimal.ts';

export interface KrakenTrade {
  readonly execId: string;
  readonly lastQty: string;
  readonly lastPrice: string;
  /** Sum of `fees[].qty` (one asset on spot), and that asset. */
  readonly fee: string;
  readonly feeAsset: string;
  readonly maker: boolean;
}

export interface KrakenExecution {
  readonly orderId: string;
  readonly clOrdId: string;
  /** pending_new, new, partially_filled, filled, canceled, expired. */
  readonly orderStatus: string;
  /** Executed so far (text), '' when the entry does not say. */
  readonly cumQty: string;
  /** Venue time, ms (0: unknown). */
  readonly timeMs: number;
  readonly trade: KrakenTrade | undefined;
}

export function classifyKrakenFrame(frame: JsonObject): StreamFrameKind {
  if (frame.method === 'subscribe') return frame.success === true ? 'subscribed' : 'refused';
  if (frame.channel === 'status') return 'welcome';
  if (frame.channel === 'executions') return 'data';
  return 'control';
}

/** The entries of an `executions` frame; undefined when the frame or any entry is malformed. */
export function parseKrakenExecutions(frame: JsonObject): KrakenExecution[] | undefined {
  if (frame.channel !== 'executions' || (frame.type !== 'snapshot' && frame.type !== 'update'))
    return undefined;
  if (!Array.isArray(frame.data)) return undefined;
  const out: KrakenExecution[] = [];
  for (const e of frame.data) {
    const parsed = isObject(e) ? parseEntry(e) : undefined;
    if (!parsed) return undefined;
    out.push(parsed);
  }
  return out;
}

function parseEntry(e: JsonObject): KrakenExecution | undefined {
  const { order_id, order_status } = e;
  if (typeof order_id !== 'string' || order_id === '' || typeof order_status !== 'string') return undefined;
  const cumQty = e.cum_qty === undefined ? '' : decimalText(e.cum_qty);
  if (cumQty === undefined) return undefined;
  const time = typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : Number.NaN;
  let trade: KrakenTrade | undefined;
  if (e.exec_type === 'trade') {
    trade = parseTrade(e);
    if (!trade) return undefined;
  }
  return {
    orderId: order_id,
    clOrdId: typeof e.cl_ord_id === 'string' ? e.cl_ord_id : '',
    orderStatus: order_status,
    cumQty,
    timeMs: Number.isFinite(time) ? time : 0,
    trade,
  };
}

function parseTrade(e: JsonObject): KrakenTrade | undefined {
  const lastQty = decimalText(e.last_qty);
  const lastPrice = decimalText(e.last_price);
  if (typeof e.exec_id !== 'string' || e.exec_id === '' || !lastQty || !lastPrice) return undefined;
  let fee = '0';
  let feeAsset = '';
  if (e.fees !== undefined) {
    if (!Array.isArray(e.fees) || e.fees.length > 1) return undefined;
    const f: unknown = e.fees[0];
    if (f !== undefined) {
      const qty = isObject(f) ? decimalText(f.qty) : undefined;
      if (!isObject(f) || qty === undefined || typeof f.asset !== 'string') return undefined;
      fee = qty;
      feeAsset = f.asset;
    }
  }
  return { execId: e.exec_id, lastQty, lastPrice, fee, feeAsset, maker: e.liquidity_ind === 'm' };
}
