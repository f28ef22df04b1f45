/** Which way is better for each metric — used to rank sweeps and to colour heatmaps. */
import type { MetricKey } from './metrics.ts';

export type Direction = 'higher' | 'lower';

const LOWER_IS_BETTER: ReadonlySet<MetricKey> = new Set<MetricKey>([
  'maxDrawdown',
  'maxDrawdownDurationUs',
  'maxDrawdownDurationSec',
  'volatility',
  'volatilityPerSample',
  'volatilityOverPeriod',
  'fees',
  'funding',
  'numRejected',
]);

export function metricDirection(metric: MetricKey): Direction {
  return LOWER_IS_BETTER.has(metric) ? 'lower' : 'higher';
}

/** Comparator: negative when `a` is better than `b`; NaN sorts after every number. */
export function compareBetter(a: number, b: number, direction: Direction): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  if (a === b) return 0; // also Infinity vs Infinity, where a − b is NaN
  return direction === 'higher' ? (a > b ? -1 : 1) : a < b ? -1 : 1;
}
