/**
 * The control plane of one environment: the kill-switch URL (HTTP API, IAM auth) → the control
 * function → the control table (conditional writes) and the control queue the task long-polls;
 * the reconcile function on an EventBridge schedule; the task's access to the table and queue.
 *
 * It depends on the trading stack (the service the kill backstop scales to zero, the task role it
 * grants, the admin token and venue secrets) and never the reverse: the task learns the table and
 * queue by name (CONTROL_TABLE, CONTROL_QUEUE_URL), so no reference points back here.
 */
import { Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environments.ts';
import { HandlerFunction } from '../shared/handler-function.ts';
import type { TradingStack } from '../trading/trading-stack.ts';
import { ControlHttpApi } from './control-http-api.ts';
import { ControlNoticeQueue } from './control-notice-queue.ts';
import { ControlStateTable } from './control-state-table.ts';

/** How long the control function waits for the task to confirm a kill before answering 202. */
const CONFIRM_WAIT_MS = 3_000;
const RECONCILE_EVERY = Duration.minutes(5);

export interface ControlStackProps extends StackProps {
  readonly namePrefix: string;
  readonly environmentName: string;
  readonly config: EnvironmentConfig;
  readonly trading: TradingStack;
  /** Scale the service to zero when the task does not confirm a kill (default: on). */
  readonly killScalesService?: boolean;
}

export class ControlStack extends Stack {
  readonly state: ControlStateTable;
  readonly notices: ControlNoticeQueue;
  readonly control: HandlerFunction;
  readonly reconcile: HandlerFunction;
  readonly api: ControlHttpApi;
  readonly reconcileSchedule: Rule;

  constructor(scope: Construct, id: string, props: ControlStackProps) {
    super(scope, id, props);
    const { config, trading } = props;
    const retainOnDelete = config.archive.retainOnDelete;
    const names = controlResourceNames(props.namePrefix);
    this.state = new ControlStateTable(this, 'State', { tableName: names.table, retainOnDelete });
    this.notices = new ControlNoticeQueue(this, 'Notices', { queueName: names.queue });
    const functionDefaults = {
      environmentName: props.environmentName,
      logRetentionDays: config.processing.logRetentionDays,
      retainLogs: retainOnDelete,
    };
    const service = trading.live.service;
    this.control = new HandlerFunction(this, 'Control', {
      ...functionDefaults,
      name: 'control',
      memoryMiB: 512,
      // The confirmation wait plus a backstop call, well inside API Gateway's 30 s.
      timeout: Duration.seconds(15),
      environment: {
        CONTROL_TABLE: this.state.table.tableName,
        CONTROL_QUEUE_URL: this.notices.queue.queueUrl,
        ADMIN_TOKEN_SECRET_ARN: trading.secrets.adminToken.secretArn,
        KILL_CONFIRM_WAIT_MS: String(CONFIRM_WAIT_MS),
        KILL_SCALES_SERVICE: String(props.killScalesService ?? true),
        ECS_CLUSTER: trading.live.cluster.clusterName,
        ECS_SERVICE: service.serviceName,
      },
    });
    this.state.table.grantReadWriteData(this.control.fn);
    this.notices.queue.grantSendMessages(this.control.fn);
    trading.secrets.adminToken.grantRead(this.control.fn);
    this.control.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['ecs:UpdateService'], resources: [service.serviceArn] }),
    );
    this.api = new ControlHttpApi(this, 'Api', {
      apiName: `${props.namePrefix}-control`,
      handler: this.control.fn,
      logRetentionDays: config.processing.logRetentionDays,
      retainLogs: retainOnDelete,
    });
    new CfnOutput(this, 'Url', {
      description: 'The kill-switch URL (SigV4-signed requests; docs/runbook.md)',
      value: this.api.url,
    });

    this.reconcile = new HandlerFunction(this, 'Reconcile', {
      ...functionDefaults,
      name: 'reconcile',
      memoryMiB: 256,
      timeout: Duration.minutes(1),
      // The instrument list (config/instruments.json) maps the venues' symbols.
      runtimeFiles: { config: true },
      environment: {
        CONTROL_TABLE: this.state.table.tableName,
        VENUE_SECRETS: JSON.stringify(
          Object.fromEntries(
            [...trading.secrets.venueSecrets].map(([exchange, s]) => [exchange, s.secretArn]),
          ),
        ),
        STALE_AFTER_SECONDS: '180',
      },
    });
    this.state.table.grantReadData(this.reconcile.fn);
    for (const secret of trading.secrets.venueSecrets.values()) secret.grantRead(this.reconcile.fn);
    this.reconcileSchedule = new Rule(this, 'ReconcileSchedule', {
      description: 'Reconcile the task’s reported positions against the venues',
      schedule: Schedule.rate(RECONCILE_EVERY),
      targets: [new LambdaFunction(this.reconcile.fn, { retryAttempts: 0 })],
    });

    // The task: read the item, write its acknowledgements and reports, consume the queue. A
    // policy of this stack attached to the task role keeps the reference one-way.
    const taskRole = trading.live.taskDefinition.taskRole;
    new Policy(this, 'TaskControlAccess', {
      roles: [taskRole],
      statements: [
        new PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          resources: [this.state.table.tableArn],
        }),
        new PolicyStatement({
          actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          resources: [this.notices.queue.queueArn],
        }),
      ],
    });
    const container = trading.live.taskDefinition.defaultContainer;
    container?.addEnvironment('CONTROL_TABLE', names.table);
    container?.addEnvironment('CONTROL_QUEUE_URL', names.queueUrl);
  }
}

/** The control table's and queue's names, known to the trading task without a reference. */
export function controlResourceNames(namePrefix: string): { table: string; queue: string; queueUrl: string } {
  const queue = `${namePrefix}-control`;
  return {
    table: `${namePrefix}-control`,
    queue,
    queueUrl: `https://sqs.${Aws.REGION}.${Aws.URL_SUFFIX}/${Aws.ACCOUNT_ID}/${queue}`,
  };
}
