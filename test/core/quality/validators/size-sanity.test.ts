import { describe, expect, it } from 'vitest';
import {
  checkLevelSize,
  checkTradeSize,
  SizeVerdict,
  sizeLimitsFor,
  UNCHECKED_SIZES,
} from '../../../../core/quality/validators/size-sanity.ts';

// BTC/USDT at priceScale 2, sizeScale 8: price 61,837.63 = 6_183_763 units, 1 BTC = 1e8 units.
const limits = sizeLimitsFor(100, 1_000_000, 2, 8); // 100 BTC, 1M USDT

describe('sizeLimitsFor', () => {
  it('converts base and quote currency limits to instrument units', () => {
    expect(limits.maxSize).toBe(100e8);
    expect(limits.maxNotional).toBe(1_000_000e10);
  });
});

describe('checkLevelSize', () => {
  it('accepts a normal level and a delete (size 0)', () => {
    expect(checkLevelSize(6_183_763, 378_826_000, limits)).toBe(SizeVerdict.Ok);
    expect(checkLevelSize(6_183_763, 0, limits)).toBe(SizeVerdict.Ok);
  });

  it('flags a negative or NaN size', () => {
    expect(checkLevelSize(6_183_763, -1, limits)).toBe(SizeVerdict.Nonpositive);
    expect(checkLevelSize(6_183_763, Number.NaN, limits)).toBe(SizeVerdict.Nonpositive);
  });

  it('flags a size over the maximum size', () => {
    expect(checkLevelSize(100, 100e8 + 1, limits)).toBe(SizeVerdict.Oversized);
    expect(checkLevelSize(100, 100e8, limits)).toBe(SizeVerdict.Ok);
  });

  it('flags a notional over the maximum notional even when the size is allowed', () => {
    // 50 BTC at 61,837.63 = 3.09M USDT > 1M.
    expect(checkLevelSize(6_183_763, 50e8, limits)).toBe(SizeVerdict.Oversized);
    // 16 BTC = 989k USDT: fine.
    expect(checkLevelSize(6_183_763, 16e8, limits)).toBe(SizeVerdict.Ok);
  });

  it('checks nothing but the sign without limits', () => {
    expect(checkLevelSize(1e15, 1e15, UNCHECKED_SIZES)).toBe(SizeVerdict.Ok);
    expect(checkLevelSize(1, -5, UNCHECKED_SIZES)).toBe(SizeVerdict.Nonpositive);
  });
});

describe('checkTradeSize', () => {
  it('a trade of zero or negative size did not happen', () => {
    expect(checkTradeSize(6_183_763, 0, limits)).toBe(SizeVerdict.Nonpositive);
    expect(checkTradeSize(6_183_763, -2_000_000, limits)).toBe(SizeVerdict.Nonpositive);
  });

  it('accepts a normal trade and flags an oversized one', () => {
    expect(checkTradeSize(6_183_763, 2_000_000, limits)).toBe(SizeVerdict.Ok);
    expect(checkTradeSize(6_183_763, 20e8, limits)).toBe(SizeVerdict.Oversized);
  });
});
