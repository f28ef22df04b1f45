/**
 * Linear scales and "nice" ticks (steps of 1, 2 or 5 × 10^k), the rule every plotting library
 * uses because people read those steps at a glance.
 */

export interface LinearScale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  map(value: number): number;
}

export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 !== d0 ? (r1 - r0) / (d1 - d0) : 0;
  return { domain, range, map: (v) => r0 + (v - d0) * k };
}

/** The 1-2-5 step closest to span / count. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const unit = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return unit * mag;
}

/** Multiples of `step` inside [min, max] (with a little tolerance for float error). */
export function ticksInside(min: number, max: number, step: number): number[] {
  if (!(step > 0) || !(max >= min)) return [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const out: number[] = [];
  for (let i = first; i <= last && out.length < 1000; i++) out.push(roundToStep(i * step, step));
  return out;
}

/** Kill float residue (0.30000000000000004 → 0.3) at the step's precision. */
function roundToStep(v: number, step: number): number {
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(step)) + 2));
  return Number(v.toFixed(decimals));
}

/**
 * A domain that contains [min, max], is padded by `pad` of its span and ends on tick steps; a
 * single value gets a span of 1 % of itself (or ±1 around 0) so it still draws as a line.
 */
export function niceDomain(
  min: number,
  max: number,
  count = 5,
  pad = 0.04,
): { domain: [number, number]; step: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { domain: [0, 1], step: 0.2 };
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const half = Math.abs(min) > 0 ? Math.abs(min) * 0.005 : 1;
    min -= half;
    max += half;
  }
  const span = max - min;
  const lo = min - span * pad;
  const hi = max + span * pad;
  const step = niceStep(hi - lo, count);
  // Do not pad a domain across zero when the data stays on one side of it.
  const d0 = min >= 0 && lo < 0 ? 0 : Math.floor(lo / step) * step;
  const d1 = max <= 0 && hi > 0 ? 0 : Math.ceil(hi / step) * step;
  return { domain: [d0, d1], step };
}

/** Decimals needed to tell ticks `step` apart. */
export function decimalsForStep(step: number): number {
  if (!(step > 0)) return 0;
  return Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
}
