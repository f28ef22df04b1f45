/**
 * Where alarms and breaker events go: an SNS topic, encrypted with a rotating customer key
 * (CloudWatch alarms may publish to it: the AWS-managed SNS key would refuse them), delivered
 *   - by email, when the environment names an address (SNS asks it to confirm once);
 *   - to a Slack-compatible webhook through the alerts function, which reads the webhook URL from
 *     Secrets Manager (ALERT_WEBHOOK_SECRET_ARN): the URL is a credential and stays out of the
 *     template and the function's configuration.
 * A delivery the function could not make after Lambda's retries lands in a dead-letter queue.
 */
import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { HandlerFunction, type HandlerFunctionProps } from '../shared/handler-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** The webhook secret's value until an operator puts the real URL (docs/deploy.md). */
export const WEBHOOK_PLACEHOLDER = 'unset';

export interface AlertDeliveryProps {
  readonly namePrefix: string;
  readonly alertEmail: string | null;
  readonly retainOnDelete: boolean;
  readonly function: Omit<HandlerFunctionProps, 'name' | 'timeout' | 'environment'>;
  /** Settings every platform function receives (the idempotency table). */
  readonly environment: Readonly<Record<string, string>>;
}

export class AlertDelivery extends Construct {
  readonly topic: Topic;
  readonly webhookSecret: Secret;
  readonly handler: HandlerFunction;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: AlertDeliveryProps) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: `${props.namePrefix} alert topic`,
      enableKeyRotation: true,
      removalPolicy: props.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: `${props.namePrefix} alerts`,
      masterKey: key,
      enforceSSL: true,
    });
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      what: 'Alerts that could not be delivered to the webhook',
      alarmTopic: this.topic,
    });
    this.webhookSecret = new Secret(this, 'WebhookUrl', {
      secretName: `${props.namePrefix}/alert-webhook-url`,
      description:
        'Slack-compatible incoming-webhook URL (the whole secret string); "unset" sends no webhook',
      // A placeholder, not a secret: CloudFormation writes it once, and a later deploy leaves the
      // operator's value alone because the template value does not change.
      secretStringValue: SecretValue.unsafePlainText(WEBHOOK_PLACEHOLDER),
      removalPolicy: props.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An incoming-webhook URL is issued by the chat service and replaced there; Secrets Manager cannot rotate it.',
    });
    this.handler = new HandlerFunction(this, 'Alerts', {
      ...props.function,
      name: 'alerts',
      timeout: Duration.seconds(30),
      environment: { ...props.environment, ALERT_WEBHOOK_SECRET_ARN: this.webhookSecret.secretArn },
    });
    this.handler.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetters.queue),
    });
    this.webhookSecret.grantRead(this.handler.fn);
    this.topic.addSubscription(
      new LambdaSubscription(this.handler.fn, { deadLetterQueue: this.deadLetters.queue }),
    );
    if (props.alertEmail) this.topic.addSubscription(new EmailSubscription(props.alertEmail));
  }
}
