/**
 * Powertools idempotency on DynamoDB (table IDEMPOTENCY_TABLE: partition key `id`, TTL
 * `expiration`). A stream record is one unit of work, keyed on its identity in the payload
 * (fargate/stream/rows-payload.ts): origin stream, exchange, symbol, task session and per-symbol
 * sequence. A redelivered record (a retried batch, a bisected batch, at-least-once delivery)
 * returns the stored result instead of running again.
 */

import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requiredEnv } from './environment.ts';

/** JMESPath over a parsed Kinesis record (its data already decoded and validated). */
export const STREAM_RECORD_KEY =
  '[kinesis.data.origin, kinesis.data.exchange, kinesis.data.symbol, kinesis.data.session, kinesis.data.seq]';

export function idempotencyPersistence(client = new DynamoDBClient({})): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: requiredEnv('IDEMPOTENCY_TABLE'),
    awsSdkV3Client: client,
  });
}

/** Records are remembered for a day: longer than the streams' retry window (1 h record age). */
export function streamRecordIdempotency(): IdempotencyConfig {
  return new IdempotencyConfig({
    eventKeyJmesPath: STREAM_RECORD_KEY,
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: 24 * 3600,
  });
}
