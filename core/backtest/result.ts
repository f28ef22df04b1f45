/**
 * The record a backtest produces — the contract between the engine (which fills it) and analytics,
 * reports, sweeps and the CLI (which read it). Money and quantities here are in QUOTE/BASE currency
 * as doubles: results are for humans and statistics, not for books or orders, which stay integer.
 * Timestamps are µs (localTs of the event that caused them).
 */

import type { Micros, Side } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';

export type Liquidity = 'maker' | 'taker';

export interface FillRecord {
  readonly ts: Micros;
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly orderId: string;
  readonly side: Side;
  /** Execution price (quote currency per base unit). */
  readonly price: number;
  /** Base quantity. */
  readonly size: number;
  /** Fee paid in quote currency; negative for a rebate. */
  readonly fee: number;
  readonly liquidity: Liquidity;
}

export type OrderFinalState = 'filled' | 'canceled' | 'rejected' | 'open';

export interface OrderRecord {
  readonly orderId: string;
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'limit' | 'market';
  readonly price: number | null;
  readonly size: number;
  readonly filledSize: number;
  readonly submittedTs: Micros;
  /** When the order reached its final state (or the end of the run for 'open'). */
  readonly finalTs: Micros;
  readonly state: OrderFinalState;
  /** Typed reason for a reject ('tick', 'lot', 'min_notional', 'post_only_cross', 'latency', …). */
  readonly rejectReason?: string;
}

/** A closed round trip: position opened and brought back to flat (FIFO matching of fills). */
export interface RoundTrip {
  readonly symbol: string;
  readonly side: Side;
  readonly entryTs: Micros;
  readonly exitTs: Micros;
  readonly size: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net of fees, quote currency. */
  readonly pnl: number;
}

export interface EquityPoint {
  readonly ts: Micros;
  /** Cash + marked-to-market positions, quote currency. */
  readonly equity: number;
  /** Net base position (sum over symbols for single-symbol runs). */
  readonly position: number;
  /** Mid price used for marking. */
  readonly mid: number;
}

export interface BacktestResult {
  readonly runId: string;
  readonly strategy: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly scenario: string;
  readonly seed: number;
  readonly symbols: readonly string[];
  readonly startTs: Micros;
  readonly endTs: Micros;
  readonly initialCapital: number;
  readonly events: number;
  readonly orders: readonly OrderRecord[];
  readonly fills: readonly FillRecord[];
  readonly roundTrips: readonly RoundTrip[];
  readonly equity: readonly EquityPoint[];
  /** Funding paid (positive) or received (negative) on perpetuals, quote currency. */
  readonly funding: number;
}
