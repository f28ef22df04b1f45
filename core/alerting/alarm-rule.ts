/**
 * One alarm rule of config/alarms.json: which metric (or ratio of two), how each period's value is
 * taken, the threshold and how many periods must breach. The same rule becomes a CloudWatch alarm
 * (lib/observability) and is evaluated locally over the task's own samples (evaluate-rule.ts), so
 * the two never disagree on a threshold.
 *
 * Design decision: the shape is CloudWatch's own (statistic, period, M of N, missing data) rather
 * than a richer local language, because every rule must have an exact CloudWatch rendering.
 */
import { z } from 'zod';

export const ALARM_STATISTICS = ['Maximum', 'Minimum', 'Average', 'Sum', 'SampleCount', 'p99'] as const;
export type AlarmStatistic = (typeof ALARM_STATISTICS)[number];

/** `exchange`: one alarm per venue; `function` / `stream-function` / `queue`: one per resource. */
export const ALARM_SCOPES = ['exchange', 'function', 'stream-function', 'queue'] as const;
export type AlarmScope = (typeof ALARM_SCOPES)[number];

const metricName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a metric name');
const namespace = z.enum(['Tradeplane', 'AWS/Lambda', 'AWS/SQS']);

/**
 * Who emits the metric: the trading task (Powertools service `live`; the local stack evaluates
 * these rules too), the reconcile function (service `reconcile`), or AWS (Lambda, SQS metrics).
 */
export const ALARM_SOURCES = ['task', 'reconcile', 'aws'] as const;
export type AlarmSource = (typeof ALARM_SOURCES)[number];

const common = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case id with dashes'),
  source: z.enum(ALARM_SOURCES),
  description: z.string().min(1),
  severity: z.enum(['page', 'warn']),
  per: z.enum(ALARM_SCOPES).nullable(),
  comparison: z.enum(['>', '>=', '<', '<=']),
  threshold: z.number().finite(),
  periodSeconds: z.union([z.literal(10), z.literal(30), z.number().int().min(60).multipleOf(60)]),
  evaluationPeriods: z.number().int().min(1).max(100),
  datapointsToAlarm: z.number().int().min(1).max(100),
  missingData: z.enum(['breaching', 'notBreaching']),
};

const metric = z.strictObject({ namespace, name: metricName, statistic: z.enum(ALARM_STATISTICS) });
/** 100 × Sum(numerator) / Sum(denominator) per period, in percent; a period with no denominator is missing. */
const ratio = z.strictObject({ namespace, numerator: metricName, denominator: metricName });

export const alarmRuleSchema = z
  .strictObject({ ...common, metric: metric.optional(), ratio: ratio.optional() })
  .check((ctx) => {
    const r = ctx.value;
    if ((r.metric === undefined) === (r.ratio === undefined))
      ctx.issues.push({
        code: 'custom',
        input: r,
        path: [],
        message: 'a rule has exactly one of metric or ratio',
      });
    const ns = r.metric?.namespace ?? r.ratio?.namespace;
    if (ns !== undefined && (ns === 'Tradeplane') === (r.source === 'aws'))
      ctx.issues.push({
        code: 'custom',
        input: r.source,
        path: ['source'],
        message: 'source aws goes with an AWS/ namespace, task and reconcile with Tradeplane',
      });
    if (r.datapointsToAlarm > r.evaluationPeriods)
      ctx.issues.push({
        code: 'custom',
        input: r.datapointsToAlarm,
        path: ['datapointsToAlarm'],
        message: 'datapointsToAlarm must not exceed evaluationPeriods',
      });
  });

export type AlarmRule = z.infer<typeof alarmRuleSchema>;

export const alarmTableSchema = z
  .strictObject({ $comment: z.string().optional(), alarms: z.array(alarmRuleSchema).min(1) })
  .refine((t) => new Set(t.alarms.map((a) => a.id)).size === t.alarms.length, {
    message: 'alarm ids must be unique',
    path: ['alarms'],
  });

export type AlarmTable = z.infer<typeof alarmTableSchema>;

/** The metric names a rule reads (one, or numerator and denominator). */
export function ruleMetrics(rule: AlarmRule): readonly string[] {
  if (rule.metric) return [rule.metric.name];
  return rule.ratio ? [rule.ratio.numerator, rule.ratio.denominator] : [];
}
