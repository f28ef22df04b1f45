/**
 * Wire decimal → exact integer in units of 10^-scale.
 *
 * Design: prices and sizes arrive as decimal strings ("61837.64000000", "0.001", "1e-8"). We never
 * go through a float: digits are accumulated straight into an integer, and anything that cannot be
 * represented exactly at the instrument's scale (a non-zero digit beyond `scale`, a value past
 * 2^53, a malformed string) returns NaN. NaN is the rejection sentinel so the hot path allocates
 * nothing and throws nothing; callers count it.
 */
import { MAX_SCALE, POW10 } from './pow10.ts';

const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;

/** Parse `text[start, end)` as a decimal scaled by 10^scale. NaN when not exact or not a decimal. */
export function parseDecimalRange(text: string, start: number, end: number, scale: number): number {
  let i = start;
  if (i >= end) return Number.NaN;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === MINUS) {
    negative = true;
    if (++i >= end) return Number.NaN;
    c = text.charCodeAt(i);
  }
  let value = 0;
  let digits = 0;
  // Integer part.
  while (c >= ZERO && c <= NINE) {
    value = value * 10 + (c - ZERO);
    digits++;
    if (++i >= end) break;
    c = text.charCodeAt(i);
  }
  let fraction = 0;
  let inexact = false;
  if (i < end && c === DOT) {
    i++;
    while (i < end) {
      c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) break;
      if (fraction < scale) {
        value = value * 10 + (c - ZERO);
        fraction++;
      } else if (c !== ZERO) {
        // A significant digit finer than the instrument's unit: not exact, unless an exponent follows.
        inexact = true;
      }
      digits++;
      i++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i < end) {
    if (c === LOWER_E || c === UPPER_E) return parseWithExponent(text, start, end, scale);
    return Number.NaN;
  }
  if (inexact) return Number.NaN;
  if (fraction < scale) value *= POW10[scale - fraction]!;
  if (value > Number.MAX_SAFE_INTEGER) return Number.NaN;
  return negative ? -value : value;
}

/** Parse a whole string. See {@link parseDecimalRange}. */
export function parseDecimal(text: string, scale: number): number {
  return parseDecimalRange(text, 0, text.length, scale);
}

/**
 * Slow path for scientific notation ("1e-8", "2.5E+3"): collect the significant digits, then place
 * the decimal point. Rare on the wire, so clarity wins over speed here.
 */
function parseWithExponent(text: string, start: number, end: number, scale: number): number {
  if (scale < 0 || scale > MAX_SCALE) return Number.NaN;
  let i = start;
  let negative = false;
  if (text.charCodeAt(i) === MINUS) {
    negative = true;
    i++;
  }
  let mantissa = '';
  let pointShift = 0;
  let seenDot = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      mantissa += text[i];
      if (seenDot) pointShift--;
    } else if (c === DOT && !seenDot) {
      seenDot = true;
    } else break;
  }
  if (mantissa.length === 0 || i >= end) return Number.NaN;
  const e = text.charCodeAt(i);
  if (e !== LOWER_E && e !== UPPER_E) return Number.NaN;
  i++;
  let expNegative = false;
  if (text.charCodeAt(i) === MINUS || text.charCodeAt(i) === PLUS) {
    expNegative = text.charCodeAt(i) === MINUS;
    i++;
  }
  if (i >= end) return Number.NaN;
  let exponent = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return Number.NaN;
    exponent = exponent * 10 + (c - ZERO);
    if (exponent > 400) return Number.NaN;
  }
  // value = mantissa × 10^(pointShift ± exponent); in units: × 10^scale.
  let shift = pointShift + (expNegative ? -exponent : exponent) + scale;
  let digits = mantissa;
  while (shift < 0) {
    if (digits.length === 0) break;
    if (digits[digits.length - 1] !== '0') return Number.NaN;
    digits = digits.slice(0, -1);
    shift++;
  }
  if (shift > 0) digits += '0'.repeat(Math.min(shift, 40));
  let value = 0;
  for (let k = 0; k < digits.length; k++) value = value * 10 + (digits.charCodeAt(k) - ZERO);
  if (value > Number.MAX_SAFE_INTEGER) return Number.NaN;
  return negative ? -value : value;
}
