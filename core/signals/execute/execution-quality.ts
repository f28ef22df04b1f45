/**
 * Execution-quality metrics by venue: slippage of fills against the arrival mid (the mid when the
 * parent order was decided), size-weighted and signed so that worse is positive, and fill ratio
 * (filled ÷ requested).
 */
import type { ExchangeId } from '../../market/exchange.ts';

export interface VenueExecution {
  requested: number;
  filled: number;
  /** Σ size × slippage bps (divide by `filled`). */
  slippageWeighted: number;
}

export class ExecutionQuality {
  private readonly byVenue = new Map<ExchangeId, VenueExecution>();

  private venue(exchange: ExchangeId): VenueExecution {
    let v = this.byVenue.get(exchange);
    if (!v) {
      v = { requested: 0, filled: 0, slippageWeighted: 0 };
      this.byVenue.set(exchange, v);
    }
    return v;
  }

  /** An order for `size` (size units) was sent. */
  requested(exchange: ExchangeId, size: number): void {
    this.venue(exchange).requested += size;
  }

  /** A fill of `size` at `price` against the arrival mid (same units as price). */
  filled(exchange: ExchangeId, isBuy: boolean, price: number, size: number, arrivalMid: number): void {
    const v = this.venue(exchange);
    v.filled += size;
    if (arrivalMid > 0) {
      const d = ((price - arrivalMid) / arrivalMid) * 10_000;
      v.slippageWeighted += size * (isBuy ? d : -d);
    }
  }

  /** Per venue: fill ratio and mean slippage bps (NaN before any fill). */
  summary(): Array<{
    exchange: ExchangeId;
    fillRatio: number;
    slippageBps: number;
    requested: number;
    filled: number;
  }> {
    return [...this.byVenue].map(([exchange, v]) => ({
      exchange,
      requested: v.requested,
      filled: v.filled,
      fillRatio: v.requested > 0 ? v.filled / v.requested : Number.NaN,
      slippageBps: v.filled > 0 ? v.slippageWeighted / v.filled : Number.NaN,
    }));
  }
}
