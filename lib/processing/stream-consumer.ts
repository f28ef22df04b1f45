/**
 * Connects a handler function to a Kinesis stream with the batch semantics the handlers are written
 * for (Powertools BatchProcessor, partial responses):
 *   - ReportBatchItemFailures: the handler names the first failed record and only it and the
 *     records after it are retried — never the successes before it;
 *   - bisect on error: a batch that throws is split until the poison record is alone;
 *   - bounded retries and record age, then the record's shard/sequence range goes to an SQS
 *     dead-letter queue (Lambda sends the pointer, not the data: replay reads it from the stream
 *     within its retention);
 *   - TRIM_HORIZON: a first deployment starts from the oldest retained record; the idempotency
 *     table makes the replay harmless.
 * Records of one `exchange:symbol` share a shard and stay in order, even with a parallelization
 * factor above 1 (Lambda keeps order per partition key).
 */
import { Duration } from 'aws-cdk-lib';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ConsumerConfig, ProcessingConfig } from '../../config/environments.ts';
import type { HandlerFunction } from '../shared/handler-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface StreamConsumerProps {
  readonly handler: HandlerFunction;
  readonly stream: IStream;
  readonly processing: ProcessingConfig;
  /** This function's batch settings (processing.normalize or processing.record). */
  readonly batching: ConsumerConfig;
  readonly alarmTopic: ITopic;
}

export class StreamConsumer extends Construct {
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const { processing: config, batching } = props;
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      what: `Records of ${props.stream.node.id} for ${props.handler.node.id}`,
      alarmTopic: props.alarmTopic,
    });
    props.handler.fn.addEventSource(
      new KinesisEventSource(props.stream, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: batching.batchSize,
        maxBatchingWindow: Duration.seconds(batching.maxBatchingWindowSeconds),
        parallelizationFactor: config.parallelizationFactor,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: config.retryAttempts,
        maxRecordAge: Duration.seconds(config.maxRecordAgeSeconds),
        onFailure: new SqsDlq(this.deadLetters.queue),
      }),
    );
  }
}
