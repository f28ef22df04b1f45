/**
 * record: the normalized stream into the archive. Each record's rows become Parquet objects in S3
 * in the local recorder's layout and with its writer (parquet-objects.ts), keyed by the record's
 * identity so a retry replaces rather than duplicates; where the environment turns Timestream on,
 * top-of-book and quality points go to the time-series store as well.
 *
 * Environment: ARCHIVE_BUCKET, ARCHIVE_PREFIX (default 'lake'), IDEMPOTENCY_TABLE, and optionally
 * TIMESTREAM_DATABASE + TIMESTREAM_TABLE.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { optionalEnv, requiredEnv } from '../shared/environment.ts';
import { idempotencyPersistence } from '../shared/idempotency-store.ts';
import { observability } from '../shared/observability.ts';
import { rowsStreamHandler } from '../shared/rows-stream-handler.ts';
import { qualityPoints, topOfBookPoints } from './metric-points.ts';
import { parquetObjects } from './parquet-objects.ts';
import { type TimeSeriesWriter, TimestreamWriter } from './timestream-writer.ts';

const o = observability('record');
const bucket = requiredEnv('ARCHIVE_BUCKET');
const prefix = optionalEnv('ARCHIVE_PREFIX') ?? 'lake';
// Path-style addressing only against a local endpoint (s3rver), where bucket host names do not resolve.
const s3 = o.tracer.captureAWSv3Client(
  new S3Client({ forcePathStyle: optionalEnv('AWS_ENDPOINT_URL_S3') !== undefined }),
);

function timeSeriesWriter(): TimeSeriesWriter | undefined {
  const database = optionalEnv('TIMESTREAM_DATABASE');
  const table = optionalEnv('TIMESTREAM_TABLE');
  if (!database || !table) return undefined;
  return new TimestreamWriter({
    client: o.tracer.captureAWSv3Client(new TimestreamWriteClient({})),
    database,
    table,
    onRejected: (r) => {
      o.metrics.addMetric('timestreamRejected', 'Count', 1);
      o.logger.warn('time-series point rejected', { ...r });
    },
  });
}
const timeSeries = timeSeriesWriter();

export const handler = rowsStreamHandler({
  name: 'record',
  observability: o,
  inParallel: true,
  persistence: idempotencyPersistence(),
  process: async (payload) => {
    const objects = parquetObjects(payload, prefix);
    for (const object of objects)
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: object.body,
          ContentType: 'application/vnd.apache.parquet',
        }),
      );
    if (timeSeries) {
      await timeSeries.writeTopOfBook(topOfBookPoints(payload));
      await timeSeries.writeQuality(qualityPoints(payload));
    }
    o.metrics.addMetric('rowsArchived', 'Count', payload.rows);
    return { objects: objects.length, rows: payload.rows };
  },
});
