/**
 * Downsampling of long series for drawing: per pixel column keep the first, the minimum, the
 * maximum and the last point ("M4"), in their original order. A line through those points draws the
 * same pixels as the full series — spikes and flat stretches included — with at most 4 points per
 * pixel, so a million-point equity curve becomes a few thousand SVG coordinates.
 */

/** Indices to keep; x must be non-decreasing. `columns` = plot width in px. */
export function m4Indices(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  x0: number,
  x1: number,
  columns: number,
): number[] {
  const n = x.length;
  if (n <= columns * 4 || !(x1 > x0)) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  const scale = columns / (x1 - x0);
  let bucket = Number.NaN;
  let first = -1;
  let minI = -1;
  let maxI = -1;
  let last = -1;
  const flush = () => {
    if (first < 0) return;
    const picked = [first, minI, maxI, last].sort((a, b) => a - b);
    for (let k = 0; k < picked.length; k++) if (k === 0 || picked[k] !== picked[k - 1]) out.push(picked[k]!);
  };
  for (let i = 0; i < n; i++) {
    const b = Math.min(columns - 1, Math.max(0, Math.floor((x[i]! - x0) * scale)));
    const v = y[i]!;
    if (b !== bucket) {
      flush();
      bucket = b;
      first = minI = maxI = last = i;
      continue;
    }
    if (v < y[minI]!) minI = i;
    if (v > y[maxI]!) maxI = i;
    last = i;
  }
  flush();
  return out;
}
