import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRC32_INIT, crc32Finish } from '../../../../core/book/checksum/crc32.ts';
import { crc32Decimal, crc32DecimalDigits } from '../../../../core/book/checksum/decimal-crc.ts';
import { formatDecimal, formatDecimalTrimmed } from '../../../../core/num/format-decimal.ts';

/** The string form Kraken hashes: '.' removed, leading zeros stripped. */
function krakenDigits(text: string): string {
  return text.replace('.', '').replace(/^0+/, '');
}

const units = fc.oneof(
  fc.integer({ min: 0, max: 1000 }),
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.maxSafeNat(),
  // Values with many trailing zeros (round prices, padded sizes).
  fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9 })).map(([u, z]) => u * 10 ** z),
);
const scale = fc.integer({ min: 0, max: 12 });
const decimals = fc.integer({ min: 0, max: 14 });

describe('crc32Decimal', () => {
  it('hashes exactly the characters formatDecimal writes', () => {
    fc.assert(
      fc.property(units, scale, decimals, fc.boolean(), (u, s, d, negative) => {
        const v = negative ? -u : u;
        const text = formatDecimal(v, s, d);
        expect(crc32Finish(crc32Decimal(CRC32_INIT, v, s, d))).toBe(zlibCrc32(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('with 0 decimals hashes the shortest form (formatDecimalTrimmed)', () => {
    fc.assert(
      fc.property(units, scale, (u, s) => {
        expect(crc32Finish(crc32Decimal(CRC32_INIT, u, s, 0))).toBe(zlibCrc32(formatDecimalTrimmed(u, s)));
      }),
    );
  });

  it('examples', () => {
    const h = (u: number, s: number, d: number) => crc32Finish(crc32Decimal(CRC32_INIT, u, s, d));
    expect(h(5000, 5, 5)).toBe(zlibCrc32('0.05000'));
    expect(h(35415, 2, 8)).toBe(zlibCrc32('354.15000000'));
    expect(h(33661, 1, 0)).toBe(zlibCrc32('3366.1'));
    expect(h(33660, 1, 0)).toBe(zlibCrc32('3366'));
    expect(h(0, 3, 3)).toBe(zlibCrc32('0.000'));
  });
});

describe('crc32DecimalDigits (Kraken form)', () => {
  it('equals zlib crc32 of the formatted string with "." removed and leading zeros stripped', () => {
    fc.assert(
      fc.property(units, scale, decimals, (u, s, d) => {
        const text = krakenDigits(formatDecimal(u, s, d));
        expect(crc32Finish(crc32DecimalDigits(CRC32_INIT, u, s, d))).toBe(zlibCrc32(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('follows the documented examples', () => {
    const h = (u: number, s: number, d: number) => crc32Finish(crc32DecimalDigits(CRC32_INIT, u, s, d));
    expect(h(5000, 5, 5)).toBe(zlibCrc32('5000')); // "0.05000"
    expect(h(304, 8, 8)).toBe(zlibCrc32('304')); // "0.00000304"
    expect(h(452852, 1, 1)).toBe(zlibCrc32('452852')); // "45285.2"
    expect(h(10, 3, 3)).toBe(zlibCrc32('10')); // v2 "0.010" at price_precision 3
    expect(h(1360000000000, 8, 8)).toBe(zlibCrc32('1360000000000')); // "13600.00000000"
    expect(h(0, 2, 2)).toBe(zlibCrc32('')); // "0.00" → nothing left
  });

  it('streams several numbers like one concatenated string', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(units, scale, decimals), { maxLength: 20 }), (values) => {
        let crc = CRC32_INIT;
        let text = '';
        for (const [u, s, d] of values) {
          crc = crc32DecimalDigits(crc, u, s, d);
          text += krakenDigits(formatDecimal(u, s, d));
        }
        expect(crc32Finish(crc)).toBe(zlibCrc32(text));
      }),
    );
  });
});
