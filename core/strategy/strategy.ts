/**
 * A trading strategy: five callbacks and nothing else. The same object runs in a backtest and live;
 * everything it may know or do goes through the {@link StrategyContext} it is handed, so nothing in
 * it can tell (or depend on) which one it is in.
 *
 * Order requests made during a callback are buffered and applied after the callback returns, in
 * the order they were made (pre-trade checks, then the venue). A callback therefore never observes a
 * half-applied decision of its own, and its effects are the same whether the venue is simulated or
 * real.
 */
import type { Micros, Side } from '../market/events.ts';
import type { StrategyContext } from './context.ts';
import type { OrderUpdate } from './order-types.ts';
import type { StrategyParams } from './params.ts';

/** A public trade as a strategy sees it. Reused between calls: read during the call only. */
export interface TradeView {
  readonly instrument: number;
  readonly price: number;
  readonly size: number;
  /** Aggressor side; 'unknown' where the venue does not say. */
  readonly side: Side | 'unknown';
  readonly exchangeTs: Micros;
  readonly localTs: Micros;
}

export interface Strategy {
  /** A book changed (after a whole venue message). The book is at ctx.book(instrument). */
  onBook?(ctx: StrategyContext, instrument: number): void;
  onTrade?(ctx: StrategyContext, trade: TradeView): void;
  /** Our own order changed: accepted, filled, canceled, rejected, amended. */
  onOrderUpdate?(ctx: StrategyContext, update: OrderUpdate): void;
  /** The timer set with ctx.setTimer fired. */
  onTimer?(ctx: StrategyContext, now: Micros): void;
  /** Parameters were set: once before the first event, and again on every hot update. */
  onParams?(ctx: StrategyContext, params: StrategyParams): void;
}
