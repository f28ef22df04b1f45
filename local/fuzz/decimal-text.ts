/**
 * Decimal numbers as text for the fuzzer's reference books: one canonical spelling per value, so
 * a Map keyed by it is an exact book, and the conversions to and from the feeds' integer units.
 * Written apart from core/num on purpose: the reference must not share the code it checks.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Exponents beyond this are refused rather than spelled out. */
const MAX_EXPONENT = 1000;

/**
 * The canonical spelling of a decimal ("0012.500" → "12.5", "-0" → "0", "1e3" → "1000"), or
 * undefined when `text` is not a decimal number at all.
 */
export function canonicalDecimal(text: string): string | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const sign = m[1]!;
  const whole = m[2]!;
  const fraction = m[3] ?? '';
  if (whole === '' && fraction === '') return undefined;
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (!(Math.abs(exponent) <= MAX_EXPONENT)) return undefined;
  let digits = whole + fraction;
  let point = whole.length + exponent;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits += '0'.repeat(point - digits.length);
  }
  // Index loops, not /^0+/ and /0+$/: the latter is quadratic on a long run of zeros.
  let from = 0;
  while (from < point && digits.charCodeAt(from) === 0x30) from++;
  let to = digits.length;
  while (to > point && digits.charCodeAt(to - 1) === 0x30) to--;
  const intPart = from === point ? '0' : digits.slice(from, point);
  const fracPart = digits.slice(point, to);
  const abs = fracPart === '' ? intPart : `${intPart}.${fracPart}`;
  return abs === '0' || sign !== '-' ? abs : `-${abs}`;
}

/** Orders two canonical non-negative decimals (negative, zero, positive like a comparator). */
export function compareDecimal(a: string, b: string): number {
  const da = a.indexOf('.');
  const db = b.indexOf('.');
  const ia = da < 0 ? a : a.slice(0, da);
  const ib = db < 0 ? b : b.slice(0, db);
  if (ia.length !== ib.length) return ia.length - ib.length;
  if (ia !== ib) return ia < ib ? -1 : 1;
  const fa = da < 0 ? '' : a.slice(da + 1);
  const fb = db < 0 ? '' : b.slice(db + 1);
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** `units` × 10^-scale, canonical ("150", 2 → "1.5"). */
export function unitsToDecimal(units: number, scale: number): string {
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  const cut = digits.length - scale;
  let end = digits.length;
  while (end > cut && digits.charCodeAt(end - 1) === 0x30) end--;
  const abs = end === cut ? digits.slice(0, cut) : `${digits.slice(0, cut)}.${digits.slice(cut, end)}`;
  return units < 0 && abs !== '0' ? `-${abs}` : abs;
}

/** A canonical non-negative decimal in units of 10^-scale; undefined when not a safe integer there. */
export function decimalToUnits(canonical: string, scale: number): number | undefined {
  const dot = canonical.indexOf('.');
  const fraction = dot < 0 ? '' : canonical.slice(dot + 1);
  if (fraction.length > scale) return undefined;
  const whole = dot < 0 ? canonical : canonical.slice(0, dot);
  const units = BigInt(whole + fraction.padEnd(scale, '0'));
  return units <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(units) : undefined;
}

/** A canonical decimal written with at least `decimals` fraction digits ("1.5", 3 → "1.500"). */
export function withDecimals(canonical: string, decimals: number): string {
  const dot = canonical.indexOf('.');
  const have = dot < 0 ? 0 : canonical.length - dot - 1;
  if (have >= decimals) return canonical;
  return (dot < 0 ? `${canonical}.` : canonical) + '0'.repeat(decimals - have);
}

/** Fraction digits as written ("0.05000" → 5). */
export function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
