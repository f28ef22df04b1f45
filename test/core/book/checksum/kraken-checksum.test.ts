import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { krakenV1Checksum, krakenV2Checksum } from '../../../../core/book/checksum/kraken-checksum.ts';
import { L2Book } from '../../../../core/book/l2-book.ts';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { formatDecimal } from '../../../../core/num/format-decimal.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';

function instrument(priceScale: number, sizeScale: number, wirePrice = priceScale, wireSize = sizeScale) {
  return makeInstrument({
    exchange: 'kraken',
    venueSymbol: 'X/Y',
    symbol: 'X/Y',
    base: 'X',
    quote: 'Y',
    kind: 'spot',
    priceScale,
    sizeScale,
    wirePriceDecimals: wirePrice,
    wireSizeDecimals: wireSize,
  });
}

function bookOf(
  bids: ReadonlyArray<readonly [string, string]>,
  asks: ReadonlyArray<readonly [string, string]>,
  priceScale: number,
  sizeScale: number,
): L2Book {
  const b = new L2Book();
  for (const [p, q] of bids) b.set(true, parseDecimal(p, priceScale), parseDecimal(q, sizeScale));
  for (const [p, q] of asks) b.set(false, parseDecimal(p, priceScale), parseDecimal(q, sizeScale));
  return b;
}

/** The documented algorithm on strings, the slow obvious way. */
function krakenByStrings(
  asks: ReadonlyArray<readonly [string, string]>,
  bids: ReadonlyArray<readonly [string, string]>,
): number {
  const f = (s: string) => s.replace('.', '').replace(/^0+/, '');
  let text = '';
  for (const [p, q] of asks.slice(0, 10)) text += f(p) + f(q);
  for (const [p, q] of bids.slice(0, 10)) text += f(p) + f(q);
  return zlibCrc32(text);
}

describe('Kraken v1 checksum', () => {
  it('reproduces the documented example (974947235)', () => {
    // docs.kraken.com book-checksum-v1: asks 0.05005…0.05050, bids 0.05000…0.04950 (no 0.04985),
    // each 0.00000500; the documented string is "5005500…4950500".
    const bidPrices = [5000, 4995, 4990, 4980, 4975, 4970, 4965, 4960, 4955, 4950];
    const asks: Array<[string, string]> = [];
    const bids: Array<[string, string]> = bidPrices.map((p) => [formatDecimal(p, 5), '0.00000500']);
    for (let i = 0; i < 10; i++) asks.push([formatDecimal(5005 + 5 * i, 5), '0.00000500']);
    const book = bookOf(bids, asks, 5, 8);
    expect(krakenV1Checksum.compute(book, instrument(5, 8))).toBe(974947235);
  });

  it('uses the wire decimals, not the scale (XMR/USD pads prices to 8 decimals)', () => {
    const asks: Array<[string, string]> = [['354.80000000', '1.40000000']];
    const bids: Array<[string, string]> = [['354.15000000', '0.05000000']];
    const book = bookOf(bids, asks, 2, 8);
    expect(krakenV1Checksum.compute(book, instrument(2, 8, 8, 8))).toBe(krakenByStrings(asks, bids));
    expect(krakenV1Checksum.compute(book, instrument(2, 8))).not.toBe(krakenByStrings(asks, bids));
  });

  it('covers only the top 10 levels per side and handles empty sides', () => {
    const asks: Array<[string, string]> = [];
    for (let i = 0; i < 15; i++) asks.push([formatDecimal(1000 + i, 1), '1.000']);
    const book = bookOf([], asks, 1, 3);
    expect(krakenV1Checksum.compute(book, instrument(1, 3))).toBe(krakenByStrings(asks, []));
    expect(krakenV1Checksum.compute(new L2Book(), instrument(1, 3))).toBe(0);
  });

  it('equals the string algorithm on random books', () => {
    const level = fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10 ** 12 }));
    fc.assert(
      fc.property(
        fc.array(level, { maxLength: 25 }),
        fc.array(level, { maxLength: 25 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        (bidLevels, askLevels, ps, ss, pad) => {
          const book = new L2Book();
          for (const [p, q] of bidLevels) book.set(true, p, q);
          // Asks strictly above bids so the book is sane (the checksum does not care).
          for (const [p, q] of askLevels) book.set(false, p + 10_000_001, q);
          const inst = instrument(ps, ss, ps + pad, ss + pad);
          const asks = book.asks
            .top(10)
            .map(([p, q]) => [formatDecimal(p, ps, ps + pad), formatDecimal(q, ss, ss + pad)] as const);
          const bids = book.bids
            .top(10)
            .map(([p, q]) => [formatDecimal(p, ps, ps + pad), formatDecimal(q, ss, ss + pad)] as const);
          expect(krakenV1Checksum.compute(book, inst)).toBe(krakenByStrings(asks, bids));
        },
      ),
    );
  });
});

describe('Kraken v2 checksum', () => {
  // docs.kraken.com v2 example book (GST/USD, price_precision 3, qty_precision 8).
  const bids: Array<[string, string]> = [
    ['0.016', '255965.95133811'],
    ['0.015', '264465.46682136'],
    ['0.014', '198234.50375152'],
    ['0.013', '263077.71115063'],
    ['0.012', '135283.23181445'],
    ['0.011', '232726.34707055'],
    ['0.010', '211909.56878553'],
    ['0.009', '16666.66666666'],
    ['0.008', '13600.00000000'],
    ['0.007', '1000.00000000'],
  ];
  const asks: Array<[string, string]> = [
    ['0.017', '94510.50669693'],
    ['0.018', '232489.98702916'],
    ['0.019', '244770.01655926'],
    ['0.020', '103394.23779803'],
    ['0.021', '120226.44704447'],
    ['0.022', '122811.44535027'],
    ['0.023', '185766.68965043'],
    ['0.024', '95339.83830809'],
    ['0.025', '32960.86333331'],
    ['0.026', '86326.77204454'],
  ];

  it('reproduces the documented GST/USD checksum from precision-formatted levels', () => {
    const book = bookOf(bids, asks, 3, 8);
    expect(krakenV2Checksum.compute(book, instrument(3, 8, 3, 8))).toBe(1931231958);
  });

  it('does not reproduce it from float-formatted (shortest) strings', () => {
    const book = bookOf(bids, asks, 3, 8);
    // Decimals 0 → shortest form, what String(parseFloat(x)) would give: "0.01", "13600".
    expect(krakenV2Checksum.compute(book, instrument(3, 8, 0, 0))).toBe(2424001678);
  });
});
