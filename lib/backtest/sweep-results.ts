/**
 * The bucket a sweep execution keeps everything in: the plan's items, the Athena extract, each
 * run's metrics, the Distributed Map's result files and the report (stepfunctions/sweep/sweep-state.ts
 * names the keys). Named, not referenced, like the archive (archive-layout.ts): every grant below
 * names it literally, so each cdk-nag acknowledgement names its exact resource.
 *
 * The extracts are copies of archive data and the Map results are bookkeeping: both expire. The
 * reports and metrics under sweeps/ stay until someone deletes them.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MAP_RESULTS_PREFIX } from '../../stepfunctions/backtest-sweep.ts';
import type { HandlerFunction } from '../shared/handler-function.ts';
import { nagResource } from '../shared/nag-resource.ts';

/** Every execution's objects lie below `sweeps/<execution name>/` (plan-sweep.ts). */
export const SWEEPS_PREFIX = 'sweeps/';

export interface SweepResultsProps {
  readonly namePrefix: string;
  readonly retainOnDelete: boolean;
  readonly mapResultsExpireAfterDays: number;
}

export class SweepResults extends Construct {
  readonly bucket: Bucket;
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: SweepResultsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucketName = `${props.namePrefix}-sweeps-${stack.account}-${stack.region}`;
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: this.bucketName,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: 'expire-map-results',
          prefix: `${MAP_RESULTS_PREFIX}/`,
          expiration: Duration.days(props.mapResultsExpireAfterDays),
        },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retainOnDelete,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds sweep outputs recomputable from the archive; object access is audited with CloudTrail S3 data events on the account trail.',
    });
  }

  /** The bucket's ARN, or one of its object patterns (`sweeps/*`). */
  arn(objects?: string): string {
    const base = `arn:${Stack.of(this).partition}:s3:::${this.bucketName}`;
    return objects === undefined ? base : `${base}/${objects}`;
  }

  /** Put (and with `read`, get and list) objects below `prefix` only. */
  grantObjects(grantee: HandlerFunction, prefix: string, options: { read: boolean; reason: string }): void {
    const objects = this.arn(`${prefix}*`);
    const actions = options.read ? ['s3:GetObject', 's3:PutObject'] : ['s3:PutObject'];
    grantee.fn.addToRolePolicy(new PolicyStatement({ actions, resources: [objects] }));
    if (options.read)
      grantee.fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [this.arn()],
          conditions: { StringLike: { 's3:prefix': `${prefix}*` } },
        }),
      );
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(this, objects)}]`,
      reason: options.reason,
    });
  }
}
