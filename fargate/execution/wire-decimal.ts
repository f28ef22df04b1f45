/**
 * A non-negative decimal amount from a private-stream field, as text for parseDecimal: a decimal
 * string, or a JSON number (Kraken WS v2 writes numbers) whose shortest form has no exponent — the
 * digits the venue sent, never a rounded float.
 */
const DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;

export function decimalText(value: unknown): string | undefined {
  if (typeof value === 'string') return DECIMAL.test(value) ? value : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  const text = String(value);
  return DECIMAL.test(text) ? text : undefined;
}
