/**
 * The Glue catalog over the archive: one database per environment and one table per recorded kind
 * (raw, book, trade, event), with partition projection instead of crawlers or MSCK REPAIR — Athena
 * computes the partitions from the key layout (archive-layout.ts), so a file is queryable the moment
 * it is written and no partition metadata is ever stored or paid for.
 *
 * Projection per partition column:
 *   exchange  enum of the platform's venues (core/market/exchange.ts);
 *   symbol    injected: the recorder files a symbol under its path-safe name (BTC-USDT) and
 *             learns new symbols at run time, so no list is known at deploy time; a query names
 *             its symbols (`WHERE symbol = 'BTC-USDT'`). Raw frames have one value, ALL;
 *   date      yyyy-MM-dd, daily, from PROJECTION_START to NOW;
 *   hour      00–23.
 */
import { Stack } from 'aws-cdk-lib';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EXCHANGES } from '../../core/market/exchange.ts';
import { ALL_SYMBOLS } from '../../core/recording/partition-path.ts';
import { RECORDING_KINDS, type RecordingKind } from '../../core/recording/recording-tables.ts';
import { archiveTablePrefix } from './archive-layout.ts';
import { ARCHIVED_TABLES, glueColumns, PARTITION_COLUMNS } from './lake-table-columns.ts';

/** The first day the projection enumerates: before any recording of the platform. */
const PROJECTION_START = '2025-01-01';

export interface LakeCatalogProps {
  /** Glue database name: lower case, digits and underscores. */
  readonly databaseName: string;
  readonly archive: IBucket;
}

export class LakeCatalog extends Construct {
  readonly database: CfnDatabase;
  readonly databaseName: string;
  readonly tables: Readonly<Record<RecordingKind, CfnTable>>;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    this.databaseName = props.databaseName;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: {
        name: props.databaseName,
        description:
          'Recorded market data (Parquet on S3, partition projection over exchange/symbol/date/hour)',
      },
    });
    const tables = {} as Record<RecordingKind, CfnTable>;
    for (const kind of RECORDING_KINDS) {
      const location = `s3://${props.archive.bucketName}/${archiveTablePrefix(kind)}`;
      const table = new CfnTable(this, `${kind[0]!.toUpperCase()}${kind.slice(1)}Table`, {
        catalogId,
        databaseName: props.databaseName,
        tableInput: {
          name: kind,
          description: `Recorded ${kind} rows (core/recording/recording-tables.ts)`,
          tableType: 'EXTERNAL_TABLE',
          partitionKeys: [...PARTITION_COLUMNS],
          parameters: {
            classification: 'parquet',
            EXTERNAL: 'TRUE',
            'projection.enabled': 'true',
            'projection.exchange.type': 'enum',
            'projection.exchange.values': EXCHANGES.join(','),
            ...(kind === 'raw'
              ? { 'projection.symbol.type': 'enum', 'projection.symbol.values': ALL_SYMBOLS }
              : { 'projection.symbol.type': 'injected' }),
            'projection.date.type': 'date',
            'projection.date.format': 'yyyy-MM-dd',
            'projection.date.range': `${PROJECTION_START},NOW`,
            'projection.date.interval': '1',
            'projection.date.interval.unit': 'DAYS',
            'projection.hour.type': 'integer',
            'projection.hour.range': '0,23',
            'projection.hour.digits': '2',
            'storage.location.template': `${location}exchange=\${exchange}/symbol=\${symbol}/date=\${date}/hour=\${hour}`,
          },
          storageDescriptor: {
            location,
            columns: glueColumns(ARCHIVED_TABLES[kind]),
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            },
          },
        },
      });
      table.addResourceDependency(this.database);
      tables[kind] = table;
    }
    this.tables = tables;
  }
}
