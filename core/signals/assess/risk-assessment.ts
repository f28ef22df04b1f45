/**
 * Stage 3, assess: a 0–100 risk score for trading one instrument now, with its parts.
 *   position   |position| ÷ the configured maximum (from the OMS view the host passes in)
 *   liquidity  slippage of a market order of the configured size, walked through the book, against
 *              the depth distance (slippage ≥ depthBps scores 100; a book too thin to fill it: 100)
 *   venue      VenueHealth.risk: quality, latency, reconnects, staleness, trust
 * The score is the weighted mean of the parts (weights from config, normalized).
 */
import type { Micros } from '../../market/events.ts';
import type { BookSideView, BookView } from '../../strategy/book-view.ts';
import { slippageBps } from '../detect/book-shape.ts';
import type { SignalParams } from '../signal-params.ts';
import type { VenueHealth } from './venue-health.ts';

/** Levels walked for depth and slippage: bounds the work per event on very deep books. */
export const MAX_WALK_LEVELS = 100;

export class RiskAssessment {
  score = Number.NaN;
  positionRisk = 0;
  liquidityRisk = 0;
  venueRisk = 0;
  /** Size units within depthBps of mid. */
  bidDepth = 0;
  askDepth = 0;
  /** Worse of the two sides, bps. */
  slippageBps = Number.NaN;
  private depth = 0;
  private probeFilled = 0;
  private alerted = false;
  private readonly weightSum: number;

  constructor(
    private readonly params: SignalParams,
    /** The slippage probe size and the position limit, in this instrument's size units. */
    private readonly probeUnits: number,
    private readonly maxPositionUnits: number,
  ) {
    const w = params.assess.weights;
    this.weightSum = w.position + w.liquidity + w.venue;
  }

  /** Re-score; true when the score crosses the alert level upwards. */
  assess(book: BookView, position: number, health: VenueHealth, now: Micros): boolean {
    const p = this.params.assess;
    const mid = book.mid();
    this.positionRisk = Math.min(100, (Math.abs(position) / this.maxPositionUnits) * 100);
    if (mid > 0) {
      const buySlip = this.side(book.asks, false, mid, p.depthBps);
      const buyShort = this.probeFilled < this.probeUnits;
      this.askDepth = this.depth;
      const sellSlip = this.side(book.bids, true, mid, p.depthBps);
      const sellShort = this.probeFilled < this.probeUnits;
      this.bidDepth = this.depth;
      this.slippageBps = Math.max(buySlip, sellSlip);
      this.liquidityRisk =
        buyShort || sellShort || Number.isNaN(this.slippageBps)
          ? 100
          : Math.min(100, (this.slippageBps / p.depthBps) * 100);
    } else {
      this.bidDepth = this.askDepth = 0;
      this.slippageBps = Number.NaN;
      this.liquidityRisk = 100;
    }
    this.venueRisk = health.risk(now, p.staleMs * 1000, p.maxLatencyMs * 1000);
    const w = p.weights;
    this.score =
      this.weightSum > 0
        ? (w.position * this.positionRisk + w.liquidity * this.liquidityRisk + w.venue * this.venueRisk) /
          this.weightSum
        : 0;
    const high = this.score >= p.alertScore;
    const fired = high && !this.alerted;
    this.alerted = high;
    return fired;
  }

  /**
   * One pass over a side: depth within `bps` of mid and the average price of a probe-size market
   * order taking it (the two walks share their levels). Returns the probe's slippage, bps.
   */
  private side(side: BookSideView, isBid: boolean, mid: number, bps: number): number {
    const limit = isBid ? mid * (1 - bps / 10_000) : mid * (1 + bps / 10_000);
    const n = Math.min(MAX_WALK_LEVELS, side.count);
    const probe = this.probeUnits;
    let depth = 0;
    let filled = 0;
    let notional = 0;
    let inDepth = true;
    for (let i = 0; i < n && (inDepth || filled < probe); i++) {
      const price = side.priceAt(i);
      const size = side.sizeAt(i);
      if (inDepth && (isBid ? price < limit : price > limit)) inDepth = false;
      if (inDepth) depth += size;
      if (filled < probe) {
        const take = Math.min(probe - filled, size);
        filled += take;
        notional += take * price;
      }
    }
    this.depth = depth;
    this.probeFilled = filled;
    return filled > 0 ? slippageBps(notional / filled, mid, !isBid) : Number.NaN;
  }
}
