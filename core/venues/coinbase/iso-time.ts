/**
 * Coinbase timestamps are RFC 3339 UTC strings with a variable fraction: "2021-04-17T16:43:37.089723Z"
 * (Exchange, µs), "2023-02-09T20:32:50.714964855Z" (Advanced Trade, ns), "1970-01-01T00:00:00Z".
 * Read the digits straight into integer microseconds (Date.parse would round through
 * milliseconds); digits past the microsecond are truncated. Malformed text gives 0, the event
 * model's "no venue time".
 */
import type { Micros } from '../../market/events.ts';

const ZERO = 48;

function digits(text: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/** RFC 3339 UTC ("Z" or "+00:00") → µs since the epoch; 0 when malformed. */
export function isoToMicros(text: unknown): Micros {
  if (typeof text !== 'string' || text.length < 20) return 0;
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    (text.charCodeAt(10) !== 84 && text.charCodeAt(10) !== 32) || // T or space
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return 0;
  }
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  if (Number.isNaN(y + mo + d + h + mi + s) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59)
    return 0;
  let i = 19;
  let micros = 0;
  if (text.charCodeAt(i) === 46) {
    // .fraction: keep 6 digits, skip the rest.
    i++;
    let n = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i) - ZERO;
      if (c < 0 || c > 9) break;
      if (n < 6) {
        micros = micros * 10 + c;
        n++;
      }
      i++;
    }
    if (n === 0) return 0;
    while (n < 6) {
      micros *= 10;
      n++;
    }
  }
  const rest = text.length - i;
  if (!((rest === 1 && text.charCodeAt(i) === 90) || (rest === 6 && text.endsWith('+00:00')))) return 0;
  return Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + micros;
}
