/**
 * The AWS emulators the offline cloud runs on, all in this process on loopback, each on a free
 * port (docs/cloud-architecture.md, Offline): kinesalite (Kinesis; clients must speak HTTP/1,
 * fargate/stream/put-records-client.ts), dynalite (DynamoDB: the lease's conditional writes and
 * Powertools idempotency) and s3rver (S3; objects lie on disk as `<dir>/<bucket>/<key>._S3rver_object`,
 * which DuckDB reads directly). Nothing here lists S3 with pagination, so s3rver's DES token bug
 * (it needs `--openssl-legacy-provider` for that) does not matter.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';
import S3rver from 's3rver';

export interface Emulators {
  readonly kinesis: string;
  readonly dynamodb: string;
  readonly s3: string;
  /** Where s3rver keeps the buckets' objects. */
  readonly s3Dir: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startEmulators(s3Dir: string, buckets: readonly string[]): Promise<Emulators> {
  const kinesisServer = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 100,
  });
  const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: s3Dir,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const [kinesis, dynamodb, s3Address] = await Promise.all([
    listen(kinesisServer),
    listen(dynamoServer),
    s3.run(),
  ]);
  return {
    kinesis,
    dynamodb,
    s3: `http://127.0.0.1:${s3Address.port}`,
    s3Dir,
    close: async () => {
      await Promise.all([closeServer(kinesisServer), closeServer(dynamoServer), s3.close()]);
    },
  };
}
