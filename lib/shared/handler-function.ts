/**
 * A platform Lambda built from one `lambdas/<name>/handler.ts` entry: nodejs22.x on ARM64 (Graviton:
 * about 20 % cheaper per GB-second than x86; x86_64 when it carries native bindings), an ESM bundle made by the local esbuild (no Docker),
 * active X-Ray tracing, its own log group with the environment's retention, and the Powertools
 * settings every handler reads. Handlers export `handler`.
 *
 * The AWS SDK is bundled rather than taken from the runtime: the handlers then run the SDK versions
 * pinned in package.json and tested offline, not whatever the runtime ships that month.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONFIG_DIR_ENV } from '../../config/read-config-file.ts';
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
  /** Files the handler reads at run time, copied beside the bundle (runtimeFiles below). */
  readonly runtimeFiles?: RuntimeFiles;
}

export interface RuntimeFiles {
  /** config/*.json into the bundle's config/, named by TRADEPLANE_CONFIG_DIR. */
  readonly config?: boolean;
  /**
   * node_modules packages left out of esbuild and copied as installed: native bindings, which
   * esbuild cannot bundle. npm installs the linux-x64 bindings on the build machines, so a function
   * with any runs on x86_64.
   */
  readonly nativePackages?: readonly string[];
}

/** Where the Lambda runtime unpacks the bundle. */
const TASK_ROOT = '/var/task';
/** The local simulators' accounts: never shipped. */
const LOCAL_ONLY_CONFIG = new Set(['local-accounts.json']);

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Shell commands that copy the runtime files from the repository into the bundle folder. */
function copyRuntimeFiles(files: RuntimeFiles, inputDir: string, outputDir: string): string[] {
  const commands: string[] = [];
  if (files.config) {
    const names = readdirSync(repositoryPath('config'))
      .filter((n) => n.endsWith('.json') && !LOCAL_ONLY_CONFIG.has(n))
      .sort();
    commands.push(`mkdir -p ${shellQuote(`${outputDir}/config`)}`);
    for (const n of names)
      commands.push(`cp ${shellQuote(`${inputDir}/config/${n}`)} ${shellQuote(`${outputDir}/config/${n}`)}`);
  }
  for (const pkg of files.nativePackages ?? []) {
    const target = `${outputDir}/node_modules/${pkg}`;
    commands.push(
      `mkdir -p ${shellQuote(dirname(target))}`,
      `cp -R ${shellQuote(`${inputDir}/node_modules/${pkg}`)} ${shellQuote(target)}`,
    );
  }
  return commands;
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
    const files = props.runtimeFiles ?? {};
    const nativePackages = files.nativePackages ?? [];
    this.fn = new NodejsFunction(this, 'Function', {
      entry: repositoryPath(`lambdas/${props.name}/handler.ts`),
      handler: 'handler',
      projectRoot: repositoryRoot(),
      depsLockFilePath: repositoryPath('package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: nativePackages.length > 0 ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ENVIRONMENT: props.environmentName,
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...(files.config ? { [CONFIG_DIR_ENV]: `${TASK_ROOT}/config` } : {}),
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
        ...(nativePackages.length > 0 ? { externalModules: [...nativePackages] } : {}),
        ...(files.config || nativePackages.length > 0
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  copyRuntimeFiles(files, inputDir, outputDir),
              },
            }
          : {}),
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
