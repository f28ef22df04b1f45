/**
 * A long (x, y) series as the [x, y] pairs a chart gets: M4-downsampled to the plot's pixel columns
 * (downsample.ts), non-finite y dropped, x mapped (µs → ms for time axes).
 */
import { m4Indices } from './downsample.ts';

export function seriesPoints(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  domain: readonly [number, number],
  columns: number,
  mapX: (v: number) => number = (v) => v,
): [number, number][] {
  const keep = m4Indices(x, y, domain[0], domain[1], Math.max(1, Math.round(columns)));
  const out: [number, number][] = [];
  for (const i of keep) {
    const v = y[i]!;
    if (Number.isFinite(v)) out.push([mapX(x[i]!), v]);
  }
  return out;
}
