/**
 * "Nice" steps of 1, 2 or 5 × 10^k, the rule people read at a glance: histogram bin widths, and
 * how many decimals tell such steps apart.
 */

/** The 1-2-5 step closest to span / count. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const unit = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return unit * mag;
}

/** Decimals needed to tell values `step` apart. */
export function decimalsForStep(step: number): number {
  if (!(step > 0)) return 0;
  return Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
}
