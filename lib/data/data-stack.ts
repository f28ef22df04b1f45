/**
 * The data plane of one environment: the raw and normalized Kinesis streams, the Parquet archive,
 * the Glue catalog over it and the Athena workgroup that queries it. Stateful resources live here
 * alone, so the trading and processing stacks can be replaced without touching recorded data.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environments.ts';
import { ArchiveBucket } from './archive-bucket.ts';
import { archiveBucketName } from './archive-layout.ts';
import { LakeCatalog } from './lake-catalog.ts';
import { MarketStreams } from './market-streams.ts';
import { QueryWorkgroup } from './query-workgroup.ts';

export interface DataStackProps extends StackProps {
  /** `tradeplane-dev`: prefixes the physical names people look for (streams, workgroup). */
  readonly namePrefix: string;
  readonly config: EnvironmentConfig;
}

export class DataStack extends Stack {
  readonly streams: MarketStreams;
  readonly archive: ArchiveBucket;
  readonly catalog: LakeCatalog;
  readonly queries: QueryWorkgroup;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, namePrefix } = props;
    this.streams = new MarketStreams(this, 'Streams', {
      namePrefix,
      config: config.streams,
      retainOnDelete: config.archive.retainOnDelete,
    });
    this.archive = new ArchiveBucket(this, 'Archive', {
      bucketName: archiveBucketName(namePrefix, this),
      config: config.archive,
    });
    this.catalog = new LakeCatalog(this, 'Catalog', {
      databaseName: namePrefix.replace(/[^a-z0-9]+/g, '_'),
      archive: this.archive.bucket,
    });
    this.queries = new QueryWorkgroup(this, 'Queries', {
      name: namePrefix,
      config: config.athena,
      retainOnDelete: config.archive.retainOnDelete,
    });
  }
}
