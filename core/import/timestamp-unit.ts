/**
 * The unit of a file's timestamps, decided once per file from its first timestamp and then required
 * of every row. Binance public data files carry milliseconds, except spot files from 2025-01-01 on,
 * which carry microseconds; a per-row guess would let one odd row silently move by 1000×, so a row
 * whose magnitude disagrees with its file's unit is rejected instead.
 *
 * Epoch magnitudes: milliseconds since 1970 are 12–13 digits from 2001 to 2286, microseconds 15–16.
 */
import type { Micros } from '../market/events.ts';

export type TimestampUnit = 'ms' | 'us';

const MS_MIN = 1e11;
const US_MIN = 1e14;
const US_MAX = 1e17;

/** The unit a timestamp's magnitude says, undefined when it fits neither. */
export function unitOfMagnitude(value: number): TimestampUnit | undefined {
  if (!Number.isSafeInteger(value) || value < MS_MIN) return undefined;
  if (value < US_MIN) return 'ms';
  if (value < US_MAX) return 'us';
  return undefined;
}

/** `value` in µs when its magnitude agrees with `unit`; NaN otherwise. */
export function toMicros(value: number, unit: TimestampUnit): Micros {
  if (unitOfMagnitude(value) !== unit) return Number.NaN;
  return unit === 'ms' ? value * 1000 : value;
}
