/**
 * normalize: the raw stream fanned out to the normalized stream. Each raw record (one exchange's
 * frames, REST bodies and connection opens, in the order the task received them) is checked frame
 * by frame (frame-quality.ts: counts, malformed messages → CloudWatch metrics per exchange) and put
 * on the normalized stream under its own partition key and identity, where the record function
 * archives it with the book, trade and event rows the task's books produced.
 *
 * Books are not rebuilt here: an exact book needs a snapshot and every delta after it in order,
 * state a function instance cannot keep across cold starts; the task, which holds the books,
 * publishes their rows itself.
 *
 * Environment: NORMALIZED_STREAM_NAME, IDEMPOTENCY_TABLE.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../../fargate/stream/put-records-client.ts';
import { partitionKeyOf } from '../../fargate/stream/rows-payload.ts';
import { requiredEnv } from '../shared/environment.ts';
import { idempotencyPersistence } from '../shared/idempotency-store.ts';
import { observability } from '../shared/observability.ts';
import { rowsStreamHandler } from '../shared/rows-stream-handler.ts';
import { frameQuality } from './frame-quality.ts';

const o = observability('normalize');
const normalizedStream = requiredEnv('NORMALIZED_STREAM_NAME');
const kinesis = o.tracer.captureAWSv3Client(kinesisClient());

export const handler = rowsStreamHandler({
  name: 'normalize',
  observability: o,
  persistence: idempotencyPersistence(),
  process: async (payload, record) => {
    if (payload.table !== 'raw') throw new Error(`raw stream record holds ${payload.table} rows`);
    const quality = frameQuality(payload);
    const m = o.metrics.singleMetric();
    m.addDimension('exchange', payload.exchange);
    m.addMetric('frames', MetricUnit.Count, quality.messages);
    m.addMetric('restBodies', MetricUnit.Count, quality.rest);
    m.addMetric('badFrames', MetricUnit.Count, quality.badMessages);
    m.addMetric('frameBytes', MetricUnit.Bytes, quality.bytes);
    await kinesis.send(
      new PutRecordCommand({
        StreamName: normalizedStream,
        PartitionKey: partitionKeyOf(payload.exchange, payload.symbol),
        Data: Buffer.from(JSON.stringify(payload)),
      }),
    );
    if (quality.badMessages > 0)
      o.logger.warn('malformed frames', {
        exchange: payload.exchange,
        bad: quality.badMessages,
        sequenceNumber: record.kinesis.sequenceNumber,
      });
    return { rows: payload.rows, badMessages: quality.badMessages };
  },
});
