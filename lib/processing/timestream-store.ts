/**
 * The optional Timestream for LiveAnalytics store of top-of-book and quality metrics (the record
 * function's time-series port, multi-measure records with dimensions exchange and symbol).
 *
 * Off by default (`timestream` in config/environments.json): AWS closed LiveAnalytics to accounts
 * that had not used it before 2025-06-20, and a deployment into such an account fails at the
 * database. The archive on S3 + Athena holds the same rows either way.
 */
import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-timestream';
import { Construct } from 'constructs';
import type { HandlerFunction } from '../shared/handler-function.ts';

export interface TimestreamStoreProps {
  readonly databaseName: string;
  readonly memoryRetentionHours: number;
  readonly magneticRetentionDays: number;
}

export class TimestreamStore extends Construct {
  readonly databaseName: string;
  readonly tableName = 'market_metrics';
  readonly table: CfnTable;

  constructor(scope: Construct, id: string, props: TimestreamStoreProps) {
    super(scope, id);
    this.databaseName = props.databaseName;
    const database = new CfnDatabase(this, 'Database', { databaseName: props.databaseName });
    this.table = new CfnTable(this, 'Table', {
      databaseName: props.databaseName,
      tableName: this.tableName,
      retentionProperties: {
        MemoryStoreRetentionPeriodInHours: String(props.memoryRetentionHours),
        MagneticStoreRetentionPeriodInDays: String(props.magneticRetentionDays),
      },
      // Late records (a replayed Kinesis backlog) land in the magnetic store instead of being rejected.
      magneticStoreWriteProperties: { EnableMagneticStoreWrites: true },
    });
    this.table.addResourceDependency(database);
  }

  /** WriteRecords on the table; DescribeEndpoints, which every Timestream client calls first. */
  grantWrite(writer: HandlerFunction): void {
    writer.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['timestream:WriteRecords'], resources: [this.table.attrArn] }),
    );
    writer.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['timestream:DescribeEndpoints'], resources: ['*'] }),
    );
    Validations.of(writer).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'timestream:DescribeEndpoints supports no resource-level permissions.',
    });
  }
}
