import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { testStage } from '../support/test-stage.ts';

interface ContainerDefinition {
  Environment: { Name: string; Value: unknown }[];
  Secrets: { Name: string; ValueFrom: unknown }[];
  HealthCheck: { Command: string[]; Retries: number; StartPeriod: number };
  LogConfiguration: { Options: Record<string, string> };
}

function container(template: Template): ContainerDefinition {
  const [task] = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as {
    Properties: { ContainerDefinitions: ContainerDefinition[] };
  }[];
  const [only] = task?.Properties.ContainerDefinitions ?? [];
  if (!only) throw new Error('no container');
  return only;
}

describe('TradingStack', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    // A concrete account: the case where a VPC would look its zones up.
    dev = Template.fromStack(testStage('dev', { account: '123456789012' }).trading);
    prod = Template.fromStack(testStage('prod').trading);
  });

  it('runs exactly one task and never two at once during a deployment', () => {
    for (const t of [dev, prod])
      t.hasResourceProperties('AWS::ECS::Service', {
        DesiredCount: 1,
        LaunchType: 'FARGATE',
        DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 0, MaximumPercent: 100 }),
      });
  });

  it('runs the ARM64 image built from fargate/Dockerfile at the configured size', () => {
    dev.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '1024',
      Memory: '2048',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
    prod.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '4096', Memory: '8192' });
  });

  it('passes resource names as environment and every credential as a Secrets Manager secret', () => {
    const live = container(dev);
    expect(live.Environment.map((e) => e.Name).sort()).toEqual([
      // The control stack names its table and queue here (lib/control/control-stack.ts).
      'CONTROL_QUEUE_URL',
      'CONTROL_TABLE',
      'ENVIRONMENT',
      'LEASE_TABLE',
      'NORMALIZED_STREAM_NAME',
      'RAW_STREAM_NAME',
    ]);
    expect(live.Secrets.map((s) => s.Name).sort()).toEqual([
      'BINANCE_API_KEY',
      'BINANCE_API_SECRET',
      'TRADEPLANE_ADMIN_TOKEN',
    ]);
    const venueKey = JSON.stringify(live.Secrets.find((s) => s.Name === 'BINANCE_API_KEY')?.ValueFrom);
    expect(venueKey).toContain(':API_KEY::');
    expect(container(prod).Secrets.map((s) => s.Name)).toContain('BYBIT_API_SECRET');
    // Placeholders only: no secret value other than empty strings reaches the template.
    dev.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'tradeplane-dev/venues/binance',
      SecretString: JSON.stringify({ API_KEY: '', API_SECRET: '' }),
    });
    dev.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'tradeplane-dev/trading-admin-token',
      GenerateSecretString: Match.objectLike({ PasswordLength: 48 }),
    });
  });

  it('checks feed freshness in the container and logs without blocking', () => {
    const live = container(dev);
    expect(live.HealthCheck).toMatchObject({ Command: ['CMD', 'node', 'dist/health-check.mjs'], Retries: 3 });
    expect(live.HealthCheck.StartPeriod).toBeGreaterThanOrEqual(60);
    expect(live.LogConfiguration.Options).toMatchObject({ mode: 'non-blocking' });
  });

  it('keeps the lease in a table keyed by pk and lets the task write both streams', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    prod.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    const policies = JSON.stringify(dev.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('kinesis:PutRecords');
    expect(policies).toContain('dynamodb:ConditionCheckItem');
  });

  it('places subnets in real Tokyo zones, with no lookup and no dummy zone', () => {
    const zones = Object.values(dev.findResources('AWS::EC2::Subnet')).map(
      (s) => (s as { Properties: { AvailabilityZone: string } }).Properties.AvailabilityZone,
    );
    expect(new Set(zones)).toEqual(new Set(['ap-northeast-1a', 'ap-northeast-1c']));
    expect(JSON.stringify(dev.toJSON())).not.toContain('dummy');
  });

  it('uses a public IP without NAT in dev and a private subnet behind NAT in prod', () => {
    dev.resourceCountIs('AWS::EC2::NatGateway', 0);
    dev.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
    });
    prod.resourceCountIs('AWS::EC2::NatGateway', 1);
    prod.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
  });

  it('lets nothing connect in', () => {
    const groups = Object.values(dev.findResources('AWS::EC2::SecurityGroup')) as {
      Properties: { SecurityGroupIngress?: unknown[] };
    }[];
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(g.Properties.SecurityGroupIngress ?? []).toEqual([]);
    dev.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });
});
