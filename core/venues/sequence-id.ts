/**
 * Venue sequence numbers read exactly. A sequence that is not a safe non-negative integer cannot be
 * compared reliably (2^53+1 reads as 2^53, `1e400` as Infinity), so it is refused rather than
 * rounded: a rounded sequence can make every later diff look "already applied".
 */

/** A JSON number or a decimal-digit string (≤ 15 digits) that is a safe non-negative integer; else undefined. */
export function sequenceId(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value === 'string') {
    const n = value.length;
    if (n === 0 || n > 15) return undefined;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    if (n > 1 && value.charCodeAt(0) === 48) return undefined;
    return Number(value);
  }
  return undefined;
}
