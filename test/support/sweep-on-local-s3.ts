/**
 * The sweep handlers' S3 on a folder: every S3Client's GetObject, PutObject and ListObjectsV2 are
 * served by a directory store (local/sfn/directory-store.ts), and a sweep is planned and extracted
 * into it from a small recording of the Binance fixture — what the handlers find in S3 when the
 * Map invokes them.
 */
import { join } from 'node:path';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { readCapture } from '../../local/capture/read-capture.ts';
import { directoryStore } from '../../local/sfn/directory-store.ts';
import { duckDbExtract } from '../../local/sfn/duckdb-extract.ts';
import { ParquetSink } from '../../local/storage/parquet-sink.ts';
import type { ObjectStore } from '../../stepfunctions/sweep/object-store.ts';
import { planStep } from '../../stepfunctions/sweep/step-events.ts';
import { fixture } from './fixtures.ts';

export const SWEEP_BUCKET = 'sweep-results';
const DATABASE = 'lake';

export function s3OnDirectory(root: string): ObjectStore {
  const store = directoryStore(root);
  const s3 = mockClient(S3Client);
  s3.on(GetObjectCommand).callsFake(async ({ Bucket, Key }) => {
    const body = await store.tryGet(Bucket, Key);
    if (!body) throw new NoSuchKey({ $metadata: {}, message: `${Key}: no such key` });
    return { Body: { transformToByteArray: async () => body } } as unknown as GetObjectCommandOutput;
  });
  s3.on(PutObjectCommand).callsFake(async ({ Bucket, Key, Body }) => {
    await store.put(Bucket, Key, Body as Uint8Array | string);
    return {};
  });
  s3.on(ListObjectsV2Command).callsFake(async ({ Bucket, Prefix }) => ({
    Contents: (await store.list(Bucket, Prefix ?? '')).map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  return store;
}

export const LAMBDA_CONTEXT = {
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-1:000000000000:function:test',
  memoryLimitInMB: '1024',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/** A two-point market-maker sweep planned and extracted into `root`; returns the plan's state. */
export async function plannedSweep(root: string, executionName: string) {
  const capture = readCapture(fixture('binance/hftbacktest_usdm_btcusdt_20240808.gz'));
  const recording = join(root, '..', `${executionName}-recording`);
  const recorder = new Recorder({ sink: await ParquetSink.open({ root: recording }), pollIntervalMs: 0 });
  for (const r of capture.records) recorder.recordCapture(capture.exchange, r, 'conn-0');
  await recorder.close();
  const first = capture.records[0]!.localTs;
  const input = {
    strategy: 'market-maker',
    data: {
      from: new Date((first + 60_000_000) / 1000).toISOString(),
      to: new Date((first + 4 * 60_000_000) / 1000).toISOString(),
    },
    grid: { spread_bps: [2, 8] },
    metric: 'pnl',
  };
  const store = directoryStore(root);
  const state = await planStep({ input, executionName }, { bucket: SWEEP_BUCKET, database: DATABASE }, store);
  await duckDbExtract(state.run.query, { recording, storeRoot: root, database: DATABASE });
  return state;
}
