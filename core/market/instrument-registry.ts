/**
 * Lookup of instrument metadata by venue and venue symbol. Filled from config and venue reference
 * data by the caller (core does no I/O). For a symbol nobody described, a feed may infer the scales
 * from its first snapshot's wire strings; if a later message proves the guess too coarse the scale
 * is widened and the book rebuilt (see FeedCore) — never rounded.
 */
import { fractionDigits, significantFractionDigits } from '../num/fraction-digits.ts';
import type { ExchangeId } from './exchange.ts';
import { type Instrument, type InstrumentKind, makeInstrument } from './instrument.ts';
import { parseVenueSymbol } from './symbols.ts';

function key(exchange: ExchangeId, venueSymbol: string): string {
  return `${exchange}|${venueSymbol.toUpperCase()}`;
}

export class InstrumentRegistry {
  private readonly byKey = new Map<string, Instrument>();

  constructor(instruments: Iterable<Instrument> = []) {
    for (const i of instruments) this.add(i);
  }

  add(instrument: Instrument): void {
    this.byKey.set(key(instrument.exchange, instrument.venueSymbol), instrument);
  }

  get(exchange: ExchangeId, venueSymbol: string): Instrument | undefined {
    return this.byKey.get(key(exchange, venueSymbol));
  }

  all(): Instrument[] {
    return [...this.byKey.values()];
  }

  /**
   * Infer an instrument from wire decimal strings: the scale is the largest number of significant
   * fraction digits seen (so integers come out in tick/lot units), the wire decimals the largest
   * number written (to format back padded strings exactly).
   */
  infer(
    exchange: ExchangeId,
    venueSymbol: string,
    prices: Iterable<string>,
    sizes: Iterable<string>,
    kind?: InstrumentKind,
  ): Instrument | undefined {
    const parsed = parseVenueSymbol(exchange, venueSymbol, kind);
    let priceScale = 0;
    let wirePrice = 0;
    for (const p of prices) {
      priceScale = Math.max(priceScale, significantFractionDigits(p));
      wirePrice = Math.max(wirePrice, fractionDigits(p));
    }
    let sizeScale = 0;
    let wireSize = 0;
    let largestSize = 0;
    for (const s of sizes) {
      sizeScale = Math.max(sizeScale, significantFractionDigits(s));
      wireSize = Math.max(wireSize, fractionDigits(s));
      largestSize = Math.max(largestSize, Number(s) || 0);
    }
    // Book sizes are not bound to the lot size (Binance BTCUSDT books show 25.426189 with a 0.00001
    // lot), so where the venue pads sizes we keep every digit it writes — if the integers stay far
    // below 2^53 (×1000 headroom for sizes larger than any seen so far).
    if (wireSize > sizeScale && largestSize * 10 ** wireSize * 1000 < Number.MAX_SAFE_INTEGER)
      sizeScale = wireSize;
    const upper = venueSymbol.toUpperCase();
    const instrument = makeInstrument({
      exchange,
      venueSymbol:
        exchange === 'binance' || exchange === 'binance-futures' || exchange === 'bybit'
          ? upper
          : venueSymbol,
      symbol: parsed?.symbol ?? upper,
      base: parsed?.base ?? upper,
      quote: parsed?.quote ?? '',
      kind: parsed?.kind ?? kind ?? 'spot',
      priceScale,
      sizeScale,
      wirePriceDecimals: Math.max(wirePrice, priceScale),
      wireSizeDecimals: Math.max(wireSize, sizeScale),
      source: 'inferred',
    });
    this.add(instrument);
    return instrument;
  }

  /** Replace an inferred instrument by one with finer scales (after a value needed more digits). */
  widen(instrument: Instrument, priceScale: number, sizeScale: number): Instrument {
    const wider = makeInstrument({
      ...instrument,
      priceScale: Math.max(priceScale, instrument.priceScale),
      sizeScale: Math.max(sizeScale, instrument.sizeScale),
      wirePriceDecimals: Math.max(priceScale, instrument.wirePriceDecimals),
      wireSizeDecimals: Math.max(sizeScale, instrument.wireSizeDecimals),
      tickSize: 1,
      lotSize: 1,
    });
    this.add(wider);
    return wider;
  }
}
