/**
 * The streams and tables the offline cloud needs, created on the emulators the way the CDK stacks
 * define them: the raw and normalized streams, the lease and control tables (`pk`) and the
 * idempotency table (Powertools layout: partition key `id`). The bucket is made by s3rver at start (emulators.ts).
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

export interface CloudNames {
  readonly rawStream: string;
  readonly normalizedStream: string;
  readonly leaseTable: string;
  readonly controlTable: string;
  readonly idempotencyTable: string;
  readonly bucket: string;
}

export const LOCAL_CLOUD_NAMES: CloudNames = {
  rawStream: 'tradeplane-raw',
  normalizedStream: 'tradeplane-normalized',
  leaseTable: 'tradeplane-lease',
  controlTable: 'tradeplane-control',
  idempotencyTable: 'tradeplane-idempotency',
  bucket: 'tradeplane-archive',
};

export async function createResources(
  names: CloudNames,
  kinesis: KinesisClient,
  dynamodb: DynamoDBClient,
  shards = 2,
): Promise<void> {
  for (const stream of [names.rawStream, names.normalizedStream]) {
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
    for (;;) {
      const out = await kinesis.send(new DescribeStreamCommand({ StreamName: stream }));
      if (out.StreamDescription?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  for (const [table, key] of [
    [names.leaseTable, 'pk'],
    [names.controlTable, 'pk'],
    [names.idempotencyTable, 'id'],
  ] as const) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
}
