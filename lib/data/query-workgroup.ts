/**
 * The Athena workgroup backtests and people query the archive through, with its own results bucket.
 * Its settings are enforced (a client cannot lift them): Athena engine 3, encrypted results, and a
 * per-query cut-off on bytes scanned — a query that forgets its partition filters is cancelled at
 * the limit instead of reading the whole archive at $5/TB.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environments.ts';

export interface QueryWorkgroupProps {
  readonly name: string;
  readonly config: EnvironmentConfig['athena'];
  readonly retainOnDelete: boolean;
}

export class QueryWorkgroup extends Construct {
  readonly workgroup: CfnWorkGroup;
  readonly results: Bucket;

  constructor(scope: Construct, id: string, props: QueryWorkgroupProps) {
    super(scope, id);
    this.results = new Bucket(this, 'Results', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: 'expire-results',
          expiration: Duration.days(props.config.resultsExpireAfterDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Results can be recomputed from the archive: never worth keeping past the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    Validations.of(this.results).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only Athena query results, recomputable and expired by lifecycle; the queries themselves are logged by Athena and CloudTrail.',
    });
    this.workgroup = new CfnWorkGroup(this, 'Workgroup', {
      name: props.name,
      description: 'Queries over the market-data archive',
      recursiveDeleteOption: !props.retainOnDelete,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.config.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.results.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }
}
