/**
 * Funding of perpetuals (Binance USD-M, Bybit): what the venue's ticker says now and what holding a
 * position until the next settlement costs.
 *   predictedRate  the rate the venue publishes for the coming settlement (Binance markPrice `r`,
 *                  Bybit tickers `fundingRate`), per interval, a fraction
 *   currentRate    the rate of the settlement just past: the last predicted rate seen before the
 *                  venue's next funding time moved on (null until one settlement has been watched)
 *   nextFundingTs  from the ticker
 *   holdingCost    notional × predictedRate, quote currency, paid by a long when positive (received
 *                  by a short), for holding until nextFundingTs
 *   dailyRate      predictedRate × settlements per day (interval inferred from two consecutive
 *                  funding times, else 8 h); the seed notes rates reaching 1 % a day
 */
import type { Micros } from '../../market/events.ts';
import type { ExchangeId } from '../../market/exchange.ts';

const EIGHT_HOURS_US = 8 * 3600 * 1_000_000;
const DAY_US = 24 * 3600 * 1_000_000;

export const FUNDING_VENUES: readonly ExchangeId[] = ['binance-futures', 'bybit'];

export class FundingState {
  predictedRate = Number.NaN;
  currentRate = Number.NaN;
  nextFundingTs = Number.NaN;
  intervalUs = EIGHT_HOURS_US;
  markPrice = Number.NaN;
  updatedAt: Micros = Number.NaN;
  private alerted = false;

  constructor(
    readonly exchange: ExchangeId,
    readonly symbol: string,
  ) {}

  /** A ticker (NaN: the field was absent). Returns true when |rate| crosses `alertRate` upwards. */
  onTicker(rate: number, nextTs: number, mark: number, now: Micros, alertRate: number): boolean {
    if (!Number.isNaN(nextTs) && nextTs > 0) {
      if (!Number.isNaN(this.nextFundingTs) && nextTs > this.nextFundingTs) {
        this.currentRate = this.predictedRate;
        this.intervalUs = nextTs - this.nextFundingTs;
      }
      this.nextFundingTs = nextTs;
    }
    if (!Number.isNaN(rate)) this.predictedRate = rate;
    if (!Number.isNaN(mark)) this.markPrice = mark;
    this.updatedAt = now;
    const high = Math.abs(this.predictedRate) >= alertRate;
    const fired = high && !this.alerted;
    this.alerted = high;
    return fired;
  }

  holdingCost(notional: number): number {
    return notional * this.predictedRate;
  }

  dailyRate(): number {
    return this.predictedRate * (DAY_US / this.intervalUs);
  }
}
