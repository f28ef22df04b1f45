/** The event Lambda's Kinesis event-source mapping builds from a shard's records. */
import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

export interface EventSource {
  readonly streamName: string;
  readonly shardId: string;
  readonly region: string;
}

export function kinesisEvent(source: EventSource, records: readonly _Record[]): KinesisStreamEvent {
  const arn = `arn:aws:kinesis:${source.region}:000000000000:stream/${source.streamName}`;
  return {
    Records: records.map(
      (r): KinesisStreamRecord => ({
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${source.shardId}:${r.SequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/local-cloud',
        awsRegion: source.region,
        eventSourceARN: arn,
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.PartitionKey ?? '',
          sequenceNumber: r.SequenceNumber ?? '',
          data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
        },
      }),
    ),
  };
}
