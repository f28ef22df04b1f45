import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalDecimal,
  compareDecimal,
  decimalToUnits,
  unitsToDecimal,
  withDecimals,
} from '../../../local/fuzz/decimal-text.ts';

describe('decimal text', () => {
  it.each([
    ['0012.500', '12.5'],
    ['-0', '0'],
    ['+1', '1'],
    ['1e3', '1000'],
    ['1.5E-3', '0.0015'],
    ['.5', '0.5'],
    ['0.00000000', '0'],
    ['-2.50', '-2.5'],
  ])('%s → %s', (text, canonical) => expect(canonicalDecimal(text)).toBe(canonical));

  it.each(['', '.', 'abc', '1e', '0x10', ' 1', '1e2000', 'NaN'])('%j is not a decimal', (text) =>
    expect(canonicalDecimal(text)).toBeUndefined(),
  );

  it('spells out a 100,000-digit number in linear time', () => {
    const text = `0.${'0'.repeat(100_000)}1`;
    const started = performance.now();
    expect(canonicalDecimal(text)).toBe(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('units ↔ text round-trips and orders like the integers', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), fc.nat({ max: 12 }), (a, b, scale) => {
        const ta = unitsToDecimal(a, scale);
        expect(decimalToUnits(ta, scale)).toBe(a);
        expect(canonicalDecimal(withDecimals(ta, scale))).toBe(ta);
        expect(Math.sign(compareDecimal(ta, unitsToDecimal(b, scale)))).toBe(Math.sign(a - b));
      }),
      { seed: 3 },
    );
    expect(decimalToUnits('1.25', 1)).toBeUndefined();
    expect(decimalToUnits('9007199254740993', 0)).toBeUndefined();
  });
});
