/** `value` when it is a positive number, else `fallback` (NaN included: parse failures fall back). */
export function positiveOr(value: number, fallback: number): number {
  return value > 0 ? value : fallback;
}
