/**
 * The innermost loop of the platform: walk Binance `[["price","size"],...]` arrays in the frame's
 * bytes (DepthScan.bytes), parse each decimal straight into integer units and write it into the
 * book — one pass over the characters, no strings, no callbacks, no allocation.
 *
 * It accepts only the exact shape Binance sends (plain digits with a dot, no spaces); anything
 * else returns -1 / false and the caller takes the general path (forEachWireLevel +
 * FeedCore.levelRange), which classifies the problem precisely. So these functions may be strict
 * and fast without ever deciding that a frame is bad. Levels before the unusual one have been
 * written already; sizes are absolute, so the caller simply redoes the whole frame.
 */
import type { BookSide } from '../../book/book-side.ts';
import type { L2Book } from '../../book/l2-book.ts';
import { LevelUpdate } from '../../book/l2-book.ts';
import type { LevelChanges } from '../../book/level-changes.ts';
import { POW10 } from '../../num/pow10.ts';
import { type DepthScan, skipSpaces } from './depth-scanner.ts';

const QUOTE = 34;
const COMMA = 44;
const DOT = 46;
const ZERO = 48;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const RBRACE = 125;
const LOWER_A = 97;
const LOWER_B = 98;

/**
 * The rest of a frame that DepthScan.scanHeader stopped at (`scan.levelsAt`): apply the "b" and
 * "a" arrays, close the object (and the envelope), nothing after. So the arrays are read once,
 * checked and applied in the same pass. False: not the plain shape — including any other key
 * after the arrays (Binance sends none), which the caller's full scan reads and checks for repeats.
 */
export function applyFrameLevels(
  scan: DepthScan,
  book: L2Book,
  changes: LevelChanges,
  priceScale: number,
  sizeScale: number,
): boolean {
  const b = scan.bytes;
  let i = scan.levelsAt;
  let seen = 0;
  for (;;) {
    // At a key's opening quote.
    const k = b[i + 1]!;
    if (b[i] !== QUOTE) return false;
    if (
      (k === LOWER_B || k === LOWER_A) &&
      b[i + 2] === QUOTE &&
      b[i + 3] === COLON &&
      b[i + 4] === LBRACKET
    ) {
      const isBid = k === LOWER_B;
      const bit = isBid ? 1 : 2;
      if ((seen & bit) !== 0) return false;
      seen |= bit;
      i = applyLevelArray(scan, i + 4, isBid ? book.bids : book.asks, isBid, changes, priceScale, sizeScale);
      if (i < 0) return false;
    } else {
      return false;
    }
    i = skipSpaces(b, i);
    const c = b[i]!;
    if (c === COMMA) {
      i = skipSpaces(b, i + 1);
      continue;
    }
    if (c !== RBRACE) return false;
    // Close this object and the envelope around it, if any.
    for (let open = scan.levelsDepth - 1; open > 0; open--) {
      i = skipSpaces(b, i + 1);
      if (b[i] !== RBRACE) return false;
    }
    return seen === 3 && skipSpaces(b, i + 1) === scan.length;
  }
}

/**
 * Apply the level array at `bytes[i]` ('['); returns the offset after its ']', or -1 when it is
 * not the plain shape.
 *
 * Digits are summed in doubles (exact below 2^53; larger values are refused). Fractions with 4 or
 * more digits to read, and runs of trailing zeros, go four bytes at a time (one 32-bit load):
 * Binance spot writes 8 decimals everywhere ("61837.63000000", "0.15469800"): parsing alone got
 * ~30% faster on the spot capture (2–6% of the whole feed), unchanged on USD-M's short decimals.
 */
export function applyLevelArray(
  scan: DepthScan,
  i: number,
  side: BookSide,
  isBid: boolean,
  changes: LevelChanges,
  priceScale: number,
  sizeScale: number,
): number {
  const b = scan.bytes;
  const view = scan.view;
  let c = b[++i]!;
  if (c === RBRACKET) return i + 1;
  for (;;) {
    if (c !== LBRACKET || b[i + 1] !== QUOTE) return -1;
    i += 2;
    // Price: integer digits, then up to priceScale fraction digits, then only zeros.
    const priceStart = i;
    let price = 0;
    let d = b[i]! - ZERO;
    while (d >>> 0 < 10) {
      price = price * 10 + d;
      d = b[++i]! - ZERO;
    }
    // No digit, or a leading zero before another ("01.5"): not a form Binance writes.
    if (i === priceStart || (i - priceStart > 1 && b[priceStart] === ZERO)) return -1;
    let missing = priceScale;
    if (d === DOT - ZERO) {
      if ((b[i + 1]! - ZERO) >>> 0 >= 10) return -1; // "5." has no fraction digit
      i++;
      for (; missing >= 4; missing -= 4, i += 4) {
        const four = fourDigits(view, i);
        if (four < 0) break;
        price = price * 10_000 + four;
      }
      d = b[i]! - ZERO;
      for (; missing > 0 && d >>> 0 < 10; missing--) {
        price = price * 10 + d;
        d = b[++i]! - ZERO;
      }
      if (d === 0) {
        while (view.getUint32(i, true) === ZEROS) i += 4;
        d = b[i]! - ZERO;
        while (d === 0) d = b[++i]! - ZERO;
      }
    }
    if (d !== QUOTE - ZERO || b[i + 1] !== COMMA || b[i + 2] !== QUOTE) return -1;
    if (missing > 0) price *= POW10[missing]!;
    i += 3;
    // Size, the same way.
    const sizeStart = i;
    let size = 0;
    d = b[i]! - ZERO;
    while (d >>> 0 < 10) {
      size = size * 10 + d;
      d = b[++i]! - ZERO;
    }
    if (i === sizeStart || (i - sizeStart > 1 && b[sizeStart] === ZERO)) return -1;
    missing = sizeScale;
    if (d === DOT - ZERO) {
      if ((b[i + 1]! - ZERO) >>> 0 >= 10) return -1;
      i++;
      for (; missing >= 4; missing -= 4, i += 4) {
        const four = fourDigits(view, i);
        if (four < 0) break;
        size = size * 10_000 + four;
      }
      d = b[i]! - ZERO;
      for (; missing > 0 && d >>> 0 < 10; missing--) {
        size = size * 10 + d;
        d = b[++i]! - ZERO;
      }
      if (d === 0) {
        while (view.getUint32(i, true) === ZEROS) i += 4;
        d = b[i]! - ZERO;
        while (d === 0) d = b[++i]! - ZERO;
      }
    }
    if (d !== QUOTE - ZERO || b[i + 1] !== RBRACKET) return -1;
    if (missing > 0) size *= POW10[missing]!;
    if (price > Number.MAX_SAFE_INTEGER || size > Number.MAX_SAFE_INTEGER || price === 0) return -1;
    if (side.set(price, size) === LevelUpdate.Rejected) return -1;
    changes.push(isBid, price, size, side.previousSize);
    i += 2;
    c = b[i]!;
    if (c === COMMA) {
      c = b[++i]!;
      continue;
    }
    return c === RBRACKET ? i + 1 : -1;
  }
}

/** "0000" read little-endian. */
const ZEROS = 0x30303030;

/**
 * The value of the four ASCII digits at `i`, or -1 when they are not all digits. The frame's NUL
 * terminator fails the test, so a read never uses bytes past the frame.
 */
function fourDigits(view: DataView, i: number): number {
  const x = view.getUint32(i, true);
  // Every byte 0x30–0x39: high nibble 3, and still 3 after adding 6 (no carry can cross bytes then).
  if ((x & 0xf0f0f0f0) !== ZEROS || ((x + 0x06060606) & 0xf0f0f0f0) !== ZEROS) return -1;
  const digits = x - ZEROS; // first digit in the low byte
  const pairs = (Math.imul(digits, 10) + (digits >>> 8)) & 0x00ff00ff;
  return (Math.imul(pairs, 100) + (pairs >>> 16)) & 0xffff;
}
