/**
 * What the risk gate needs to know from the rest of the kernel (the OMS's positions and open
 * orders, the books, the PnL). Everything is read at check time; the gate keeps no copy.
 */
import type { BookTrust, Side } from '../market/events.ts';

export interface RiskAccount {
  /** Net position, size units. */
  position(instrument: number): number;
  /** Unfilled size of open (and in-flight) orders on one side, size units. */
  pendingSize(instrument: number, side: Side): number;
  /** Mid price, price units (may be fractional: half a tick); NaN when unknown. */
  mid(instrument: number): number;
  bookTrust(instrument: number): BookTrust;
  /** Realized + unrealized PnL in the quote currency of the limits, at event time. */
  pnl(): number;
}
