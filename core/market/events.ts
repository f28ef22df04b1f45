/**
 * The normalized event model. Every event names its venue and unified symbol and carries two
 * clocks, both integer MICROSECONDS since the Unix epoch (a double holds µs exactly until year
 * 2255; nanoseconds would not fit):
 *   exchangeTs — when the venue says it happened (0 when the venue sends no time),
 *   localTs    — when we received it. Replays and backtests order by localTs.
 * Prices and sizes are integers in the instrument's units (see Instrument).
 */
import type { ExchangeId } from './exchange.ts';

export type Micros = number;

/** Aggressor (taker) side of a trade; the side of our own orders. */
export type Side = 'buy' | 'sell';

export type PriceLevel = readonly [price: number, size: number];

interface Header {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly exchangeTs: Micros;
  readonly localTs: Micros;
}

/** The whole book; replaces whatever was there. */
export interface BookSnapshotEvent extends Header {
  readonly type: 'book_snapshot';
  readonly sequence: number | null;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

/** Levels set to an absolute size; size 0 removes the level. */
export interface BookDeltaEvent extends Header {
  readonly type: 'book_delta';
  readonly sequence: number | null;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

export interface TradeEvent extends Header {
  readonly type: 'trade';
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
  /** Aggressor side; 'unknown' where the venue does not say. */
  readonly side: Side | 'unknown';
}

export type L3Action = 'received' | 'open' | 'done' | 'match' | 'change';

/** Order-level (L3) event, Coinbase full channel. */
export interface L3OrderEvent extends Header {
  readonly type: 'l3_order';
  readonly action: L3Action;
  readonly sequence: number;
  readonly orderId: string;
  /** Side of the resting (maker) order. */
  readonly side: Side;
  readonly price: number;
  /** open: remaining size; change: new size; match: traded size; done: remaining size. */
  readonly size: number;
  /** match only: the taker's order id and the trade id. */
  readonly takerOrderId?: string;
  readonly tradeId?: string;
  /** done only. */
  readonly reason?: 'filled' | 'canceled';
}

export interface DerivativeTickerEvent extends Header {
  readonly type: 'derivative_ticker';
  readonly markPrice: number | null;
  readonly indexPrice: number | null;
  readonly lastPrice: number | null;
  /** Per funding interval, as a fraction (0.0001 = 1 bp). */
  readonly fundingRate: number | null;
  readonly nextFundingTs: Micros | null;
  readonly openInterest: number | null;
}

/** Trust state of a book: only 'trusted' books may feed a strategy. */
export type BookTrust = 'awaiting_snapshot' | 'trusted' | 'stale' | 'resyncing';

export interface BookStateEvent extends Header {
  readonly type: 'book_state';
  readonly state: BookTrust;
  readonly reason: string;
}

export interface QualityEvent extends Header {
  readonly type: 'quality';
  /** 0–100. */
  readonly score: number;
  readonly issues: readonly string[];
}

export type ConnectionState = 'connected' | 'disconnected' | 'reconnecting';

export interface ConnectionEvent extends Header {
  readonly type: 'connection';
  readonly state: ConnectionState;
  readonly detail: string;
}

export type MarketEvent =
  | BookSnapshotEvent
  | BookDeltaEvent
  | TradeEvent
  | L3OrderEvent
  | DerivativeTickerEvent
  | BookStateEvent
  | QualityEvent
  | ConnectionEvent;

export type MarketEventType = MarketEvent['type'];
