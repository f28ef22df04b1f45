/**
 * The trading state the risk gate reads before anything else (Nautilus's TradingState):
 *
 *   ACTIVE    every order goes on to the other checks
 *   REDUCING  only orders that shrink |position| in the worst case pass; from flat nothing passes
 *   HALTED    nothing passes (cancels need no check, so they still go out)
 *
 * Unlike Nautilus, REDUCING caps an order at the current position (no flip through zero) and
 * refuses opening from flat: "reducing" must never grow exposure on either side.
 */
import type { Side } from '../market/events.ts';

export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export const TRADING_STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];

/** The state with why and when (event time, µs): JSON-able, so the kernel can journal it. */
export interface TradingStatus {
  readonly state: TradingState;
  readonly reason: string;
  readonly at: number;
}

/**
 * Whether an order that adds `added` size units on `side` shrinks |position| even if every open
 * order on that side (`pendingSameSide`) fills too, without crossing zero.
 */
export function shrinksPosition(
  position: number,
  side: Side,
  pendingSameSide: number,
  added: number,
): boolean {
  if (side === 'sell') return position > 0 && position - pendingSameSide - added >= 0;
  return position < 0 && position + pendingSameSide + added <= 0;
}
