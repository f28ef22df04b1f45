/**
 * The CloudWatch alarms of config/alarms.json, one per rule and scope value (`per`: each exchange
 * the task trades, each function, each stream function, each dead-letter queue), each publishing
 * to the alert topic. The same table drives the task's local alerting, so a threshold is written
 * once (core/alerting/alarm-rule.ts).
 */
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { AlarmRule, AlarmScope, AlarmTable } from '../../core/alerting/alarm-rule.ts';
import { type AlarmScopeValue, alarmMetric } from './alarm-metrics.ts';

const OPERATORS: Readonly<Record<AlarmRule['comparison'], ComparisonOperator>> = {
  '>': ComparisonOperator.GREATER_THAN_THRESHOLD,
  '>=': ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  '<': ComparisonOperator.LESS_THAN_THRESHOLD,
  '<=': ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

export interface TableAlarmsProps {
  readonly namePrefix: string;
  readonly table: AlarmTable;
  readonly topic: ITopic;
  /** The values of each scope a rule may be `per`. */
  readonly scopes: Readonly<Record<AlarmScope, readonly AlarmScopeValue[]>>;
}

export class TableAlarms extends Construct {
  /** By alarm name (`<prefix>-<rule id>[-<scope label>]`). */
  readonly alarms = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: TableAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    for (const rule of props.table.alarms) {
      const targets: readonly (AlarmScopeValue | null)[] =
        rule.per === null ? [null] : props.scopes[rule.per];
      for (const target of targets) {
        const name = target
          ? `${props.namePrefix}-${rule.id}-${target.label}`
          : `${props.namePrefix}-${rule.id}`;
        const alarm = new Alarm(this, target ? `${rule.id}-${target.label}` : rule.id, {
          alarmName: name,
          alarmDescription: `[${rule.severity}] ${rule.description}${target ? ` (${target.label})` : ''} — config/alarms.json "${rule.id}"`,
          metric: alarmMetric(rule, target),
          threshold: rule.threshold,
          comparisonOperator: OPERATORS[rule.comparison],
          evaluationPeriods: rule.evaluationPeriods,
          datapointsToAlarm: rule.datapointsToAlarm,
          treatMissingData:
            rule.missingData === 'breaching' ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
        });
        alarm.addAlarmAction(action);
        this.alarms.set(name, alarm);
      }
    }
  }
}
