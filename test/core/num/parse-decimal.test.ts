import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal, formatDecimalTrimmed } from '../../../core/num/format-decimal.ts';
import { fractionDigits, significantFractionDigits } from '../../../core/num/fraction-digits.ts';
import { parseDecimal, parseDecimalRange } from '../../../core/num/parse-decimal.ts';

describe('parseDecimal', () => {
  it('parses wire strings straight to integer units', () => {
    expect(parseDecimal('61837.64000000', 2)).toBe(6183764);
    expect(parseDecimal('0.00100000', 5)).toBe(100);
    expect(parseDecimal('0.00100000', 8)).toBe(100000);
    expect(parseDecimal('12', 3)).toBe(12000);
    expect(parseDecimal('.5', 1)).toBe(5);
    expect(parseDecimal('5.', 1)).toBe(50);
    expect(parseDecimal('-1.25', 2)).toBe(-125);
    expect(parseDecimal('0', 8)).toBe(0);
  });

  it('accepts scientific notation where a venue sends it', () => {
    expect(parseDecimal('1e-8', 8)).toBe(1);
    expect(parseDecimal('1E-8', 10)).toBe(100);
    expect(parseDecimal('2.5e3', 0)).toBe(2500);
    expect(parseDecimal('2.5e+3', 1)).toBe(25000);
    expect(parseDecimal('1.50e1', 0)).toBe(15);
    expect(parseDecimal('1e-9', 8)).toBeNaN();
  });

  it('refuses what would need rounding', () => {
    expect(parseDecimal('0.123', 2)).toBeNaN();
    expect(parseDecimal('61837.641', 2)).toBeNaN();
    // trailing zeros beyond the scale are fine
    expect(parseDecimal('61837.640000', 2)).toBe(6183764);
  });

  it('refuses what is not a decimal', () => {
    for (const bad of [
      '',
      '-',
      '.',
      'abc',
      '1.2.3',
      '1,5',
      ' 1',
      '1 ',
      'NaN',
      'Infinity',
      '0x10',
      '1e',
      '1e-',
      '--1',
      '+1',
    ]) {
      expect(parseDecimal(bad, 4), bad).toBeNaN();
    }
  });

  it('refuses values beyond 2^53 units instead of rounding them', () => {
    expect(parseDecimal('90071992547409.93', 2)).toBeNaN();
    expect(parseDecimal('90071992547409.91', 2)).toBe(9007199254740991);
  });

  it('reads a range inside a larger text without copying', () => {
    const text = '["61837.64000000","1.54698000"]';
    expect(parseDecimalRange(text, 2, 16, 2)).toBe(6183764);
    expect(parseDecimalRange(text, 19, 29, 8)).toBe(154698000);
  });

  it('round-trips any integer at any scale (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
        fc.integer({ min: 0, max: 12 }),
        (units, scale) => {
          expect(parseDecimal(formatDecimal(units, scale), scale)).toBe(units);
          expect(parseDecimal(formatDecimalTrimmed(units, scale), scale)).toBe(units);
          expect(parseDecimal(formatDecimal(units, scale, scale + 3), scale)).toBe(units);
        },
      ),
    );
  });

  it('agrees with exact decimal arithmetic on random digit strings (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,9}$/),
        fc.stringMatching(/^[0-9]{0,8}$/),
        fc.integer({ min: 0, max: 8 }),
        (intPart, fracPart, scale) => {
          const text = fracPart ? `${intPart}.${fracPart}` : intPart;
          const significant = fracPart.replace(/0+$/, '');
          const exact = BigInt(intPart + fracPart.padEnd(scale, '0').slice(0, scale));
          const expected =
            significant.length > scale || exact > BigInt(Number.MAX_SAFE_INTEGER)
              ? Number.NaN
              : Number(exact);
          const got = parseDecimal(text, scale);
          if (Number.isNaN(expected)) expect(got).toBeNaN();
          else expect(got).toBe(expected);
        },
      ),
    );
  });
});

describe('formatDecimal', () => {
  it('formats exactly, padding to the wire decimals', () => {
    expect(formatDecimal(6183764, 2)).toBe('61837.64');
    expect(formatDecimal(6183764, 2, 8)).toBe('61837.64000000');
    expect(formatDecimal(5, 3)).toBe('0.005');
    expect(formatDecimal(-5, 3)).toBe('-0.005');
    expect(formatDecimal(0, 2)).toBe('0.00');
    expect(formatDecimal(120, 0)).toBe('120');
    expect(formatDecimal(1500, 3, 1)).toBe('1.5');
    expect(formatDecimalTrimmed(1500, 3)).toBe('1.5');
    expect(formatDecimalTrimmed(1000, 3)).toBe('1');
  });
});

describe('fractionDigits', () => {
  it('counts written and significant fraction digits', () => {
    expect(fractionDigits('0.05000')).toBe(5);
    expect(significantFractionDigits('0.05000')).toBe(2);
    expect(fractionDigits('12')).toBe(0);
    expect(fractionDigits('1e-8')).toBe(8);
    expect(significantFractionDigits('61837.64000000')).toBe(2);
  });
});
