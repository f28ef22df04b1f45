/**
 * The live task: one Fargate service running the image built from `fargate/Dockerfile` (ARM64,
 * Graviton), with deployments that never overlap — desired count 1, minimum healthy 0 %,
 * maximum 100 %: ECS stops the old task before it starts the new one, so two tasks never trade at
 * once (the DynamoDB lease fences the rare zombie a network partition leaves behind).
 *
 * The container health check asks the ops server's /health (fargate/task/health-check.ts): a feed
 * that goes stale fails it, and after three misses ECS replaces the task. The awslogs driver runs
 * non-blocking: a CloudWatch Logs slowdown drops log lines instead of stalling the event loop that
 * carries the books.
 *
 * CPU pinning: Fargate gives no control over core placement. Where measured latency demands it,
 * run the same task definition on an EC2 capacity provider (docs/deploy.md, "EC2 capacity").
 */
import { Duration, IgnoreMode, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import type { Vpc } from 'aws-cdk-lib/aws-ec2';
import { type ISecurityGroup, SecurityGroup, type SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  AwsLogDriverMode,
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
  type Secret,
} from 'aws-cdk-lib/aws-ecs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { repositoryRoot } from '../shared/repository-path.ts';

/** Inside the image (fargate/Dockerfile). */
const HEALTH_CHECK_SCRIPT = 'dist/health-check.mjs';

export interface TradingServiceProps {
  readonly vpc: Vpc;
  readonly subnetType: SubnetType;
  readonly assignPublicIp: boolean;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  /** Names only: nothing secret goes here. */
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, Secret>>;
}

export class TradingService extends Construct {
  readonly cluster: Cluster;
  readonly taskDefinition: FargateTaskDefinition;
  readonly service: FargateService;
  readonly securityGroup: ISecurityGroup;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: TradingServiceProps) {
    super(scope, id);
    this.cluster = new Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ContainerInsights.ENABLED,
    });
    this.taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: CpuArchitecture.ARM64,
        operatingSystemFamily: OperatingSystemFamily.LINUX,
      },
    });
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.taskDefinition.addContainer('live', {
      // The build context is the repository (the task bundles core/, config/ and fargate/); the
      // root .dockerignore keeps it to those folders.
      image: ContainerImage.fromAsset(repositoryRoot(), {
        file: 'fargate/Dockerfile',
        platform: Platform.LINUX_ARM64,
        ignoreMode: IgnoreMode.DOCKER,
      }),
      essential: true,
      environment: { ...props.environment },
      secrets: { ...props.secrets },
      logging: LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: 'live',
        mode: AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(25),
      }),
      healthCheck: {
        command: ['CMD', 'node', HEALTH_CHECK_SCRIPT],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        // Snapshots of every book plus the ops server's own 30 s start-up grace.
        startPeriod: Duration.seconds(120),
      },
      // Time to cancel open orders and release the lease after SIGTERM.
      stopTimeout: Duration.seconds(60),
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds resource names and the stage only; every credential arrives through `secrets` from Secrets Manager.',
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken, which the execution role needs to pull the image, supports no resource-level permissions.',
    });
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Live task: outbound only (venues, AWS APIs); nothing may connect in',
      allowAllOutbound: true,
    });
    this.service = new FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      vpcSubnets: { subnetType: props.subnetType },
      assignPublicIp: props.assignPublicIp,
      securityGroups: [this.securityGroup],
      enableECSManagedTags: true,
    });
  }
}
