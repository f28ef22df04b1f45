/**
 * Kraken timestamps → integer microseconds, without floats or allocation.
 *   v1: decimal seconds as a string, "1618678133.384500" (digits past the microsecond are cut).
 *   v2: RFC 3339, "2023-09-25T07:48:36.925533Z" (or with a ±HH:MM offset).
 * Both return 0 when the text is not a timestamp (the event model's "no venue time").
 */
import { parseDecimalRange } from '../../num/parse-decimal.ts';

/** `text[start, end)` as decimal seconds → µs; 0 when malformed. */
export function secondsTextToMicros(text: string, start = 0, end = text.length): number {
  let stop = end;
  const dot = text.indexOf('.', start);
  if (dot >= 0 && dot < end && end - dot > 7) stop = dot + 7;
  const us = parseDecimalRange(text, start, stop, 6);
  return Number.isNaN(us) || us < 0 ? 0 : us;
}

function digitsAt(text: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** `text[start, end)` as RFC 3339 → µs since the epoch; 0 when malformed. */
export function rfc3339ToMicros(text: string, start = 0, end = text.length): number {
  if (end - start < 20) return 0;
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  const hour = digitsAt(text, start + 11, 2);
  const minute = digitsAt(text, start + 14, 2);
  const second = digitsAt(text, start + 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || minute < 0 || second < 0)
    return 0;
  const sep = text.charCodeAt(start + 10);
  if (text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45 || (sep !== 84 && sep !== 116))
    return 0;
  let i = start + 19;
  let micros = 0;
  if (text.charCodeAt(i) === 46) {
    i++;
    let place = 100_000;
    while (i < end) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      micros += c * place;
      place = Math.trunc(place / 10);
      i++;
    }
  }
  let offsetMinutes = 0;
  const z = text.charCodeAt(i);
  if (z === 90 || z === 122) i++;
  else if (z === 43 || z === 45) {
    const oh = digitsAt(text, i + 1, 2);
    const om = digitsAt(text, i + 4, 2);
    if (oh < 0 || om < 0 || text.charCodeAt(i + 3) !== 58) return 0;
    offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else return 0;
  if (i !== end) return 0;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return ms * 1000 + micros;
}
