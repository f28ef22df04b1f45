import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAlarmTable } from '../../../config/alarms.ts';
import type { AlarmRule } from '../../../core/alerting/alarm-rule.ts';
import { evaluateRule, type MetricSample } from '../../../core/alerting/evaluate-rule.ts';
import { testStage } from '../support/test-stage.ts';

interface AlarmProps {
  AlarmName: string;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  TreatMissingData: string;
  MetricName?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  Namespace?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: { Id: string; Expression?: string }[];
  AlarmActions: unknown[];
}

const table = loadAlarmTable();
const CMP: Record<string, (v: number, t: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

describe('ObservabilityStack', () => {
  let template: Template;
  let alarms: AlarmProps[];
  beforeAll(() => {
    template = Template.fromStack(testStage('dev').observability);
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (r) => (r as { Properties: AlarmProps }).Properties,
    );
  });

  const alarmsOf = (rule: AlarmRule) =>
    alarms.filter(
      (a) =>
        a.AlarmName === `tradeplane-dev-${rule.id}` || a.AlarmName.startsWith(`tradeplane-dev-${rule.id}-`),
    );

  it('builds every rule of config/alarms.json, per exchange, function and queue, each to the alert topic', () => {
    for (const rule of table.alarms) expect(alarmsOf(rule).length, rule.id).toBeGreaterThan(0);
    expect(
      alarmsOf(table.alarms.find((r) => r.id === 'lambda-errors') as AlarmRule)
        .map((a) => a.AlarmName)
        .sort(),
    ).toEqual(
      ['alerts', 'control', 'normalize', 'reconcile', 'record'].map(
        (f) => `tradeplane-dev-lambda-errors-${f}`,
      ),
    );
    expect(
      alarmsOf(table.alarms.find((r) => r.id === 'venue-down') as AlarmRule).length,
    ).toBeGreaterThanOrEqual(2);
    for (const a of alarms) expect(a.AlarmActions, a.AlarmName).toHaveLength(1);
  });

  it('renders each rule’s threshold, comparison, periods and statistic exactly', () => {
    for (const rule of table.alarms)
      for (const a of alarmsOf(rule)) {
        expect(a.Threshold, a.AlarmName).toBe(rule.threshold);
        expect(a.EvaluationPeriods).toBe(rule.evaluationPeriods);
        expect(a.DatapointsToAlarm).toBe(rule.datapointsToAlarm);
        expect(a.TreatMissingData).toBe(rule.missingData);
        if (rule.metric) {
          expect(a.MetricName).toBe(rule.metric.name);
          expect(a.Period).toBe(rule.periodSeconds);
          expect(a.Statistic ?? a.ExtendedStatistic).toBe(rule.metric.statistic);
          expect(a.Namespace).toBe(rule.metric.namespace);
          if (rule.source !== 'aws')
            expect(a.Dimensions).toContainEqual({
              Name: 'service',
              Value: rule.source === 'task' ? 'live' : 'reconcile',
            });
        } else expect(a.Metrics?.find((m) => m.Expression)?.Expression).toBe('100 * failed / requested');
      }
  });

  it('the synthesized alarm and the local evaluator agree on the same series, at and past the threshold', () => {
    const now = 1_800_000_000_000;
    for (const rule of table.alarms) {
      const [alarm] = alarmsOf(rule);
      if (!alarm || !rule.metric) continue;
      const compare = CMP[alarm.ComparisonOperator];
      if (!compare) throw new Error(alarm.ComparisonOperator);
      const p = rule.periodSeconds * 1000;
      const end = Math.floor(now / p) * p;
      for (const value of [rule.threshold - 1, rule.threshold, rule.threshold + 1]) {
        const samples: MetricSample[] = Array.from({ length: rule.evaluationPeriods }, (_, k) => ({
          atMs: end - (k + 1) * p + 1,
          value,
        }));
        // Every period at `value`: CloudWatch alarms exactly when the comparison holds.
        expect(
          evaluateRule(rule, { [rule.metric.name]: samples }, now).firing,
          `${rule.id} at ${value}`,
        ).toBe(compare(value, alarm.Threshold));
      }
    }
  });

  it('has the four dashboards of the environment', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map(
      (d) => (d as { Properties: { DashboardName: string } }).Properties.DashboardName,
    );
    expect(names.sort()).toEqual([
      'tradeplane-dev-exchanges',
      'tradeplane-dev-latency',
      'tradeplane-dev-system',
      'tradeplane-dev-trading',
    ]);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of [
      'pnl',
      'market_data_latency_ms',
      'venue_connected',
      'IteratorAge',
      'ApproximateNumberOfMessagesVisible',
    ])
      expect(body, metric).toContain(metric);
  });
});
