/**
 * One order update from Binance's user-data stream — spot `executionReport` or USD-M
 * `ORDER_TRADE_UPDATE`.`o` — or from a REST order/trade query, in one shape. Keys per
 * docs/execution.md (Binance user data).
 */
import type { JsonObject } from '../../../core/venues/wire-guards.ts';

export interface ExecutionEvent {
  readonly symbol: string;
  /** The order's own client id (a cancel's `C` on spot: the id of the order canceled). */
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  /** NEW, CANCELED, REPLACED, REJECTED, TRADE, EXPIRED, TRADE_PREVENTION, AMENDMENT, CALCULATED. */
  readonly execType: string;
  /** NEW, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED, EXPIRED, EXPIRED_IN_MATCH. */
  readonly status: string;
  readonly lastQty: string;
  readonly lastPrice: string;
  readonly commission: string;
  readonly commissionAsset: string;
  /** -1 / absent when the event is no trade. */
  readonly tradeId: string;
  readonly maker: boolean;
  readonly timeMs: number;
}

import { sequenceId } from '../../../core/venues/sequence-id.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * A price or quantity as the venue's decimal text. Binance sends them as strings; a JSON number
 * has already been rounded to a double by the JSON parser, so it reads as '' (no decimal: refused).
 */
export const decimalString = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A venue time in ms: a safe non-negative integer, else 0 (unknown). */
export const venueMs = (v: unknown): number => sequenceId(v) ?? 0;

/** Spot `executionReport` or USD-M `o`; undefined when a required key is missing. */
export function parseExecutionEvent(o: JsonObject): ExecutionEvent | undefined {
  const symbol = o.s;
  const c = o.c;
  const x = o.x;
  const X = o.X;
  if (typeof symbol !== 'string' || typeof c !== 'string' || typeof x !== 'string' || typeof X !== 'string')
    return undefined;
  const orig = typeof o.C === 'string' && o.C !== '' ? o.C : undefined;
  const tradeId = str(o.t);
  return {
    symbol,
    clientOrderId: orig ?? c,
    venueOrderId: str(o.i),
    execType: x,
    status: X,
    lastQty: decimalString(o.l),
    lastPrice: decimalString(o.L),
    commission: str(o.n) || '0',
    commissionAsset: str(o.N),
    tradeId: tradeId === '-1' ? '' : tradeId,
    maker: o.m === true,
    timeMs: venueMs(o.T),
  };
}
