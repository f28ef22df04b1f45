/**
 * Heatmap colours, which are data: green = better, red = worse (the metric's direction decides),
 * diverging around 0 when the values straddle it (a loss is red whatever its rank), a single green
 * ramp otherwise; and the ink that stays readable on a cell.
 */
type Rgb = readonly [number, number, number];
const RED: Rgb = [220, 38, 38];
const WHITE: Rgb = [246, 246, 240];
const GREEN: Rgb = [22, 163, 74];
const PALE_GREEN: Rgb = [220, 244, 228];

function mix(a: Rgb, b: Rgb, t: number): string {
  const c = (i: 0 | 1 | 2) => Math.round(a[i] + (b[i] - a[i]) * Math.min(1, Math.max(0, t)));
  return `rgb(${c(0)},${c(1)},${c(2)})`;
}

/** Fill colour of a value; "goodness" follows the direction. */
export function heatColour(v: number, min: number, max: number, direction: 'higher' | 'lower'): string {
  const g = direction === 'higher' ? v : -v;
  const gMin = direction === 'higher' ? min : -max;
  const gMax = direction === 'higher' ? max : -min;
  if (!Number.isFinite(g)) return g > 0 ? mix(WHITE, GREEN, 1) : mix(WHITE, RED, 1);
  if (gMin < 0 && gMax > 0) {
    const m = Math.max(-gMin, gMax);
    return g >= 0 ? mix(WHITE, GREEN, g / m) : mix(WHITE, RED, -g / m);
  }
  if (gMax === gMin) return mix(PALE_GREEN, GREEN, 0.6);
  const t = (g - gMin) / (gMax - gMin);
  return gMax <= 0 ? mix(RED, WHITE, t) : mix(PALE_GREEN, GREEN, t);
}

/** Text colour that stays readable on the cell colour. */
export function inkFor(fill: string): string {
  const m = /rgb\((\d+),(\d+),(\d+)\)/.exec(fill);
  if (!m) return '#111111';
  const lum = 0.299 * Number(m[1]) + 0.587 * Number(m[2]) + 0.114 * Number(m[3]);
  return lum > 150 ? '#111111' : '#ffffff';
}
