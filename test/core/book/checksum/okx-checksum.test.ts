import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OkxChecksum, okxChecksum } from '../../../../core/book/checksum/okx-checksum.ts';
import { L2Book } from '../../../../core/book/l2-book.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { formatDecimal, formatDecimalTrimmed } from '../../../../core/num/format-decimal.ts';

const inst = (priceScale: number, sizeScale: number, wirePrice = priceScale, wireSize = sizeScale) =>
  makeInstrument({
    exchange: 'kraken',
    venueSymbol: 'BTC-USD',
    symbol: 'BTC/USD',
    base: 'BTC',
    quote: 'USD',
    kind: 'spot',
    priceScale,
    sizeScale,
    wirePriceDecimals: wirePrice,
    wireSizeDecimals: wireSize,
  });

const signed = (u: number) => u | 0;

function okxByStrings(bids: Array<[string, string]>, asks: Array<[string, string]>): number {
  const parts: string[] = [];
  for (let i = 0; i < Math.max(bids.length, asks.length) && i < 25; i++) {
    if (i < bids.length) parts.push(bids[i]![0], bids[i]![1]);
    if (i < asks.length) parts.push(asks[i]![0], asks[i]![1]);
  }
  return signed(zlibCrc32(parts.join(':')));
}

describe('OKX checksum', () => {
  it('reproduces the documented examples (signed)', () => {
    const even = new L2Book();
    even.set(true, 33661, 7);
    even.set(true, 33660, 6);
    even.set(false, 33668, 9);
    even.set(false, 33680, 8);
    expect(okxChecksum.compute(even, inst(1, 0))).toBe(-1881014294);
    const odd = new L2Book();
    odd.set(true, 33661, 7);
    odd.set(false, 33668, 9);
    odd.set(false, 33680, 8);
    odd.set(false, 33720, 8);
    expect(okxChecksum.compute(odd, inst(1, 0))).toBe(831078360);
  });

  it('equals the string algorithm on random books (shortest and padded forms)', () => {
    const level = fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10 ** 10 }));
    fc.assert(
      fc.property(
        fc.array(level, { maxLength: 30 }),
        fc.array(level, { maxLength: 30 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        (bl, al, ps, ss, padded) => {
          const book = new L2Book();
          for (const [p, q] of bl) book.set(true, p, q);
          for (const [p, q] of al) book.set(false, p + 10_000_001, q);
          const fmt = (u: number, s: number) =>
            padded ? formatDecimal(u, s, s + 1) : formatDecimalTrimmed(u, s);
          const side = (levels: Array<[number, number]>) =>
            levels.map(([p, q]) => [fmt(p, ps), fmt(q, ss)] as [string, string]);
          const expected = okxByStrings(side(book.bids.top(25)), side(book.asks.top(25)));
          const checksum = new OkxChecksum({ padded });
          expect(checksum.compute(book, inst(ps, ss, ps + 1, ss + 1))).toBe(expected);
        },
      ),
    );
  });
});
