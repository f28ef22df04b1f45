/**
 * Human formatting for the report: fixed decimals with thousands separators, percentages,
 * durations and UTC times. Written by hand (no Intl / toLocaleString) so the report text is the
 * same on every machine and locale — reports are compared byte for byte across runs.
 */
import type { Micros } from '../../market/events.ts';

const MINUS = '−'; // U+2212: lines up with digits in tabular figures

function groupThousands(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fixed decimals, thousands separators, a true minus sign; ∞ for infinities, – for NaN. */
export function formatNumber(value: number, decimals = 2): string {
  if (Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : `${MINUS}∞`;
  const fixed = Math.abs(value).toFixed(Math.max(0, Math.min(20, decimals)));
  const [int = '0', frac] = fixed.split('.');
  const body = frac !== undefined ? `${groupThousands(int)}.${frac}` : groupThousands(int);
  const isZero = /^[0.,]*$/.test(body);
  return value < 0 && !isZero ? `${MINUS}${body}` : body;
}

/** Like formatNumber but with a leading + for positive values (pnl, returns). */
export function formatSigned(value: number, decimals = 2): string {
  const s = formatNumber(value, decimals);
  return value > 0 && s !== formatNumber(0, decimals) ? `+${s}` : s;
}

/** A fraction as a percentage: 0.0123 → "1.23 %"; NaN (not available) → "–". */
export function formatPercent(fraction: number, decimals = 2, signed = false): string {
  if (Number.isNaN(fraction)) return formatNumber(fraction);
  const v = fraction * 100;
  return `${signed ? formatSigned(v, decimals) : formatNumber(v, decimals)} %`;
}

/** Significant-digit formatting for values of unknown magnitude (ratios, sizes). */
export function formatSmart(value: number, significant = 4): string {
  if (!Number.isFinite(value) || value === 0) return formatNumber(value, 0);
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, Math.min(10, significant - 1 - magnitude));
  return formatNumber(value, decimals);
}

/**
 * A double as the shortest decimal that reads back as the same double (64123.5, 0.001) with
 * thousands separators — for prices and sizes, which came from exact decimals and should look
 * like them (no padding "1.00000", no rounding).
 */
export function formatExact(value: number): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  let text = String(Math.abs(value));
  if (text.includes('e'))
    text = Math.abs(value)
      .toFixed(20)
      .replace(/\.?0+$/, '');
  const [int = '0', frac] = text.split('.');
  const body = frac ? `${groupThousands(int)}.${frac}` : groupThousands(int);
  return value < 0 ? `${MINUS}${body}` : body;
}

/** Duration in µs → "2d 3h", "1h 05m", "4m 12s", "3.25 s", "120 ms", "15 µs". */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '–';
  const sign = us < 0 ? MINUS : '';
  const a = Math.abs(us);
  const s = a / 1e6;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 86_400) {
    const d = Math.floor(s / 86_400);
    return `${sign}${d}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
  }
  if (s >= 3600) return `${sign}${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  if (s >= 60) return `${sign}${Math.floor(s / 60)}m ${pad(Math.floor(s % 60))}s`;
  if (s >= 1) return `${sign}${formatNumber(s, 2)} s`;
  if (a >= 1000) return `${sign}${formatNumber(a / 1000, a >= 100_000 ? 0 : 1)} ms`;
  return `${sign}${formatNumber(a, 0)} µs`;
}

export type TimePrecision = 'day' | 'minute' | 'second' | 'millisecond';

/** µs since the epoch → UTC text, "2024-05-01 13:05:09.250" at millisecond precision. */
export function formatUtc(ts: Micros, precision: TimePrecision = 'second'): string {
  if (!Number.isFinite(ts)) return '–';
  const iso = new Date(Math.floor(ts / 1000)).toISOString(); // 2024-05-01T13:05:09.250Z
  const date = iso.slice(0, 10);
  if (precision === 'day') return date;
  if (precision === 'minute') return `${date} ${iso.slice(11, 16)}`;
  if (precision === 'second') return `${date} ${iso.slice(11, 19)}`;
  return `${date} ${iso.slice(11, 23)}`;
}

/** ISO-8601 UTC with microseconds, for CSV files: 2024-05-01T13:05:09.250123Z. */
export function isoUtcMicros(ts: Micros): string {
  if (!Number.isFinite(ts)) return '';
  const ms = Math.floor(ts / 1000);
  const micros = ts - ms * 1000;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(Math.trunc(micros)).padStart(3, '0')}Z`;
}
