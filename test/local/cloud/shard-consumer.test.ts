import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../local/cloud/lambda-context.ts';
import {
  type DeadLetter,
  everyNth,
  type KinesisHandler,
  ShardConsumer,
} from '../../../local/cloud/shard-consumer.ts';

const mock = mockClient(KinesisClient);
const records = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    SequenceNumber: String(100 + i),
    PartitionKey: 'binance:BTC-USDT',
    Data: Buffer.from(`r${i}`),
    ApproximateArrivalTimestamp: new Date(0),
  }));

function consumer(
  handler: KinesisHandler,
  extra: Partial<ConstructorParameters<typeof ShardConsumer>[0]> = {},
) {
  const dead: DeadLetter[] = [];
  const c = new ShardConsumer({
    kinesis: new KinesisClient({ region: 'ap-northeast-1' }),
    source: { streamName: 's', shardId: 'shardId-0', region: 'ap-northeast-1' },
    handler,
    context: () => lambdaContext('f'),
    batchSize: 10,
    maxRetries: 2,
    onDeadLetter: (l) => dead.push(l),
    ...extra,
  });
  return { c, dead };
}

const seqs = (e: KinesisStreamEvent) => e.Records.map((r) => r.kinesis.sequenceNumber);

describe('ShardConsumer', () => {
  beforeEach(() => {
    mock.reset();
    mock.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
    mock
      .on(GetRecordsCommand)
      .resolvesOnce({ Records: records(5), NextShardIterator: 'it-1' })
      .resolves({ Records: [], NextShardIterator: 'it-2' });
  });

  it('builds Kinesis events and, after a partial failure, starts the next batch at the failed record', async () => {
    const seen: string[][] = [];
    let first: KinesisStreamEvent | undefined;
    const { c } = consumer(async (event) => {
      seen.push(seqs(event));
      first ??= event;
      return seen.length === 1
        ? { batchItemFailures: [{ itemIdentifier: '103' }] }
        : { batchItemFailures: [] };
    });
    while (await c.step()) {}
    expect(seen).toEqual([
      ['100', '101', '102', '103', '104'],
      ['103', '104'],
    ]);
    expect(c.counts).toMatchObject({ processed: 5, partialFailures: 1, invocations: 2 });
    expect(first?.Records[0]).toMatchObject({ eventSource: 'aws:kinesis', eventID: 'shardId-0:100' });
    expect(Buffer.from(first!.Records[1]!.kinesis.data, 'base64').toString()).toBe('r1');
    expect(c.idle).toBe(true);
  });

  it('bisects a batch whose handler threw, and dead-letters a record that keeps failing', async () => {
    const seen: string[][] = [];
    const { c, dead } = consumer(async (event) => {
      seen.push(seqs(event));
      if (seqs(event).includes('100')) throw new Error('poison');
      return { batchItemFailures: [] };
    });
    while (await c.step()) {}
    // 5 → 3 → 2 (record 100 out of retries: dead-lettered) → 1 alone → back to full batches.
    expect(seen.map((s) => s.length)).toEqual([5, 3, 2, 1, 3]);
    expect(dead).toEqual([
      { streamName: 's', shardId: 'shardId-0', sequenceNumber: '100', reason: 'poison' },
    ]);
    expect(c.counts).toMatchObject({ processed: 4, thrown: 3 });
  });

  it('injected faults fire: a throw after the handler ran, and a redelivered batch', async () => {
    let calls = 0;
    const { c } = consumer(
      async () => {
        calls++;
        return { batchItemFailures: [] };
      },
      { faults: { throwNow: everyNth(1), redeliverNow: everyNth(1) }, maxRetries: 0 },
    );
    await c.step();
    expect(calls).toBe(1); // the handler ran, then the invocation failed
    expect(c.counts).toMatchObject({ injectedThrows: 1, thrown: 1 });
  });

  it('everyNth answers true on every n-th call only', () => {
    const f = everyNth(3);
    expect(Array.from({ length: 7 }, () => f())).toEqual([false, false, true, false, false, true, false]);
    expect(everyNth(0)()).toBe(false);
  });
});
