/**
 * Which metric a ranking or a walk-forward comparison uses when it is asked for an annualized one
 * (sharpe, sortino, volatility, annualizedReturn) and some run is too short to annualize (the value
 * is NaN, returns.ts MIN_ANNUALIZATION_DAYS): its per-sample form. Per sample, not over the run:
 * per-sample figures do not grow with the run's length, so in-sample and out-of-sample windows of
 * different lengths still compare, and within one sweep they order runs like the annualized ones.
 * The caller reports the metric actually used.
 */
import type { MetricKey, Metrics } from './metrics.ts';
import { MICROS_PER_SECOND } from './periods.ts';
import { annualizationSupported } from './returns.ts';

const STAND_IN: Partial<Readonly<Record<MetricKey, MetricKey>>> = {
  sharpe: 'sharpePerSample',
  sortino: 'sortinoPerSample',
  volatility: 'volatilityPerSample',
  annualizedReturn: 'returnPerSample',
};

export function comparableMetric(metric: MetricKey, runs: readonly Metrics[]): MetricKey {
  const standIn = STAND_IN[metric];
  if (standIn === undefined) return metric;
  // NaN for another reason (a run that failed) stays NaN and ranks last.
  const tooShort = runs.some(
    (m) => Number.isNaN(m[metric]) && !annualizationSupported(m.periodSec * MICROS_PER_SECOND),
  );
  return tooShort ? standIn : metric;
}
