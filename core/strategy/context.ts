/**
 * What a strategy can see and do. Implemented by the backtest engine (core/backtest/engine).
 * Requests (submit/cancel/amend) are buffered during a callback;
 * after it returns each passes the pre-trade checks (core/risk/order-check.ts) — the only way an
 * order reaches a venue — and is sent.
 */
import type { Micros, Side } from '../market/events.ts';
import type { Instrument } from '../market/instrument.ts';
import type { BookView } from './book-view.ts';
import type { LimitOptions, OrderId, OrderView } from './order-types.ts';

export interface StrategyContext {
  /** Current time µs (receive clock: the time of the event being handled). */
  now(): Micros;
  readonly instruments: readonly Instrument[];
  /** Index of an instrument by unified or venue symbol, -1 when absent. */
  instrumentIndex(symbol: string): number;
  /** The book as we have received it (read during the callback only). */
  book(instrument: number): BookView;
  /** Net position, size units (positive long), as fills reported so far say. */
  position(instrument: number): number;
  /** Quote currency balance change since start (cash), as fills and funding reported so far say. */
  cash(): number;
  /** Orders not yet finished, in request order. The array is live: read it, don't keep it. */
  openOrders(instrument: number): readonly OrderView[];
  order(id: OrderId): OrderView | undefined;
  submitLimit(instrument: number, side: Side, price: number, size: number, options?: LimitOptions): OrderId;
  submitMarket(instrument: number, side: Side, size: number): OrderId;
  cancel(id: OrderId): void;
  /** Change price and/or size (total size, including what is filled). Loses queue priority unless only the size shrinks. */
  amend(id: OrderId, price: number, size: number): void;
  /** Cancel every open order (of one instrument, or all). */
  cancelAll(instrument?: number): void;
  /** Call onTimer every `intervalUs` (0 stops it). */
  setTimer(intervalUs: Micros): void;
  /** Uniform [0, 1) from the run's seeded generator (deterministic replays). */
  random(): number;
}
