/**
 * An alarm rule evaluated over metric samples, the way CloudWatch evaluates the alarm built from
 * it: the last `evaluationPeriods` whole periods before `nowMs` (aligned to the period, as
 * CloudWatch aligns them), each reduced to one value by the rule's statistic (or the ratio), and
 * the rule fires when at least `datapointsToAlarm` of them breach. A period with no sample is
 * missing and counts as the rule's `missingData` says.
 *
 * Pure: the local task and the CDK builder's tests both call it with their own series.
 */
import type { AlarmRule, AlarmStatistic } from './alarm-rule.ts';

export interface MetricSample {
  /** Epoch milliseconds of the sample. */
  readonly atMs: number;
  readonly value: number;
}

/** Samples by metric name (for one dimension value, when the rule is `per` something). */
export type MetricSeries = Readonly<Record<string, readonly MetricSample[]>>;

export interface RuleEvaluation {
  readonly firing: boolean;
  /** Each period's value, oldest first; null where missing. */
  readonly values: readonly (number | null)[];
  readonly breaching: number;
}

export function evaluateRule(rule: AlarmRule, series: MetricSeries, nowMs: number): RuleEvaluation {
  const periodMs = rule.periodSeconds * 1000;
  const end = Math.floor(nowMs / periodMs) * periodMs;
  const values: (number | null)[] = [];
  let breaching = 0;
  for (let k = rule.evaluationPeriods; k >= 1; k--) {
    const from = end - k * periodMs;
    const to = from + periodMs;
    const value = periodValue(rule, series, from, to);
    values.push(value);
    if (value === null ? rule.missingData === 'breaching' : breaches(rule, value)) breaching++;
  }
  return { firing: breaching >= rule.datapointsToAlarm, values, breaching };
}

function periodValue(rule: AlarmRule, series: MetricSeries, from: number, to: number): number | null {
  if (rule.metric) return statistic(rule.metric.statistic, within(series[rule.metric.name], from, to));
  if (!rule.ratio) return null;
  const denominator = statistic('Sum', within(series[rule.ratio.denominator], from, to));
  if (denominator === null || denominator === 0) return null;
  const numerator = statistic('Sum', within(series[rule.ratio.numerator], from, to)) ?? 0;
  return (100 * numerator) / denominator;
}

function within(samples: readonly MetricSample[] | undefined, from: number, to: number): number[] {
  const out: number[] = [];
  if (samples) for (const s of samples) if (s.atMs >= from && s.atMs < to) out.push(s.value);
  return out;
}

function statistic(kind: AlarmStatistic, values: number[]): number | null {
  if (values.length === 0) return null;
  switch (kind) {
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'SampleCount':
      return values.length;
    case 'p99': {
      // Nearest rank, as CloudWatch's percentile over raw values.
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.ceil(0.99 * sorted.length) - 1] as number;
    }
  }
}

function breaches(rule: AlarmRule, value: number): boolean {
  switch (rule.comparison) {
    case '>':
      return value > rule.threshold;
    case '>=':
      return value >= rule.threshold;
    case '<':
      return value < rule.threshold;
    case '<=':
      return value <= rule.threshold;
  }
}
