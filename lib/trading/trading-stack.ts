/**
 * The trading plane of one environment: the live task (market data, strategy, OMS, risk) on
 * Fargate, its network, its secrets and the lease that keeps it single. It publishes raw frames and
 * normalized events to the data stack's streams.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environments.ts';
import { TOKYO_AVAILABILITY_ZONES } from '../shared/tokyo-availability-zones.ts';
import { TradingLeaseTable } from './trading-lease-table.ts';
import { TradingNetwork } from './trading-network.ts';
import { TradingSecrets } from './trading-secrets.ts';
import { TradingService } from './trading-service.ts';

export interface TradingStackProps extends StackProps {
  readonly namePrefix: string;
  readonly environmentName: string;
  readonly config: EnvironmentConfig;
  readonly rawStream: IStream;
  readonly normalizedStream: IStream;
}

export class TradingStack extends Stack {
  readonly network: TradingNetwork;
  readonly lease: TradingLeaseTable;
  readonly secrets: TradingSecrets;
  readonly live: TradingService;

  constructor(scope: Construct, id: string, props: TradingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const trading = config.trading;
    const retainOnDelete = config.archive.retainOnDelete;
    this.network = new TradingNetwork(this, 'Network', {
      natGateways: trading.natGateways,
      logRetentionDays: trading.logRetentionDays,
    });
    this.lease = new TradingLeaseTable(this, 'Lease', { retainOnDelete });
    this.secrets = new TradingSecrets(this, 'Secrets', {
      namePrefix: props.namePrefix,
      venues: trading.venueSecrets,
      retainOnDelete,
    });
    this.live = new TradingService(this, 'Live', {
      vpc: this.network.vpc,
      subnetType: this.network.taskSubnetType,
      assignPublicIp: this.network.assignPublicIp,
      cpu: trading.cpu,
      memoryMiB: trading.memoryMiB,
      logRetentionDays: trading.logRetentionDays,
      retainLogs: retainOnDelete,
      environment: {
        ENVIRONMENT: props.environmentName,
        RAW_STREAM_NAME: props.rawStream.streamName,
        NORMALIZED_STREAM_NAME: props.normalizedStream.streamName,
        LEASE_TABLE: this.lease.table.tableName,
      },
      secrets: this.secrets.containerSecrets,
    });
    const taskRole = this.live.taskDefinition.taskRole;
    props.rawStream.grantWrite(taskRole);
    props.normalizedStream.grantWrite(taskRole);
    this.lease.table.grantReadWriteData(taskRole);
  }

  /** Fixed, so synthesis never looks them up (tokyo-availability-zones.ts). */
  override get availabilityZones(): string[] {
    return [...TOKYO_AVAILABILITY_ZONES];
  }
}
