/**
 * One symbol's TRUE book on a simulated venue: the levels (exact integers in the instrument's units),
 * the venue's update counter and trade counter. Wire strings are formatted from the integers with the
 * instrument's wire decimals, so a venue that pads ("0.05000") pads here too and checksums computed
 * from the truth match what the client receives.
 */
import { L2Book } from '../../../core/book/l2-book.ts';
import type { Instrument } from '../../../core/market/instrument.ts';
import { formatDecimal } from '../../../core/num/format-decimal.ts';

/** Where venue counters start: far from 0 and 1 (Bybit reads u = 1 as "service restarted"). */
export const FIRST_SEQUENCE = 1_000_000;

export class TruthBook {
  readonly instrument: Instrument;
  readonly book = new L2Book();
  /**
   * Venue update id of the book's current state. Each delta advances it by its number of level
   * changes (at least 1): Binance's U..u and KuCoin's sequenceStart..sequenceEnd (one id per change)
   * fall out of it directly.
   */
  sequence: number;
  /** Last trade id used (ids only ever increase, across replay loops and sessions). */
  tradeId: number;
  /** Last trade, for venues that replay it on subscribe (Coinbase last_match). */
  lastTrade: TruthTrade | undefined;

  /** `firstId`: where this session's ids start (truth/session-ids.ts). */
  constructor(instrument: Instrument, firstId = FIRST_SEQUENCE) {
    this.instrument = instrument;
    this.sequence = firstId;
    this.tradeId = firstId;
  }

  get venueSymbol(): string {
    return this.instrument.venueSymbol;
  }

  /** Price as the venue writes it. */
  price(units: number): string {
    const i = this.instrument;
    return formatDecimal(units, i.priceScale, i.wirePriceDecimals);
  }

  /** Size as the venue writes it. */
  size(units: number): string {
    const i = this.instrument;
    return formatDecimal(units, i.sizeScale, i.wireSizeDecimals);
  }
}

export interface TruthTrade {
  readonly tradeId: number;
  readonly price: number;
  readonly size: number;
  /** Aggressor (taker) side. */
  readonly side: 'buy' | 'sell';
  /** When the simulator made it (µs). */
  readonly ts: number;
}
