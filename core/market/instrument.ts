/**
 * Instrument metadata. Prices and sizes live in memory as integers: a price integer p means
 * p × 10^-priceScale. When the tick is a power of ten (the common case) priceScale is chosen so the
 * integer *is* the tick count; otherwise `tickSize` says how many units one tick is (0.5 → scale 1,
 * tickSize 5).
 */
import type { ExchangeId } from './exchange.ts';

export type InstrumentKind = 'spot' | 'perp' | 'future';

export interface Instrument {
  readonly exchange: ExchangeId;
  /** As the venue writes it: BTCUSDT, BTC-USD, XBT/USD. */
  readonly venueSymbol: string;
  /** Unified: BTC/USDT for spot, BTC/USDT:USDT for a USDT-margined perpetual. */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: InstrumentKind;
  readonly priceScale: number;
  readonly sizeScale: number;
  /** One tick in price units (integers at priceScale). */
  readonly tickSize: number;
  /** One lot in size units (integers at sizeScale). */
  readonly lotSize: number;
  /** Minimum order size in size units, 0 when the venue sets none. */
  readonly minSize: number;
  /** Minimum order notional in quote currency (a float is fine: it gates orders, it never prices them). */
  readonly minNotional: number;
  /**
   * Decimals the venue writes on the wire when it pads (Kraken v1 "0.05000"); needed to reproduce
   * checksums byte for byte. Defaults to the scale.
   */
  readonly wirePriceDecimals: number;
  readonly wireSizeDecimals: number;
  /** Where this metadata came from: reference data, config, or inferred from a snapshot. */
  readonly source: 'config' | 'reference' | 'inferred';
}

export interface InstrumentSpec {
  exchange: ExchangeId;
  venueSymbol: string;
  symbol: string;
  base: string;
  quote: string;
  kind: InstrumentKind;
  priceScale: number;
  sizeScale: number;
  tickSize?: number;
  lotSize?: number;
  minSize?: number;
  minNotional?: number;
  wirePriceDecimals?: number;
  wireSizeDecimals?: number;
  source?: Instrument['source'];
}

export function makeInstrument(spec: InstrumentSpec): Instrument {
  return Object.freeze({
    exchange: spec.exchange,
    venueSymbol: spec.venueSymbol,
    symbol: spec.symbol,
    base: spec.base,
    quote: spec.quote,
    kind: spec.kind,
    priceScale: spec.priceScale,
    sizeScale: spec.sizeScale,
    tickSize: spec.tickSize ?? 1,
    lotSize: spec.lotSize ?? 1,
    minSize: spec.minSize ?? 0,
    minNotional: spec.minNotional ?? 0,
    wirePriceDecimals: spec.wirePriceDecimals ?? spec.priceScale,
    wireSizeDecimals: spec.wireSizeDecimals ?? spec.sizeScale,
    source: spec.source ?? 'config',
  });
}
