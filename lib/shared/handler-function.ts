/**
 * A platform Lambda built from one `lambdas/<name>/handler.ts` entry: nodejs22.x on ARM64 (Graviton:
 * about 20 % cheaper per GB-second than x86), an ESM bundle made by the local esbuild (no Docker),
 * active X-Ray tracing, its own log group with the environment's retention, and the Powertools
 * settings every handler reads. Handlers export `handler`.
 *
 * The AWS SDK is bundled rather than taken from the runtime: the handlers then run the SDK versions
 * pinned in package.json and tested offline, not whatever the runtime ships that month.
 */
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { repositoryPath, repositoryRoot } from './repository-path.ts';

/** The CloudWatch namespace of every handler's Powertools metrics. */
export const METRICS_NAMESPACE = 'Tradeplane';

/** ESM bundles still meet CommonJS dependencies that call `require`. */
const REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface HandlerFunctionProps {
  /** The folder under lambdas/: 'normalize' → lambdas/normalize/handler.ts; also the Powertools service name. */
  readonly name: string;
  readonly environmentName: string;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  readonly environment?: Readonly<Record<string, string>>;
}

export class HandlerFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: repositoryPath(`lambdas/${props.name}/handler.ts`),
      handler: 'handler',
      projectRoot: repositoryRoot(),
      depsLockFilePath: repositoryPath('package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ENVIRONMENT: props.environmentName,
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        tsconfig: repositoryPath('tsconfig.json'),
        logLevel: LogLevel.WARNING,
      },
    });
    const validations = Validations.of(this);
    validations.acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "The AWS-managed basic execution role grants only log writes; the function's own grants are added as scoped inline statements.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x is the newest runtime the handlers are bundled and tested for (esbuild target node22); moving to nodejs24.x is a deliberate change with its own test run.',
      },
    );
  }
}
