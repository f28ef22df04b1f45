/**
 * Conversions the reference strategies share. Parameters are human units (base currency, basis
 * points); orders are integer instrument units. A float only ever touches a value before it is
 * rounded to a whole tick or lot, so what reaches an order is exact.
 */
import type { Instrument } from '../../market/instrument.ts';
import type { StrategyContext } from '../context.ts';

/** Base-currency amount → size units, rounded to whole lots, at least one lot. */
export function sizeUnits(instrument: Instrument, base: number): number {
  const lot = instrument.lotSize;
  const units = Math.round((base * 10 ** instrument.sizeScale) / lot) * lot;
  return Math.max(lot, Math.max(units, Math.ceil(instrument.minSize / lot) * lot));
}

/** Largest tick multiple ≤ price (price units, possibly fractional). */
export function floorTick(instrument: Instrument, price: number): number {
  const t = instrument.tickSize;
  return Math.floor(price / t) * t;
}

/** Smallest tick multiple ≥ price. */
export function ceilTick(instrument: Instrument, price: number): number {
  const t = instrument.tickSize;
  return Math.ceil(price / t) * t;
}

/** The instrument a strategy trades: by `symbol` param, else the first one. */
export function pickInstrument(ctx: StrategyContext, symbol: string): number {
  if (symbol === '') return 0;
  const i = ctx.instrumentIndex(symbol);
  if (i < 0) throw new Error(`strategy: no instrument "${symbol}" in this run`);
  return i;
}
