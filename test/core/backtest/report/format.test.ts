import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatExact,
  formatNumber,
  formatPercent,
  formatSigned,
  formatSmart,
  formatUtc,
  isoUtcMicros,
} from '../../../../core/backtest/report/format.ts';

describe('report number formatting', () => {
  it('fixed decimals, thousands separators, true minus, infinities', () => {
    expect(formatNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatNumber(-0.5, 1)).toBe('−0.5');
    expect(formatNumber(-0.0001, 2)).toBe('0.00'); // no "−0.00"
    expect(formatNumber(999.999, 2)).toBe('1,000.00');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('−∞');
    expect(formatNumber(Number.NaN)).toBe('–');
    expect(formatSigned(3.2, 1)).toBe('+3.2');
    expect(formatSigned(0, 1)).toBe('0.0');
    expect(formatPercent(0.01234, 2)).toBe('1.23 %');
    expect(formatPercent(-0.5, 0, true)).toBe('−50 %');
    // Not available (an annualized figure of a short run): a dash, not "– %".
    expect(formatPercent(Number.NaN, 2, true)).toBe('–');
    expect(formatSmart(0.000123456)).toBe('0.0001235');
    expect(formatSmart(64123.5)).toBe('64,124');
  });

  it('durations from µs to days', () => {
    expect(formatDuration(15)).toBe('15 µs');
    expect(formatDuration(1_500)).toBe('1.5 ms');
    expect(formatDuration(250_000)).toBe('250 ms');
    expect(formatDuration(3_250_000)).toBe('3.25 s');
    expect(formatDuration(252_000_000)).toBe('4m 12s');
    expect(formatDuration(3_900_000_000)).toBe('1h 05m');
    expect(formatDuration(2 * 86_400e6 + 3 * 3600e6)).toBe('2d 03h');
  });

  it('UTC times regardless of the machine time zone', () => {
    const ts = Date.UTC(2024, 4, 1, 13, 5, 9, 250) * 1000 + 123;
    expect(formatUtc(ts, 'day')).toBe('2024-05-01');
    expect(formatUtc(ts, 'minute')).toBe('2024-05-01 13:05');
    expect(formatUtc(ts)).toBe('2024-05-01 13:05:09');
    expect(formatUtc(ts, 'millisecond')).toBe('2024-05-01 13:05:09.250');
    expect(isoUtcMicros(ts)).toBe('2024-05-01T13:05:09.250123Z');
  });
});

describe('exact formatting of prices and sizes', () => {
  it('shortest round-trip digits, grouped, no padding', () => {
    expect(formatExact(64123.5)).toBe('64,123.5');
    expect(formatExact(1)).toBe('1');
    expect(formatExact(0.001)).toBe('0.001');
    expect(formatExact(1e-7)).toBe('0.0000001');
    expect(formatExact(-2500)).toBe('−2,500');
  });
});
