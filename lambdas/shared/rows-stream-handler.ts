/**
 * The Lambda handler shape shared by the functions on the two data streams: a Kinesis batch whose
 * records are rows payloads (fargate/stream/rows-payload.ts), parsed with the Powertools parser
 * (zod, over base64-json-schema.ts), each record processed once (idempotent on its identity) and failures reported per record
 * (ReportBatchItemFailures): the event source retries from the first failed record, and the
 * records after it that had succeeded return their stored result without running again.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import middy from '@middy/core';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { type RowsPayload, rowsPayloadSchema } from '../../fargate/stream/rows-payload.ts';
import { base64Json } from './base64-json-schema.ts';
import { streamRecordIdempotency } from './idempotency-store.ts';
import { type Observability, withObservability } from './observability.ts';

/** A Kinesis record after parsing: its data is the validated payload. */
export type ParsedRowsRecord = Omit<KinesisStreamRecord, 'kinesis'> & {
  kinesis: Omit<KinesisStreamRecord['kinesis'], 'data'> & { data: RowsPayload };
};

export interface RowsStreamHandlerOptions<R> {
  /** The function's name: prefixes its idempotency keys, so two functions seeing one record keep apart. */
  readonly name: string;
  readonly observability: Observability;
  readonly persistence: BasePersistenceLayer;
  /**
   * Records of a batch at once (their work is independent: the record function's objects have
   * keys of their own) rather than in shard order (normalize: its puts keep the shard's order).
   */
  readonly inParallel?: boolean;
  /** One record's work; its result is what a redelivery gets back (keep it small). */
  readonly process: (payload: RowsPayload, record: ParsedRowsRecord) => Promise<R>;
}

export function rowsStreamHandler<R>(options: RowsStreamHandlerOptions<R>) {
  const { logger, metrics } = options.observability;
  const config = streamRecordIdempotency();
  const processor = new BatchProcessor(EventType.KinesisDataStreams, {
    parser,
    innerSchema: base64Json(rowsPayloadSchema),
    logger,
  });
  const processRecord = makeIdempotent(
    async (record: ParsedRowsRecord) => options.process(record.kinesis.data, record),
    { persistenceStore: options.persistence, config, keyPrefix: options.name },
  );
  const lambdaHandler = async (
    event: KinesisStreamEvent,
    context: Context,
  ): Promise<KinesisStreamBatchResponse> => {
    config.registerLambdaContext(context);
    const response = await processPartialResponse(
      event,
      (record: ParsedRowsRecord) => processRecord(record),
      processor,
      // A batch of nothing but failed records is answered like any other (each retried, then
      // dead-lettered by the event source mapping), not thrown.
      { context, processInParallel: options.inParallel ?? false, throwOnFullBatchFailure: false },
    );
    const failed = response.batchItemFailures.length;
    metrics.addMetric('recordsFailed', 'Count', failed);
    metrics.addMetric('recordsSucceeded', 'Count', event.Records.length - failed);
    if (failed > 0) logger.warn('records failed', { failed, of: event.Records.length });
    return response;
  };
  return withObservability(middy(lambdaHandler), options.observability);
}
