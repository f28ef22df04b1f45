/**
 * One deployed environment (dev, staging, prod) as a CDK Stage: the data, processing, trading,
 * control, observability and backtest stacks, named `<stage>/Data`, `<stage>/Processing`, `<stage>/Trading`, `<stage>/Backtest` on the command line
 * (`npx cdk deploy 'dev/*'`) and `tradeplane-<stage>-data` … in CloudFormation.
 *
 * Deployment order follows the references: Data first (streams, archive), then Processing and
 * Trading, which only read from it.
 */
import { Stage, type StageProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { loadAlarmTable } from '../../config/alarms.ts';
import type { EnvironmentConfig, Stage as StageName } from '../../config/environments.ts';
import { loadVenuesConfig, resolveVenues } from '../../config/venues.ts';
import { BacktestStack } from '../backtest/backtest-stack.ts';
import { ControlStack } from '../control/control-stack.ts';
import { DataStack } from '../data/data-stack.ts';
import { ObservabilityStack } from '../observability/observability-stack.ts';
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
  readonly backtest: BacktestStack;
  readonly control: ControlStack;
  readonly observability: ObservabilityStack;

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
    this.backtest = new BacktestStack(this, 'Backtest', {
      stackName: `${namePrefix}-backtest`,
      description: `tradeplane ${stage}: backtest sweeps on Step Functions (Athena extract, Distributed Map, report)`,
      namePrefix,
      environmentName: stage,
      config,
      lakeDatabase: this.data.catalog.databaseName,
    });
    // The archive is named, not referenced: as for Processing, the order must be said.
    this.backtest.node.addDependency(this.data);
    this.control = new ControlStack(this, 'Control', {
      stackName: `${namePrefix}-control`,
      description: `tradeplane ${stage}: kill-switch URL, control table and queue, reconcile schedule`,
      namePrefix,
      environmentName: stage,
      config,
      trading: this.trading,
    });
    const processing = this.processing;
    this.observability = new ObservabilityStack(this, 'Observability', {
      stackName: `${namePrefix}-observability`,
      description: `tradeplane ${stage}: dashboards and the alarms of config/alarms.json`,
      namePrefix,
      alarmTable: loadAlarmTable(),
      alertTopic: processing.alerts.topic,
      service: this.trading.live.service,
      exchanges: [...new Set(resolveVenues(loadVenuesConfig(), 'cloud').map((v) => v.exchange))],
      functions: [
        { label: 'normalize', value: processing.normalize.fn },
        { label: 'record', value: processing.record.fn },
        { label: 'alerts', value: processing.alerts.handler.fn },
        { label: 'control', value: this.control.control.fn },
        { label: 'reconcile', value: this.control.reconcile.fn },
      ],
      streamFunctions: [
        { label: 'normalize', value: processing.normalize.fn },
        { label: 'record', value: processing.record.fn },
      ],
      deadLetterQueues: [
        { label: 'normalize-dlq', value: processing.normalizeSource.deadLetters.queue },
        { label: 'record-dlq', value: processing.recordSource.deadLetters.queue },
        { label: 'alerts-dlq', value: processing.alerts.deadLetters.queue },
      ],
    });
  }
}
