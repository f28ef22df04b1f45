import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PlatformStack } from '../../lib/platform-stack.ts';

describe('PlatformStack', () => {
  it('synthesizes an encrypted, private market-data archive in ap-northeast-1', () => {
    const app = new App();
    const stack = new PlatformStack(app, 'test', { stage: 'prod', env: { region: 'ap-northeast-1' } });
    const template = Template.fromStack(stack);
    expect(stack.region).toBe('ap-northeast-1');
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.objectLike({}),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });
});
