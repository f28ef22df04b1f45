/**
 * Funding payments on perpetuals. At each funding time a position pays (long, positive rate) or
 * receives position × mark price × rate.
 *
 * Source ('auto' by default): the venue's derivative ticker rows on the tape (rate, next funding
 * time, mark price) where the instrument has them; otherwise the configured rate on the configured
 * grid (Binance, Bybit and OKX settle every 8 h at 00:00, 08:00 and 16:00 UTC: multiples of 8 h since
 * the epoch). 'ticker' uses only tape data (no payments without it), 'config' only the configuration,
 * 'off' none. The mark price is the ticker's, else the exchange book's mid.
 */
import { z } from 'zod';
import type { Micros } from '../market/events.ts';

export const FundingConfigSchema = z.strictObject({
  source: z.enum(['auto', 'ticker', 'config', 'off']).default('auto'),
  /** Per interval, as a fraction (0.0001 = 1 bp: Binance's baseline rate). */
  rate: z.number().default(0.0001),
  intervalUs: z
    .number()
    .positive()
    .default(8 * 3600 * 1_000_000),
});
export type FundingConfig = z.output<typeof FundingConfigSchema>;

/** First funding time of the grid strictly after `t`. */
export function nextGridTime(t: Micros, intervalUs: number): Micros {
  return (Math.floor(t / intervalUs) + 1) * intervalUs;
}

/** Funding state of one perpetual, fed by ticker rows. */
export class FundingState {
  /** Latest rate seen on the tape (NaN: none). */
  tickerRate = Number.NaN;
  tickerNextTs = Number.NaN;
  tickerMark = Number.NaN;
  /** When this instrument settles next (∞: never). */
  next: Micros = Number.POSITIVE_INFINITY;

  constructor(
    readonly config: FundingConfig,
    readonly perpetual: boolean,
  ) {}

  start(t: Micros): void {
    if (!this.perpetual || this.config.source === 'off' || this.config.source === 'ticker') return;
    this.next = nextGridTime(t, this.config.intervalUs);
  }

  /** A ticker row (NaN fields unknown). */
  ticker(rate: number, nextTs: number, mark: number): void {
    if (!this.perpetual || this.config.source === 'off' || this.config.source === 'config') return;
    if (!Number.isNaN(rate)) this.tickerRate = rate;
    if (!Number.isNaN(mark)) this.tickerMark = mark;
    if (!Number.isNaN(nextTs) && nextTs > 0) {
      this.tickerNextTs = nextTs;
      this.next = nextTs;
    }
  }

  /** Rate to settle at now. */
  rate(): number {
    return Number.isNaN(this.tickerRate) ? this.config.rate : this.tickerRate;
  }

  /** Settled at `t`: schedule the next one. */
  advance(t: Micros): void {
    const fromTicker = !Number.isNaN(this.tickerNextTs) && this.tickerNextTs > t;
    this.next = fromTicker ? this.tickerNextTs : nextGridTime(t, this.config.intervalUs);
    if (this.config.source === 'ticker' && !fromTicker) this.next = Number.POSITIVE_INFINITY;
  }
}
