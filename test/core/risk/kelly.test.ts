import { describe, expect, it } from 'vitest';
import { kellyFromMoments, kellyFromOdds, kellySizeUnits } from '../../../core/risk/kelly.ts';
import { btc, xrp } from './support/risk-fixtures.ts';

describe('fractional Kelly', () => {
  it('from odds: quarter Kelly by default, clamped to [0, cap]', () => {
    // p = 0.6, b = 1: f* = 0.2; a quarter is 0.05.
    expect(kellyFromOdds(0.6, 1)).toBeCloseTo(0.05, 12);
    expect(kellyFromOdds(0.6, 1, 1)).toBeCloseTo(0.2, 12);
    // p = 0.5, b = 3: f* = 0.5 − 0.5/3 = 1/3; half Kelly capped at 0.1.
    expect(kellyFromOdds(0.5, 3, 0.5, 0.1)).toBe(0.1);
    // No edge, or a negative one: no bet.
    expect(kellyFromOdds(0.5, 1)).toBe(0);
    expect(kellyFromOdds(0.3, 1)).toBe(0);
  });

  it('from edge and variance', () => {
    expect(kellyFromMoments(0.01, 0.04)).toBeCloseTo(0.0625, 12);
    expect(kellyFromMoments(0.5, 0.01, 0.25, 0.2)).toBe(0.2);
    expect(kellyFromMoments(-0.01, 0.04)).toBe(0);
  });

  it('bad inputs give 0', () => {
    for (const [p, b] of [
      [Number.NaN, 1],
      [1.2, 1],
      [-0.1, 1],
      [0.6, 0],
      [0.6, Number.NaN],
    ] as const)
      expect(kellyFromOdds(p, b)).toBe(0);
    expect(kellyFromMoments(0.1, 0)).toBe(0);
    expect(kellyFromMoments(Number.NaN, 1)).toBe(0);
    expect(kellyFromOdds(0.6, 1, Number.NaN)).toBe(0);
  });

  it('size units: exact integers, rounded down to the lot, 0 below the minimum', () => {
    // 1000 USDT × 10 % = 100 USDT at 50 000.00 = 0.002 BTC = 200 000 units (200 lots).
    expect(kellySizeUnits(btc, 1000, 0.1, 5_000_000)).toBe(200_000);
    // 100.5 USDT would be 0.00201 BTC: still 0.00201 (lot 0.00001); 100.504 rounds down to it.
    expect(kellySizeUnits(btc, 1005.04, 0.1, 5_000_000)).toBe(201_000);
    // 0.4 USDT buys less than the 0.00001 BTC minimum.
    expect(kellySizeUnits(btc, 4, 0.1, 5_000_000)).toBe(0);
    // XRP: 10 USDT at 0.5000 = 20 XRP.
    expect(kellySizeUnits(xrp, 100, 0.1, 5_000)).toBe(20);
    expect(kellySizeUnits(xrp, 100, 0.1, 0)).toBe(0);
    expect(kellySizeUnits(xrp, Number.NaN, 0.1, 5_000)).toBe(0);
    expect(kellySizeUnits(xrp, 100, 0.1, Number.POSITIVE_INFINITY)).toBe(0);
  });
});
