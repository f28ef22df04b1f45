import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageConfig, testStage } from '../support/test-stage.ts';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

function functionByService(template: Template, service: string): { Properties: Record<string, unknown> } {
  const found = Object.values(template.findResources('AWS::Lambda::Function') as Resources).find(
    (f) =>
      (f.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables
        .POWERTOOLS_SERVICE_NAME === service,
  );
  if (!found) throw new Error(`no function with POWERTOOLS_SERVICE_NAME ${service}`);
  return found;
}

function variables(template: Template, service: string): Record<string, unknown> {
  return (
    functionByService(template, service).Properties.Environment as { Variables: Record<string, unknown> }
  ).Variables;
}

describe('ProcessingStack', () => {
  let dev: Template;
  beforeAll(() => {
    dev = Template.fromStack(testStage('dev').processing);
  });

  it('runs the three handlers on nodejs22.x ARM64 with tracing, each from lambdas/<name>/handler.ts', () => {
    for (const service of ['normalize', 'record', 'alerts']) {
      expect(functionByService(dev, service).Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      expect(variables(dev, service)).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: 'Tradeplane',
        IDEMPOTENCY_TABLE: { Ref: expect.stringMatching(/^IdempotencyTable/) },
        ENVIRONMENT: 'dev',
      });
    }
    expect(variables(dev, 'normalize').NORMALIZED_STREAM_NAME).toBeDefined();
    expect(variables(dev, 'record')).toMatchObject({
      ARCHIVE_PREFIX: 'lake',
      ARCHIVE_BUCKET: expect.anything(),
    });
    expect(variables(dev, 'alerts').ALERT_WEBHOOK_SECRET_ARN).toBeDefined();
  });

  it('reads both streams with bisect, partial batch responses, bounded retries and an SQS dead-letter queue', () => {
    dev.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    // Normalize reads raw at low latency; record gathers a minute per Parquet file.
    dev.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 1,
    });
    dev.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10000,
      MaximumBatchingWindowInSeconds: 60,
    });
    dev.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    // Two stream dead-letter queues and the alerts one, each alarmed on the first message.
    dev.resourceCountIs('AWS::SQS::Queue', 3);
    dev.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    dev.allResourcesProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
  });

  it('lets the record function put objects under the archive prefix and nothing else in S3', () => {
    const policies = JSON.stringify(dev.findResources('AWS::IAM::Policy'));
    const s3Actions = [...policies.matchAll(/"(s3:[A-Za-z*]+)"/g)].map((m) => m[1]);
    expect(new Set(s3Actions)).toEqual(new Set(['s3:PutObject']));
    expect(policies).toContain('-archive-');
    expect(policies).toContain('/lake/*');
  });

  it('keeps idempotency records in the Powertools layout with a TTL', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('delivers alerts through an encrypted topic to the alerts function', () => {
    dev.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    dev.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
    dev.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('leaves Timestream out by default and wires it in when the environment turns it on', () => {
    dev.resourceCountIs('AWS::Timestream::Table', 0);
    expect(variables(dev, 'record').TIMESTREAM_DATABASE).toBeUndefined();
    const on = Template.fromStack(
      testStage('dev', {
        config: stageConfig('dev', (c) => {
          c.timestream = true;
          c.processing.alertEmail = 'ops@example.com';
        }),
      }).processing,
    );
    on.hasResourceProperties('AWS::Timestream::Table', { TableName: 'market_metrics' });
    expect(variables(on, 'record')).toMatchObject({
      TIMESTREAM_DATABASE: 'tradeplane-dev',
      TIMESTREAM_TABLE: 'market_metrics',
    });
    expect(JSON.stringify(on.findResources('AWS::IAM::Policy'))).toContain('timestream:WriteRecords');
    on.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('scales the event sources per environment', () => {
    const prod = Template.fromStack(testStage('prod').processing);
    prod.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      ParallelizationFactor: 2,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 21600,
    });
  });
});
