import { describe, expect, it } from 'vitest';
import { isSpreadTooWide, spreadBps } from '../../../../core/quality/validators/spread.ts';

describe('spreadBps', () => {
  it('is the spread over mid in basis points, independent of the price scale', () => {
    // 99 / 101: spread 2, mid 100 → 200 bps.
    expect(spreadBps(99, 101)).toBeCloseTo(200, 10);
    expect(spreadBps(9_900, 10_100)).toBeCloseTo(200, 10);
  });

  it('is NaN for an empty side', () => {
    expect(spreadBps(Number.NaN, 101)).toBeNaN();
  });
});

describe('isSpreadTooWide', () => {
  it('flags a spread above the maximum', () => {
    expect(isSpreadTooWide(99, 101, 199)).toBe(true);
  });

  it('does not flag a spread at or below the maximum', () => {
    expect(isSpreadTooWide(99, 101, 200)).toBe(false);
    expect(isSpreadTooWide(99, 101, 1_000)).toBe(false);
  });

  it('one tick on BTCUSDT (0.01 at 61,837) is far below 10 bps', () => {
    expect(isSpreadTooWide(6_183_763, 6_183_764, 10)).toBe(false);
    expect(spreadBps(6_183_763, 6_183_764)).toBeLessThan(0.002);
  });

  it('never flags a crossed book, an empty side or an Infinity limit', () => {
    expect(isSpreadTooWide(101, 99, 1)).toBe(false);
    expect(isSpreadTooWide(Number.NaN, 99, 1)).toBe(false);
    expect(isSpreadTooWide(1, 1_000, Number.POSITIVE_INFINITY)).toBe(false);
  });
});
