/**
 * A bounded, non-recursive description of a raw frame for rejection details and logs. Frames come
 * from the wire: a deeply nested one must never reach JSON.stringify or Array#toString, which recurse.
 */
const MAX_DETAIL = 120;

/** The first characters of the raw text, with the total length when cut. */
export function describeFrame(raw: string): string {
  return raw.length <= MAX_DETAIL ? raw : `${raw.slice(0, MAX_DETAIL)}… (${raw.length} chars)`;
}

/** A parsed value's type, never its contents (constant time, no recursion). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'string')
    return value.length <= 40 ? JSON.stringify(value) : `string(${value.length})`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
