/**
 * Size and notional sanity for book levels and trades. Sizes and prices arrive as integer instrument
 * units; the limits in the rules file are human units (base currency, quote currency), so they are
 * converted ONCE per instrument into units (a float is fine here: this gates an alert, it never
 * prices anything) and the per-level check is two multiplications and compares.
 *
 * - A level of size 0 is a delete and is fine; a negative level size is not.
 * - A trade of size ≤ 0 did not happen.
 * - Oversized: size > maxSize, or price × size > maxNotional.
 */

export const SizeVerdict = { Ok: 0, Nonpositive: 1, Oversized: 2 } as const;
export type SizeVerdict = (typeof SizeVerdict)[keyof typeof SizeVerdict];

/** Limits in instrument units; Infinity = unchecked. */
export interface SizeLimits {
  /** Size units (10^-sizeScale of base). */
  readonly maxSize: number;
  /** Price units × size units (10^-(priceScale+sizeScale) of quote). */
  readonly maxNotional: number;
}

export const UNCHECKED_SIZES: SizeLimits = Object.freeze({
  maxSize: Number.POSITIVE_INFINITY,
  maxNotional: Number.POSITIVE_INFINITY,
});

/** Convert human limits (base and quote currency) to units of an instrument's scales. */
export function sizeLimitsFor(
  maxSize: number,
  maxNotional: number,
  priceScale: number,
  sizeScale: number,
): SizeLimits {
  return {
    maxSize: maxSize * 10 ** sizeScale,
    maxNotional: maxNotional * 10 ** (priceScale + sizeScale),
  };
}

/** A book level as written by a snapshot or delta (size 0 = delete). */
export function checkLevelSize(price: number, size: number, limits: SizeLimits): SizeVerdict {
  if (!(size >= 0)) return SizeVerdict.Nonpositive;
  return size > limits.maxSize || price * size > limits.maxNotional ? SizeVerdict.Oversized : SizeVerdict.Ok;
}

/** A trade: it must have traded something. */
export function checkTradeSize(price: number, size: number, limits: SizeLimits): SizeVerdict {
  if (!(size > 0)) return SizeVerdict.Nonpositive;
  return size > limits.maxSize || price * size > limits.maxNotional ? SizeVerdict.Oversized : SizeVerdict.Ok;
}
