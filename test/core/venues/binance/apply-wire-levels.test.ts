import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Book } from '../../../../core/book/l2-book.ts';
import { LevelChanges } from '../../../../core/book/level-changes.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { applyFrameLevels, applyLevelArray } from '../../../../core/venues/binance/apply-wire-levels.ts';
import { DepthScan, ScanResult } from '../../../../core/venues/binance/depth-scanner.ts';

const PRICE_SCALE = 2;
const SIZE_SCALE = 8;

/** Decimals the way Binance writes them: fixed 8 decimals, sometimes fewer, sometimes none. */
const decimal = (maxInt: number, fractionDigits: number) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: maxInt }),
      fc.integer({ min: 0, max: 10 ** fractionDigits - 1 }),
      fc.constantFrom(8, 4, 0),
    )
    .map(([i, f, width]) => {
      const frac = String(f).padStart(fractionDigits, '0').padEnd(8, '0').slice(0, width);
      return width === 0 && f === 0 ? String(i) : `${i}.${frac || '0'}`;
    });
const price = decimal(999_999, PRICE_SCALE).filter((p) => parseDecimal(p, PRICE_SCALE) > 0);
const size = decimal(99_999, SIZE_SCALE);
const levels = fc.array(fc.tuple(price, size), { maxLength: 30 });

function frame(
  b: Array<[string, string]>,
  a: Array<[string, string]>,
  opts: { wrap?: boolean; futures?: boolean; asksFirst?: boolean } = {},
): string {
  const arrays = opts.asksFirst
    ? `"a":${JSON.stringify(a)},"b":${JSON.stringify(b)}`
    : `"b":${JSON.stringify(b)},"a":${JSON.stringify(a)}`;
  const data = `{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":100,"u":105${opts.futures ? ',"pu":99' : ''},${arrays}}`;
  return opts.wrap ? `{"stream":"btcusdt@depth@100ms","data":${data}}` : data;
}

/** What the frame's levels must become: parsed independently, in arrival order. */
function expected(b: Array<[string, string]>, a: Array<[string, string]>) {
  const units = (l: Array<[string, string]>) =>
    l.map(([p, q]) => [parseDecimal(p, PRICE_SCALE), parseDecimal(q, SIZE_SCALE)] as const);
  return { bids: units(b), asks: units(a) };
}

function applyStopped(scan: DepthScan, text: string, futures = false) {
  const book = new L2Book();
  const changes = new LevelChanges();
  expect(scan.scanHeader(text, futures)).toBe(ScanResult.Depth);
  expect(scan.levelsAt).toBeGreaterThan(0);
  const ok = applyFrameLevels(scan, book, changes, PRICE_SCALE, SIZE_SCALE);
  return { ok, book, changes };
}

describe('applyFrameLevels (one pass from the header scan into the book)', () => {
  it('applies exactly the levels of any plain frame, in order (property)', () => {
    const scan = new DepthScan();
    fc.assert(
      fc.property(
        levels,
        levels,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (b, a, wrap, futures, asksFirst) => {
          const { ok, changes } = applyStopped(scan, frame(b, a, { wrap, futures, asksFirst }), futures);
          expect(ok).toBe(true);
          expect(changes.toLevels()).toEqual(expected(b, a));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never accepts a cut-off frame, even over the bytes of a longer one (property)', () => {
    const scan = new DepthScan();
    fc.assert(
      fc.property(levels, levels, fc.boolean(), fc.nat(), (b, a, wrap, cut) => {
        const text = frame(b, a, { wrap });
        const prefix = text.slice(0, cut % text.length);
        // Fill the byte buffer with the whole frame first: a prefix must not read its stale tail.
        scan.scanHeader(text, false);
        if (scan.scanHeader(prefix, false) !== ScanResult.Depth) return;
        const book = new L2Book();
        expect(applyFrameLevels(scan, book, new LevelChanges(), PRICE_SCALE, SIZE_SCALE)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves anything but the plain shape to the general path', () => {
    const scan = new DepthScan();
    const head = '{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,';
    for (const tail of [
      '"b":[["1.00","2"]],"a":[] }x', // trailing garbage
      '"b":[["1.00","2"]],"a":[],"b":[]}', // a second "b"
      '"b":[["1.00","2"]]}', // no "a"
      '"b":[["1.00", "2"]],"a":[]}', // a space inside a level
      '"b":[["1.00","2","x"]],"a":[]}', // an extra tuple element
      '"b" :[["1.00","2"]],"a":[]}', // a space before the colon
      '"b":[["1e2","2"]],"a":[]}', // exponent
      '"b":[["-1.00","2"]],"a":[]}', // negative
      '"b":[["1.001","2"]],"a":[]}', // finer than the price unit
      '"b":[["0.00","2"]],"a":[]}', // zero price
      '"b":[["1.00",""]],"a":[]}', // empty size
      '"b":[["99999999999999999","2"]],"a":[]}', // beyond 2^53 units
      '"b":[[1.00,"2"]],"a":[]}', // a number, not a string
      '"b":[["1.00","2"x,["3.00","4"]],"a":[]}', // a level not closed
      '"b":[["1.00","2"]},"a":[]}', // an array not closed
      '"b":[["1.00","2"] ],"a":[]}', // a space before the array's end
      // Not digits inside a group of four (read with one 32-bit load): ':' and '/' border '0'–'9'.
      '"b":[["1.00","1.2345:67"]],"a":[]}',
      '"b":[["1.00","1.2/345678"]],"a":[]}',
      '"b":[["1.00","1.00000:00"]],"a":[]}',
      '"b":[["1.00","1.0000000\u0000"]],"a":[]}',
      // Forms Binance never writes: a leading zero, a dot without a fraction digit.
      '"b":[["01.00","2"]],"a":[]}',
      '"b":[["1.00","02"]],"a":[]}',
      '"b":[["1.","2"]],"a":[]}',
      '"b":[["1.00","2."]],"a":[]}',
      // Any key after the arrays (Binance sends none): the caller's full scan checks it for repeats.
      '"b":[],"a":[["3.10","0.5"]],"x":{"y":[1,"]]"]},"T":5}',
    ]) {
      const text = head + tail;
      expect(scan.scanHeader(text, false), text).toBe(ScanResult.Depth);
      expect(applyFrameLevels(scan, new L2Book(), new LevelChanges(), PRICE_SCALE, SIZE_SCALE), text).toBe(
        false,
      );
    }
    // A zero before the dot is the plain shape.
    const text = `${head}"b":[["0.10","0"]],"a":[["3.10","0.5"]]}`;
    expect(applyStopped(scan, text).ok).toBe(true);
  });

  it('waits for pu before stopping when the caller needs it (futures)', () => {
    const scan = new DepthScan();
    const text = '{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1.00","2"]],"a":[],"pu":0}';
    expect(scan.scanHeader(text, true)).toBe(ScanResult.Depth);
    expect(scan.levelsAt).toBe(-1); // read the whole frame instead
    expect(scan.prevFinalId).toBe(0);
    expect(text.slice(scan.bidsStart, scan.bidsEnd)).toBe('[["1.00","2"]]');
    expect(scan.scanHeader(text, false)).toBe(ScanResult.Depth);
    expect(scan.levelsAt).toBeGreaterThan(0);
  });
});

describe('applyLevelArray', () => {
  it('reads every digit position exactly, four at a time or one by one (property)', () => {
    const scan = new DepthScan();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.nat(8),
        (scale, units, zeros) => {
          // units × 10^-scale written with every fraction digit, then `zeros` extra zeros.
          const digits = units.toString().padStart(scale + 1, '0');
          const text =
            scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}${'0'.repeat(zeros)}`;
          const frame = `{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1","${text}"]],"a":[]}`;
          expect(scan.scan(frame)).toBe(ScanResult.Depth);
          const book = new L2Book();
          const end = applyLevelArray(scan, scan.bidsStart, book.bids, true, new LevelChanges(), 0, scale);
          if (units > BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(end).toBe(-1);
          } else {
            expect(end).toBe(scan.bidsEnd);
            expect(book.bids.sizeAtPrice(1)).toBe(Number(units));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes levels straight into the side and the change buffer, exact at the scale', () => {
    const scan = new DepthScan();
    const text =
      '{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["61837.63000000","0.00000000"],["61837.62000000","1.54698000"],["7","12345678.1"]],"a":[]}';
    expect(scan.scan(text)).toBe(ScanResult.Depth);
    const book = new L2Book();
    book.set(true, 6183763, 5);
    const changes = new LevelChanges();
    const end = applyLevelArray(scan, scan.bidsStart, book.bids, true, changes, 2, 8);
    expect(end).toBe(scan.bidsEnd);
    expect(book.bids.top()).toEqual([
      [6183762, 154698000],
      [700, 1234567810000000],
    ]);
    expect(changes.toLevels().bids).toEqual([
      [6183763, 0],
      [6183762, 154698000],
      [700, 1234567810000000],
    ]);
  });
});
