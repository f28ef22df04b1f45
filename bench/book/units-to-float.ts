/**
 * Our integer-unit levels as doubles, for comparing with libraries that keep Number(text).
 * units / 10^scale is exact-rounded (one IEEE division of two exact integers), so it equals
 * Number(wire text) bit for bit.
 */
import type { BookSide } from '../../core/book/book-side.ts';

export function bookSideToFloat(
  side: BookSide,
  priceScale: number,
  sizeScale: number,
): Array<[number, number]> {
  const pd = 10 ** priceScale;
  const sd = 10 ** sizeScale;
  return side.top().map(([p, s]) => [p / pd, s / sd]);
}
