/**
 * One deployed environment (dev, staging, prod) as a CDK Stage: the data, processing and trading
 * stacks, named `<stage>/Data`, `<stage>/Processing`, `<stage>/Trading` on the command line
 * (`npx cdk deploy 'dev/*'`) and `tradeplane-<stage>-data` … in CloudFormation.
 *
 * Deployment order follows the references: Data first (streams, archive), then Processing and
 * Trading, which only read from it.
 */
import { Stage, type StageProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig, Stage as StageName } from '../../config/environments.ts';
import { DataStack } from '../data/data-stack.ts';
import { ProcessingStack } from '../processing/processing-stack.ts';
import { TradingStack } from '../trading/trading-stack.ts';

export interface PlatformStageProps extends StageProps {
  readonly stage: StageName;
  readonly config: EnvironmentConfig;
}

export class PlatformStage extends Stage {
  readonly data: DataStack;
  readonly processing: ProcessingStack;
  readonly trading: TradingStack;

  constructor(scope: Construct, id: string, props: PlatformStageProps) {
    super(scope, id, props);
    const { stage, config } = props;
    const namePrefix = `tradeplane-${stage}`;
    Tags.of(this).add('project', 'tradeplane');
    Tags.of(this).add('stage', stage);
    this.data = new DataStack(this, 'Data', {
      stackName: `${namePrefix}-data`,
      description: `tradeplane ${stage}: Kinesis streams, Parquet archive, Glue catalog, Athena workgroup`,
      terminationProtection: config.archive.retainOnDelete,
      namePrefix,
      config,
    });
    const { raw, normalized } = this.data.streams;
    this.processing = new ProcessingStack(this, 'Processing', {
      stackName: `${namePrefix}-processing`,
      description: `tradeplane ${stage}: normalize, record and alerts functions`,
      namePrefix,
      environmentName: stage,
      config,
      rawStream: raw,
      normalizedStream: normalized,
    });
    // The archive is named, not referenced (archive-layout.ts): the order must be said.
    this.processing.node.addDependency(this.data);
    this.trading = new TradingStack(this, 'Trading', {
      stackName: `${namePrefix}-trading`,
      description: `tradeplane ${stage}: the live trading task on Fargate`,
      namePrefix,
      environmentName: stage,
      config,
      rawStream: raw,
      normalizedStream: normalized,
    });
  }
}
