/**
 * The control queue the task long-polls (fargate/control/control-poller.ts): the control function
 * sends a notice on every kill, reset and params change, so the task reacts before its next 250 ms
 * poll of the control item. Messages are nudges with a short life: one older than 5 minutes says
 * nothing the item does not, so they expire instead of piling up while no task runs.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ControlNoticeQueueProps {
  readonly queueName: string;
}

export class ControlNoticeQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: ControlNoticeQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.minutes(5),
      receiveMessageWaitTime: Duration.seconds(20),
      visibilityTimeout: Duration.seconds(30),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'A control notice only prompts the task to read the control item, which holds the state; a notice that cannot be handled is simply superseded, so a dead-letter queue would keep nothing of value.',
    });
  }
}
