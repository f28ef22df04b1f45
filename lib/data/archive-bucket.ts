/**
 * The market-data archive: the recorder's Parquet files (archive-layout.ts), private, encrypted,
 * TLS only, versioned (a bad write can be undone).
 *
 * Lifecycle: raw frames are kept for exact replay and read rarely, so they leave S3 Standard after
 * `rawTransition.afterDays`. The default is Intelligent-Tiering at 7 days: S3 refuses STANDARD_IA
 * before day 30, and Intelligent-Tiering has no retrieval fee when a replay does read them.
 * Normalized tables (book, trade, event) stay in Standard, where backtests scan them.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type LifecycleRule,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environments.ts';
import { ARCHIVE_PREFIX, archiveTablePrefix } from './archive-layout.ts';

const STORAGE_CLASS: Record<EnvironmentConfig['archive']['rawTransition']['storageClass'], StorageClass> = {
  INTELLIGENT_TIERING: StorageClass.INTELLIGENT_TIERING,
  STANDARD_IA: StorageClass.INFREQUENT_ACCESS,
  ONEZONE_IA: StorageClass.ONE_ZONE_INFREQUENT_ACCESS,
  GLACIER_IR: StorageClass.GLACIER_INSTANT_RETRIEVAL,
};

export interface ArchiveBucketProps {
  readonly bucketName: string;
  readonly config: EnvironmentConfig['archive'];
}

export class ArchiveBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    const { config } = props;
    const rules: LifecycleRule[] = [
      {
        id: 'raw-leaves-standard',
        prefix: archiveTablePrefix('raw'),
        transitions: [
          {
            storageClass: STORAGE_CLASS[config.rawTransition.storageClass],
            transitionAfter: Duration.days(config.rawTransition.afterDays),
          },
        ],
      },
      {
        id: 'old-versions-and-uploads',
        abortIncompleteMultipartUploadAfter: Duration.days(1),
        noncurrentVersionExpiration: Duration.days(30),
      },
    ];
    if (config.expireAfterDays !== null)
      rules.push({
        id: 'expire-archive',
        prefix: `${ARCHIVE_PREFIX}/`,
        expiration: Duration.days(config.expireAfterDays),
      });
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: rules,
      removalPolicy: config.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !config.retainOnDelete,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Object access is audited with CloudTrail S3 data events on the account trail; server access logs would need a second bucket per environment and duplicate that record.',
    });
  }
}
