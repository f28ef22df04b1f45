/**
 * One Bybit order or execution record in one typed shape, whether it came from the private stream
 * (`order` / `execution` topics, inside `data[]`) or from REST (`/v5/order/realtime`,
 * `/v5/execution/list`, inside `result.list[]`): both use the same keys (docs/execution.md, Bybit
 * streams). Decimal fields stay strings here; the adapter parses them at the instrument's scales.
 */
import { sequenceId } from '../../../core/venues/sequence-id.ts';
import type { JsonObject } from '../../../core/venues/wire-guards.ts';

export interface BybitOrderRecord {
  readonly symbol: string;
  readonly orderId: string;
  readonly orderLinkId: string;
  /** New, PartiallyFilled, Filled, Cancelled, PartiallyFilledCanceled, Deactivated, Rejected, Untriggered, Triggered. */
  readonly orderStatus: string;
  /** EC_NoError, EC_PostOnlyWillTakeLiquidity, EC_NoImmediateQtyToFill, EC_CancelForNoFullFill, … */
  readonly rejectReason: string;
  readonly timeInForce: string;
  readonly side: string;
  readonly orderType: string;
  readonly price: string;
  readonly qty: string;
  readonly cumExecQty: string;
}

export interface BybitExecutionRecord {
  readonly symbol: string;
  readonly orderId: string;
  readonly orderLinkId: string;
  readonly execId: string;
  /** Trade, AdlTrade, Funding, BustTrade, Delivery, Settle, BlockTrade, … */
  readonly execType: string;
  readonly side: string;
  readonly execPrice: string;
  readonly execQty: string;
  readonly execFee: string;
  /** Spot fills name the fee coin; linear fees are in the settle coin (empty here). */
  readonly feeCurrency: string;
  readonly isMaker: boolean;
  /** Venue time, ms. */
  readonly execTimeMs: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Undefined when a key the adapter needs is missing or mistyped. */
export function parseOrderRecord(o: JsonObject): BybitOrderRecord | undefined {
  const { symbol, orderId, orderStatus } = o;
  if (typeof symbol !== 'string' || typeof orderId !== 'string' || typeof orderStatus !== 'string')
    return undefined;
  return {
    symbol,
    orderId,
    orderLinkId: str(o.orderLinkId),
    orderStatus,
    rejectReason: str(o.rejectReason),
    timeInForce: str(o.timeInForce),
    side: str(o.side),
    orderType: str(o.orderType),
    price: str(o.price),
    qty: str(o.qty),
    cumExecQty: str(o.cumExecQty),
  };
}

export function parseExecutionRecord(o: JsonObject): BybitExecutionRecord | undefined {
  const { symbol, orderId, execId, execPrice, execQty } = o;
  if (
    typeof symbol !== 'string' ||
    typeof orderId !== 'string' ||
    typeof execId !== 'string' ||
    execId === '' ||
    typeof execPrice !== 'string' ||
    typeof execQty !== 'string'
  )
    return undefined;
  // A safe non-negative integer ms, as a string (Bybit's form) or a number; else unknown (0).
  const t = o.execTime;
  return {
    symbol,
    orderId,
    orderLinkId: str(o.orderLinkId),
    execId,
    execType: str(o.execType) || 'Trade',
    side: str(o.side),
    execPrice,
    execQty,
    execFee: str(o.execFee) || '0',
    feeCurrency: str(o.feeCurrency),
    isMaker: o.isMaker === true,
    execTimeMs: sequenceId(t) ?? 0,
  };
}
