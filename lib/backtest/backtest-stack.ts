/**
 * Backtest sweeps of one environment on Step Functions: the sweep and walk-forward state machines
 * (stepfunctions/backtest-sweep.ts), the three functions their states invoke (sweep-plan, backtest,
 * sweep-report), the results bucket and the sweeps' Athena workgroup. The extract is an Athena
 * query over the data stack's archive through its Glue database; the archive itself is only read.
 *
 * The backtest and report functions run the CLI's backtest code, which reads config/*.json and the
 * recording through DuckDB: config/ and DuckDB's native packages are copied into their bundles.
 * sweep-plan needs DuckDB too (the query builder's SQL quoting lives beside it).
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environments.ts';
import {
  backtestSweepDefinition,
  type SweepResources,
  walkForwardDefinition,
} from '../../stepfunctions/backtest-sweep.ts';
import { archiveBucketName } from '../data/archive-layout.ts';
import { QueryWorkgroup } from '../data/query-workgroup.ts';
import { HandlerFunction, type RuntimeFiles } from '../shared/handler-function.ts';
import { SWEEPS_PREFIX, SweepResults } from './sweep-results.ts';
import { SweepStateMachine } from './sweep-state-machine.ts';

/**
 * Child executions at once: each is one backtest Lambda, so this is the sweep's share of the
 * account's Lambda concurrency (1,000 by default), leaving the stream consumers their room.
 */
export const SWEEP_MAX_CONCURRENCY = 100;
/** Failed grid points tolerated before the Map fails: a few bad points should not lose a large grid. */
export const SWEEP_TOLERATED_FAILURE_PERCENTAGE = 5;
const MAP_RESULTS_EXPIRE_AFTER_DAYS = 30;

/** DuckDB's Node API and its linux-x64 binding, as npm installs them. */
const DUCKDB_PACKAGES = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-linux-x64'];
const WITH_CONFIG_AND_DUCKDB: RuntimeFiles = { config: true, nativePackages: DUCKDB_PACKAGES };

export interface BacktestStackProps extends StackProps {
  readonly namePrefix: string;
  readonly environmentName: string;
  readonly config: EnvironmentConfig;
  /** The data stack's Glue database of the archive tables. */
  readonly lakeDatabase: string;
}

export class BacktestStack extends Stack {
  readonly results: SweepResults;
  readonly queries: QueryWorkgroup;
  readonly plan: HandlerFunction;
  readonly backtest: HandlerFunction;
  readonly report: HandlerFunction;
  readonly sweep: SweepStateMachine;
  readonly walkForward: SweepStateMachine;

  constructor(scope: Construct, id: string, props: BacktestStackProps) {
    super(scope, id, props);
    const { config, namePrefix } = props;
    const functionDefaults = {
      environmentName: props.environmentName,
      logRetentionDays: config.processing.logRetentionDays,
      retainLogs: config.archive.retainOnDelete,
    };
    this.results = new SweepResults(this, 'Results', {
      namePrefix,
      retainOnDelete: config.archive.retainOnDelete,
      mapResultsExpireAfterDays: MAP_RESULTS_EXPIRE_AFTER_DAYS,
    });
    // A workgroup of its own: the sweeps' scans are costed apart and cut off at the same limit.
    this.queries = new QueryWorkgroup(this, 'Queries', {
      name: `${namePrefix}-sweeps`,
      config: config.athena,
      retainOnDelete: config.archive.retainOnDelete,
    });

    this.plan = new HandlerFunction(this, 'Plan', {
      ...functionDefaults,
      name: 'sweep-plan',
      memoryMiB: 512,
      timeout: Duration.minutes(1),
      runtimeFiles: WITH_CONFIG_AND_DUCKDB,
      environment: { RESULTS_BUCKET: this.results.bucketName, LAKE_DATABASE: props.lakeDatabase },
    });
    this.results.grantObjects(this.plan, SWEEPS_PREFIX, {
      read: false,
      reason:
        "The plan writes each execution's items below its own sweeps/<execution>/ prefix, named at run time.",
    });
    this.backtest = new HandlerFunction(this, 'Backtest', {
      ...functionDefaults,
      name: 'backtest',
      // Memory buys CPU: a full-mode replay of a day is CPU-bound, and the tape is held in memory.
      memoryMiB: 3008,
      timeout: Duration.minutes(15),
      runtimeFiles: WITH_CONFIG_AND_DUCKDB,
    });
    this.report = new HandlerFunction(this, 'Report', {
      ...functionDefaults,
      name: 'sweep-report',
      memoryMiB: 2048,
      timeout: Duration.minutes(10),
      runtimeFiles: WITH_CONFIG_AND_DUCKDB,
    });
    for (const fn of [this.backtest, this.report])
      this.results.grantObjects(fn, SWEEPS_PREFIX, {
        read: true,
        reason:
          "Reads the execution's extract and metrics and writes its runs and report below its own sweeps/<execution>/ prefix, named at run time.",
      });

    const resources: SweepResources = {
      planFunctionArn: this.plan.fn.functionArn,
      backtestFunctionArn: this.backtest.fn.functionArn,
      reportFunctionArn: this.report.fn.functionArn,
      resultsBucket: this.results.bucketName,
      athenaWorkgroup: this.queries.workgroup.name,
      lakeDatabase: props.lakeDatabase,
      maxConcurrency: SWEEP_MAX_CONCURRENCY,
      toleratedFailurePercentage: SWEEP_TOLERATED_FAILURE_PERCENTAGE,
    };
    const machine = {
      functions: [this.plan.fn, this.backtest.fn, this.report.fn],
      results: this.results,
      archiveBucketName: archiveBucketName(namePrefix, this),
      lakeDatabase: props.lakeDatabase,
      queries: this.queries,
      logRetentionDays: config.processing.logRetentionDays,
      retainLogs: config.archive.retainOnDelete,
    };
    this.sweep = new SweepStateMachine(this, 'Sweep', {
      ...machine,
      stateMachineName: `${namePrefix}-backtest-sweep`,
      definition: backtestSweepDefinition(resources),
    });
    this.walkForward = new SweepStateMachine(this, 'WalkForward', {
      ...machine,
      stateMachineName: `${namePrefix}-walk-forward`,
      definition: walkForwardDefinition(resources),
    });
  }
}
