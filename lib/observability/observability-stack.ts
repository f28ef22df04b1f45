/**
 * Dashboards and alarms of one environment: the four dashboards (dashboards.ts) and every alarm of
 * config/alarms.json (table-alarms.ts) → the processing stack's alert topic → the alerts function
 * and email. It only reads the other stacks (their functions, queues, service and topic).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { FargateService } from 'aws-cdk-lib/aws-ecs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AlarmTable } from '../../core/alerting/alarm-rule.ts';
import { PlatformDashboards } from './dashboards.ts';
import { TableAlarms } from './table-alarms.ts';

export interface Labelled<T> {
  readonly label: string;
  readonly value: T;
}

export interface ObservabilityStackProps extends StackProps {
  readonly namePrefix: string;
  readonly alarmTable: AlarmTable;
  readonly alertTopic: ITopic;
  readonly service: FargateService;
  /** The exchanges the task trades or records (per-exchange alarms). */
  readonly exchanges: readonly string[];
  readonly functions: readonly Labelled<IFunction>[];
  /** The functions fed by a Kinesis stream (iterator age). */
  readonly streamFunctions: readonly Labelled<IFunction>[];
  readonly deadLetterQueues: readonly Labelled<IQueue>[];
}

export class ObservabilityStack extends Stack {
  readonly dashboards: PlatformDashboards;
  readonly alarms: TableAlarms;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const fns = props.functions.map((f) => ({ label: f.label, fn: f.value }));
    const streamFns = props.streamFunctions.map((f) => ({ label: f.label, fn: f.value }));
    const queues = props.deadLetterQueues.map((q) => ({ label: q.label, queue: q.value }));
    this.dashboards = new PlatformDashboards(this, 'Dashboards', {
      namePrefix: props.namePrefix,
      service: props.service,
      functions: fns,
      streamFunctions: streamFns,
      deadLetterQueues: queues,
    });
    this.alarms = new TableAlarms(this, 'Alarms', {
      namePrefix: props.namePrefix,
      table: props.alarmTable,
      topic: props.alertTopic,
      scopes: {
        exchange: props.exchanges.map((exchange) => ({ label: exchange, dimensions: { exchange } })),
        function: fns.map((f) => ({ label: f.label, dimensions: { FunctionName: f.fn.functionName } })),
        'stream-function': streamFns.map((f) => ({
          label: f.label,
          dimensions: { FunctionName: f.fn.functionName },
        })),
        queue: queues.map((q) => ({ label: q.label, dimensions: { QueueName: q.queue.queueName } })),
      },
    });
  }
}
