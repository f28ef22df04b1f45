/**
 * The innermost loop of the platform: walk a Binance `[["price","size"],...]` range, parse each
 * decimal straight into integer units and write it into the book — one pass over the characters,
 * no strings, no callbacks, no allocation.
 *
 * It accepts only the exact shape Binance sends (plain digits with a dot, no spaces); anything
 * else returns -1 and the caller takes the general path (forEachWireLevel +
 * FeedCore.levelRange), which classifies the problem precisely. So this function may be strict and
 * fast without ever deciding that a frame is bad.
 */
import type { LevelChanges } from '../../book/level-changes.ts';
import type { L2Book } from '../../book/l2-book.ts';
import { LevelUpdate } from '../../book/l2-book.ts';
import { POW10 } from '../../num/pow10.ts';

const QUOTE = 34;
const COMMA = 44;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LBRACKET = 91;
const RBRACKET = 93;

/**
 * Apply every level of `text[start, end)`; returns the number of levels written, or -1 when the
 * shape is not the plain one. Levels before the unusual one have been written already; sizes are
 * absolute, so the caller simply redoes the whole frame on the general path.
 */
export function applyWireLevels(
  text: string,
  start: number,
  end: number,
  isBid: boolean,
  book: L2Book,
  changes: LevelChanges,
  priceScale: number,
  sizeScale: number,
): number {
  let i = start + 1; // past '['
  let c = text.charCodeAt(i);
  if (c === RBRACKET) return i + 1 === end ? 0 : -1;
  let n = 0;
  for (;;) {
    if (c !== LBRACKET || text.charCodeAt(i + 1) !== QUOTE) return -1;
    i += 2;
    // price
    let price = 0;
    let digits = 0;
    c = text.charCodeAt(i);
    while (c >= ZERO && c <= NINE) {
      price = price * 10 + (c - ZERO);
      digits++;
      c = text.charCodeAt(++i);
    }
    let frac = 0;
    if (c === DOT) {
      c = text.charCodeAt(++i);
      while (frac < priceScale && c >= ZERO && c <= NINE) {
        price = price * 10 + (c - ZERO);
        frac++;
        c = text.charCodeAt(++i);
      }
      while (c === ZERO) c = text.charCodeAt(++i);
    }
    if (c !== QUOTE || digits === 0) return -1;
    if (frac < priceScale) price *= POW10[priceScale - frac]!;
    if (text.charCodeAt(i + 1) !== COMMA || text.charCodeAt(i + 2) !== QUOTE) return -1;
    i += 3;
    // size
    let size = 0;
    digits = 0;
    c = text.charCodeAt(i);
    while (c >= ZERO && c <= NINE) {
      size = size * 10 + (c - ZERO);
      digits++;
      c = text.charCodeAt(++i);
    }
    frac = 0;
    if (c === DOT) {
      c = text.charCodeAt(++i);
      while (frac < sizeScale && c >= ZERO && c <= NINE) {
        size = size * 10 + (c - ZERO);
        frac++;
        c = text.charCodeAt(++i);
      }
      while (c === ZERO) c = text.charCodeAt(++i);
    }
    if (c !== QUOTE || digits === 0 || text.charCodeAt(i + 1) !== RBRACKET) return -1;
    if (frac < sizeScale) size *= POW10[sizeScale - frac]!;
    if (price > Number.MAX_SAFE_INTEGER || size > Number.MAX_SAFE_INTEGER || price === 0) return -1;
    if (book.set(isBid, price, size) === LevelUpdate.Rejected) return -1;
    changes.push(isBid, price, size);
    n++;
    i += 2;
    c = text.charCodeAt(i);
    if (c === COMMA) {
      c = text.charCodeAt(++i);
      continue;
    }
    return c === RBRACKET && i + 1 === end ? n : -1;
  }
}
