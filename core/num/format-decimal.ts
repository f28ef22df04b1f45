/**
 * Exact integer (units of 10^-scale) → decimal string. `fractionDigits` pads or keeps the wire's
 * own number of decimals (Kraken's v1 checksum hashes the exact wire digits, "0.05000" included).
 */
export function formatDecimal(units: number, scale: number, fractionDigits = scale): string {
  const negative = units < 0;
  const digits = String(negative ? -units : units);
  let intPart: string;
  let fracPart: string;
  if (scale === 0) {
    intPart = digits;
    fracPart = '';
  } else if (digits.length > scale) {
    intPart = digits.slice(0, digits.length - scale);
    fracPart = digits.slice(digits.length - scale);
  } else {
    intPart = '0';
    fracPart = '0'.repeat(scale - digits.length) + digits;
  }
  if (fractionDigits > scale) fracPart += '0'.repeat(fractionDigits - scale);
  else if (fractionDigits < scale) {
    // Only trailing zeros may be dropped; anything else would change the value.
    const kept = fracPart.slice(0, fractionDigits);
    const dropped = fracPart.slice(fractionDigits);
    if (/[^0]/.test(dropped)) fracPart = fracPart.replace(/0+$/, '');
    else fracPart = kept;
  }
  const body = fracPart.length > 0 ? `${intPart}.${fracPart}` : intPart;
  return negative && units !== 0 ? `-${body}` : body;
}

/** Shortest exact form: trailing fractional zeros removed ("61837.64000000" → "61837.64"). */
export function formatDecimalTrimmed(units: number, scale: number): string {
  const s = formatDecimal(units, scale);
  if (!s.includes('.')) return s;
  return s.replace(/\.?0+$/, '');
}
