/**
 * The Lambda side of the data plane of one environment:
 *   normalize  raw stream → normalized events and quality metrics → normalized stream;
 *   record     normalized stream → Parquet in the archive (the recorder's layout and writer), and
 *              top of book and quality to Timestream where the environment turns it on;
 *   alerts     the alert topic → webhook (and email straight from SNS).
 * All three share the idempotency table: a redelivered record is processed once.
 */
import { Duration, Stack, type StackProps, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environments.ts';
import { ARCHIVE_PREFIX, archiveBucketName } from '../data/archive-layout.ts';
import { HandlerFunction } from '../shared/handler-function.ts';
import { AlertDelivery } from './alert-delivery.ts';
import { IdempotencyTable } from './idempotency-table.ts';
import { StreamConsumer } from './stream-consumer.ts';
import { TimestreamStore } from './timestream-store.ts';

export interface ProcessingStackProps extends StackProps {
  readonly namePrefix: string;
  readonly environmentName: string;
  readonly config: EnvironmentConfig;
  readonly rawStream: IStream;
  readonly normalizedStream: IStream;
}

export class ProcessingStack extends Stack {
  readonly idempotency: IdempotencyTable;
  readonly alerts: AlertDelivery;
  readonly normalize: HandlerFunction;
  readonly record: HandlerFunction;
  readonly normalizeSource: StreamConsumer;
  readonly recordSource: StreamConsumer;
  readonly timestream: TimestreamStore | undefined;

  constructor(scope: Construct, id: string, props: ProcessingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const processing = config.processing;
    const functionDefaults = {
      environmentName: props.environmentName,
      logRetentionDays: processing.logRetentionDays,
      retainLogs: config.archive.retainOnDelete,
    };
    this.idempotency = new IdempotencyTable(this, 'Idempotency');
    const shared = { IDEMPOTENCY_TABLE: this.idempotency.table.tableName };

    this.alerts = new AlertDelivery(this, 'AlertDelivery', {
      namePrefix: props.namePrefix,
      alertEmail: processing.alertEmail,
      retainOnDelete: config.archive.retainOnDelete,
      function: { ...functionDefaults, memoryMiB: 256 },
      environment: shared,
    });
    const alarmTopic = this.alerts.topic;

    this.normalize = new HandlerFunction(this, 'Normalize', {
      ...functionDefaults,
      name: 'normalize',
      memoryMiB: processing.normalize.memoryMiB,
      timeout: Duration.minutes(1),
      environment: { ...shared, NORMALIZED_STREAM_NAME: props.normalizedStream.streamName },
    });
    props.normalizedStream.grantWrite(this.normalize.fn);
    this.normalizeSource = new StreamConsumer(this, 'NormalizeSource', {
      handler: this.normalize,
      stream: props.rawStream,
      processing,
      batching: processing.normalize,
      alarmTopic,
    });

    this.timestream = config.timestream
      ? new TimestreamStore(this, 'Timestream', {
          databaseName: props.namePrefix,
          memoryRetentionHours: 24,
          magneticRetentionDays: 365,
        })
      : undefined;
    const archiveBucket = archiveBucketName(props.namePrefix, this);
    this.record = new HandlerFunction(this, 'Record', {
      ...functionDefaults,
      name: 'record',
      memoryMiB: processing.record.memoryMiB,
      // Parquet encoding of a full batch and its S3 uploads: well above normalize's budget.
      timeout: Duration.minutes(3),
      environment: {
        ...shared,
        ARCHIVE_BUCKET: archiveBucket,
        ARCHIVE_PREFIX,
        ...(this.timestream
          ? { TIMESTREAM_DATABASE: this.timestream.databaseName, TIMESTREAM_TABLE: this.timestream.tableName }
          : {}),
      },
    });
    this.grantArchiveWrites(this.record, archiveBucket);
    this.timestream?.grantWrite(this.record);
    this.recordSource = new StreamConsumer(this, 'RecordSource', {
      handler: this.record,
      stream: props.normalizedStream,
      processing,
      batching: processing.record,
      alarmTopic,
    });

    for (const handler of [this.normalize, this.record, this.alerts.handler])
      this.idempotency.table.grantReadWriteData(handler.fn);
  }

  /** PutObject under the archive prefix only: the record function never reads, lists or deletes. */
  private grantArchiveWrites(writer: HandlerFunction, bucketName: string): void {
    const objects = `arn:${this.partition}:s3:::${bucketName}/${ARCHIVE_PREFIX}/*`;
    writer.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    // cdk-nag names the resource as rendered: unresolved pseudo parameters become <AWS::…>.
    let rendered = objects;
    if (Token.isUnresolved(this.partition)) rendered = rendered.replace(this.partition, '<AWS::Partition>');
    if (Token.isUnresolved(this.account)) rendered = rendered.replace(this.account, '<AWS::AccountId>');
    Validations.of(writer).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${rendered}]`,
      reason:
        'The recorder writes new keys (one per Parquet part, named by partition and sequence) under its prefix; no fixed list of keys exists.',
    });
  }
}
