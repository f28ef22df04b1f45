import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXCHANGES } from '../../../core/market/exchange.ts';
import { partitionDir } from '../../../core/recording/partition-path.ts';
import { bookTable, RECORDING_KINDS, TRADE_TABLE } from '../../../core/recording/recording-tables.ts';
import { ARCHIVE_PREFIX } from '../../../lib/data/archive-layout.ts';
import { testStage } from '../support/test-stage.ts';

interface GlueTableInput {
  Name: string;
  PartitionKeys: { Name: string; Type: string }[];
  Parameters: Record<string, string>;
  StorageDescriptor: { Columns: { Name: string; Type: string }[] };
}

/** A CloudFormation value with Fn::Join flattened; the bucket's Ref becomes `BUCKET`. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (v['Fn::Join']) return v['Fn::Join'][1].map(joined).join(v['Fn::Join'][0]);
  if (v.Ref) return 'BUCKET';
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

describe('DataStack', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    dev = Template.fromStack(testStage('dev').data);
    prod = Template.fromStack(testStage('prod').data);
  });

  it('makes on-demand streams in dev and provisioned shards in prod, with the configured retention', () => {
    dev.resourceCountIs('AWS::Kinesis::Stream', 2);
    dev.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'tradeplane-dev-raw',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 168,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    expect(JSON.stringify(dev.findResources('AWS::Kinesis::Stream'))).not.toContain('ShardCount');
    prod.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'tradeplane-prod-raw',
      ShardCount: 4,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 720,
    });
    prod.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'tradeplane-prod-normalized', ShardCount: 2 });
  });

  it('moves raw frames out of S3 Standard after 7 days and keeps prod data on delete', () => {
    const rawRule = Match.objectLike({
      Prefix: `${ARCHIVE_PREFIX}/raw/`,
      Status: 'Enabled',
      Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 7 }],
    });
    dev.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          rawRule,
          Match.objectLike({ Prefix: `${ARCHIVE_PREFIX}/`, ExpirationInDays: 30 }),
        ]),
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
    const prodArchive = prod.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: Match.anyValue() },
    });
    const [archive] = Object.values(prodArchive) as {
      DeletionPolicy: string;
      Properties: { LifecycleConfiguration: { Rules: { ExpirationInDays?: number }[] } };
    }[];
    expect(archive?.DeletionPolicy).toBe('Retain');
    expect(
      archive?.Properties.LifecycleConfiguration.Rules.some((r) => r.ExpirationInDays !== undefined),
    ).toBe(false);
  });

  it('projects the Glue partitions over exactly the layout the recorder writes', () => {
    const tables = Object.values(dev.findResources('AWS::Glue::Table')).map(
      (t) => (t as { Properties: { TableInput: GlueTableInput } }).Properties.TableInput,
    );
    expect(tables.map((t) => t.Name).sort()).toEqual([...RECORDING_KINDS].sort());
    for (const table of tables) {
      const kind = table.Name as (typeof RECORDING_KINDS)[number];
      const template = joined(table.Parameters['storage.location.template']);
      // The recorder's own path function, fed the projection's placeholders (`${exchange}` …).
      const [exchange, symbol, date, hour] = ['exchange', 'symbol', 'date', 'hour'].map((n) => `\${${n}}`);
      const recorderPath = partitionDir(kind, exchange!, symbol!, date!, hour!);
      expect(template).toBe(`s3://BUCKET/${ARCHIVE_PREFIX}/${recorderPath}`);
      expect(table.PartitionKeys.map((k) => k.Name)).toEqual(['exchange', 'symbol', 'date', 'hour']);
      expect(table.Parameters['projection.enabled']).toBe('true');
      expect(table.Parameters['projection.exchange.values']?.split(',')).toEqual([...EXCHANGES]);
      expect(table.Parameters['projection.hour.digits']).toBe('2');
    }
    const raw = tables.find((t) => t.Name === 'raw');
    expect(raw?.Parameters['projection.symbol.values']).toBe('ALL');
    expect(tables.find((t) => t.Name === 'book')?.Parameters['projection.symbol.type']).toBe('injected');
  });

  it('gives each Glue table the columns of the recorder row shape, with Parquet-compatible types', () => {
    const columnsOf = (name: string) =>
      Object.values(dev.findResources('AWS::Glue::Table'))
        .map((t) => (t as { Properties: { TableInput: GlueTableInput } }).Properties.TableInput)
        .find((t) => t.Name === name)?.StorageDescriptor.Columns;
    expect(columnsOf('trade')?.map((c) => c.Name)).toEqual(TRADE_TABLE.columns.map((c) => c.name));
    expect(columnsOf('trade')).toContainEqual({ Name: 'price_units', Type: 'bigint' });
    expect(columnsOf('trade')).toContainEqual({ Name: 'side', Type: 'string' });
    expect(columnsOf('book')).toHaveLength(bookTable().columns.length);
    expect(columnsOf('book')).toContainEqual({ Name: 'price_scale', Type: 'int' });
    expect(columnsOf('event')).toContainEqual({ Name: 'score', Type: 'double' });
  });

  it('enforces a bytes-scanned limit per query in the Athena workgroup', () => {
    dev.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'tradeplane-dev',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10737418240,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
      }),
    });
    prod.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 107374182400 }),
    });
  });
});
