/**
 * The two Kinesis streams of the data plane, partition key `exchange:symbol`:
 *   raw         every frame the live task receives, as received;
 *   normalized  the normalize function's events (and the task's own), read by the recorder.
 *
 * Capacity per environment: on-demand where traffic is small or bursty (dev), provisioned shards
 * where it is steady and known (a provisioned shard costs a fraction of on-demand's hourly stream
 * charge at the same volume). Encrypted with the AWS-managed key (`alias/aws/kinesis`): the producers
 * and consumers then need no KMS grants.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import type { StreamsConfig } from '../../config/environments.ts';

export interface MarketStreamsProps {
  readonly namePrefix: string;
  readonly config: StreamsConfig;
  readonly retainOnDelete: boolean;
}

export class MarketStreams extends Construct {
  readonly raw: Stream;
  readonly normalized: Stream;

  constructor(scope: Construct, id: string, props: MarketStreamsProps) {
    super(scope, id);
    const { config } = props;
    const removalPolicy = props.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const capacity = (shardCount: number) =>
      config.mode === 'on-demand'
        ? { streamMode: StreamMode.ON_DEMAND }
        : { streamMode: StreamMode.PROVISIONED, shardCount };
    this.raw = new Stream(this, 'Raw', {
      streamName: `${props.namePrefix}-raw`,
      ...capacity(config.mode === 'provisioned' ? config.rawShards : 0),
      retentionPeriod: Duration.hours(config.rawRetentionHours),
      encryption: StreamEncryption.MANAGED,
      removalPolicy,
    });
    this.normalized = new Stream(this, 'Normalized', {
      streamName: `${props.namePrefix}-normalized`,
      ...capacity(config.mode === 'provisioned' ? config.normalizedShards : 0),
      retentionPeriod: Duration.hours(config.normalizedRetentionHours),
      encryption: StreamEncryption.MANAGED,
      removalPolicy,
    });
  }
}
