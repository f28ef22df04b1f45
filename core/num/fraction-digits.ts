/**
 * Number of digits after the decimal point as written on the wire ("0.05000" → 5, "12" → 0,
 * "1e-8" → 8). Used to infer an instrument's scale from a snapshot when no reference data exists.
 */
export function fractionDigits(text: string): number {
  const e = text.search(/[eE]/);
  const mantissa = e >= 0 ? text.slice(0, e) : text;
  const exponent = e >= 0 ? Number.parseInt(text.slice(e + 1), 10) : 0;
  const dot = mantissa.indexOf('.');
  const written = dot >= 0 ? mantissa.length - dot - 1 : 0;
  return Math.max(0, written - exponent);
}

/** Fraction digits that carry value ("0.05000" → 2). */
export function significantFractionDigits(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0 || /[eE]/.test(text)) return fractionDigits(text);
  let end = text.length;
  while (end > dot + 1 && text.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}
