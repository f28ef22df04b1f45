/**
 * The JSON string value that follows `prefix` in a raw frame (`"s":"` → `BTCUSDT`), without parsing.
 * For frames refused whole — not JSON at all, or nested beyond the reader's bound — whose book must
 * still be named so it stops being trusted. Bounded: values longer than 64 characters or holding an
 * escape are not names.
 */
const MAX_NAME = 64;

export function stringAfter(raw: string, prefix: string, from = 0): string | undefined {
  const at = raw.indexOf(prefix, from);
  if (at < 0) return undefined;
  const start = at + prefix.length;
  const end = raw.indexOf('"', start);
  if (end < 0 || end - start > MAX_NAME) return undefined;
  const value = raw.slice(start, end);
  return value.includes('\\') ? undefined : value;
}

/** The last `"…"` string of an array frame, before its closing brackets (Kraken v1 puts the pair there). */
export function lastStringOfArray(raw: string): string | undefined {
  let close = raw.length - 1;
  while (close >= 0 && (raw[close] === ']' || raw[close] === ' ')) close--;
  if (close === raw.length - 1 || raw[close] !== '"') return undefined;
  const open = raw.lastIndexOf('"', close - 1);
  if (open < 0 || close - open - 1 > MAX_NAME) return undefined;
  const value = raw.slice(open + 1, close);
  return value.includes('\\') ? undefined : value;
}
