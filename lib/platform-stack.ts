/**
 * The platform's CDK stack: the market-data archive bucket for the recorder's Parquet layout
 * (exchange=/symbol=/date=).
 */
import { RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface PlatformStackProps extends StackProps {
  readonly stage: string;
}

export class PlatformStack extends Stack {
  readonly archive: Bucket;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    Tags.of(this).add('project', 'tradeplane');
    Tags.of(this).add('stage', props.stage);
    this.archive = new Bucket(this, 'MarketDataArchive', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: props.stage !== 'prod',
    });
  }
}
