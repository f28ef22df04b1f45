/**
 * The CloudWatch metric (or metric math) of one alarm rule for one scope value: what the rule's
 * `source` emits under which dimensions. The task's and the reconcile function's Powertools
 * metrics carry the `service` dimension; per-exchange ones add `exchange`. AWS metrics take the
 * resource's own dimension (FunctionName, QueueName).
 */
import { Duration } from 'aws-cdk-lib';
import { type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmRule } from '../../core/alerting/alarm-rule.ts';
import { METRICS_NAMESPACE } from '../shared/handler-function.ts';

/** The Powertools service name each source publishes under. */
export const SOURCE_SERVICE = { task: 'live', reconcile: 'reconcile' } as const;

/** One alarm target: the dimension the rule's `per` names, and its value. */
export interface AlarmScopeValue {
  readonly label: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export function alarmMetric(rule: AlarmRule, scope: AlarmScopeValue | null): IMetric {
  const period = Duration.seconds(rule.periodSeconds);
  const dimensionsMap: Record<string, string> = {
    ...(rule.source === 'aws' ? {} : { service: SOURCE_SERVICE[rule.source] }),
    ...scope?.dimensions,
  };
  if (rule.metric)
    return new Metric({
      namespace: rule.metric.namespace === 'Tradeplane' ? METRICS_NAMESPACE : rule.metric.namespace,
      metricName: rule.metric.name,
      statistic: rule.metric.statistic,
      dimensionsMap,
      period,
    });
  const ratio = rule.ratio;
  if (!ratio) throw new Error(`alarm ${rule.id} has neither metric nor ratio`);
  const part = (metricName: string) =>
    new Metric({ namespace: METRICS_NAMESPACE, metricName, statistic: 'Sum', dimensionsMap, period });
  return new MathExpression({
    expression: '100 * failed / requested',
    usingMetrics: { failed: part(ratio.numerator), requested: part(ratio.denominator) },
    label: `${ratio.numerator} / ${ratio.denominator} (%)`,
    period,
  });
}
