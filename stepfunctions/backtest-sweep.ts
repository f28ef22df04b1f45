/**
 * The backtest sweep state machines as Amazon States Language, built here and used twice: CDK
 * deploys them (lib/backtest/sweep-state-machines.ts) and the local runner executes them
 * (local/sfn/run-local-sweep.ts) — the same states, only the resource names differ.
 *
 * Sweep:
 *   Plan         Lambda sweep-plan: validate the input, write the grid items to S3, build the query
 *   Extract      Athena UNLOAD of the date range and venues to Parquet (startQueryExecution.sync)
 *   Sweep        Distributed Map over the items in S3 (ItemReader), each a child execution of the
 *                backtest Lambda writing runs/<id>/metrics.json; concurrency limit, tolerated
 *                failure percentage, results written to S3 (ResultWriter)
 *   Report       Lambda sweep-report: ranked table, heatmap, best run's report → <prefix>report/
 * Walk-forward adds, between Sweep (which then also runs every fold's in-sample window) and Report:
 *   SelectFoldWinners  Lambda sweep-report: each fold's best in-sample set
 *   OutOfSample        Map over the folds: the backtest Lambda on each winner's out-of-sample window
 *
 * JSONPath throughout (the local runner ignores JSONata). Design decision: ASL written as data
 * rather than with CDK's state constructs, so the local runner needs no synthesized template and
 * the definition a test inspects is the one both sides run.
 */

export interface SweepResources {
  readonly planFunctionArn: string;
  readonly backtestFunctionArn: string;
  readonly reportFunctionArn: string;
  /** Bucket of the items, the extract, the metrics, the Map results and the report. */
  readonly resultsBucket: string;
  readonly athenaWorkgroup: string;
  readonly lakeDatabase: string;
  /** Child executions at once (the Lambda's concurrency budget). */
  readonly maxConcurrency: number;
  /** Failed grid points tolerated before the Map (and the execution) fails. */
  readonly toleratedFailurePercentage: number;
}

export type AslState = Record<string, unknown>;
export interface AslDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly TimeoutSeconds: number;
  readonly States: Record<string, AslState>;
}

/** Folder of the Distributed Map's result files in the results bucket. */
export const MAP_RESULTS_PREFIX = 'map-results';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/** Transient Lambda errors worth a retry (the ones AWS's own Lambda task template retries). */
const LAMBDA_RETRY = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 4,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

function invoke(functionArn: string, payload: Record<string, unknown>, rest: AslState): AslState {
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE,
    Parameters: { FunctionName: functionArn, Payload: payload },
    OutputPath: '$.Payload',
    Retry: LAMBDA_RETRY,
    ...rest,
  };
}

function planState(r: SweepResources): AslState {
  return invoke(
    r.planFunctionArn,
    { 'input.$': '$', 'executionName.$': '$$.Execution.Name' },
    { Next: 'Extract' },
  );
}

function extractState(r: SweepResources): AslState {
  return {
    Type: 'Task',
    Comment: 'Athena UNLOAD of the date range and venues to Parquet in the recorder layout',
    Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
    Parameters: {
      'QueryString.$': '$.run.query',
      WorkGroup: r.athenaWorkgroup,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: r.lakeDatabase },
    },
    ResultSelector: { 'queryExecutionId.$': '$.QueryExecution.QueryExecutionId' },
    ResultPath: '$.extract',
    Retry: [
      {
        ErrorEquals: ['Athena.TooManyRequestsException'],
        IntervalSeconds: 5,
        MaxAttempts: 3,
        BackoffRate: 2,
      },
    ],
    Next: 'Sweep',
  };
}

/** The Distributed Map over the items object; each child runs `processor` on one item. */
function distributedMap(r: SweepResources, itemsKeyPath: string, next: string): AslState {
  return {
    Type: 'Map',
    Comment: 'One child execution per grid point (and fold window), the backtest Lambda each',
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: r.resultsBucket, 'Key.$': itemsKeyPath },
    },
    ItemSelector: { 'input.$': '$.input', 'run.$': '$.run', 'item.$': '$$.Map.Item.Value' },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'Backtest',
      States: {
        Backtest: invoke(
          r.backtestFunctionArn,
          { 'input.$': '$.input', 'run.$': '$.run', 'item.$': '$.item' },
          { End: true },
        ),
      },
    },
    MaxConcurrency: r.maxConcurrency,
    ToleratedFailurePercentage: r.toleratedFailurePercentage,
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: r.resultsBucket, Prefix: MAP_RESULTS_PREFIX },
    },
    ResultPath: '$.sweep',
    Next: next,
  };
}

function reportState(r: SweepResources, withWinners: boolean): AslState {
  return invoke(
    r.reportFunctionArn,
    {
      step: 'report',
      'input.$': '$.input',
      'run.$': '$.run',
      ...(withWinners ? { 'winners.$': '$.folds.winners' } : {}),
    },
    { End: true },
  );
}

const DAY_SECONDS = 24 * 3600;

export function backtestSweepDefinition(r: SweepResources): AslDefinition {
  return {
    Comment: 'Backtest sweep: extract (Athena) → grid (Distributed Map of backtests) → ranked report',
    StartAt: 'Plan',
    TimeoutSeconds: DAY_SECONDS,
    States: {
      Plan: planState(r),
      Extract: extractState(r),
      Sweep: distributedMap(r, '$.run.itemsKey', 'Report'),
      Report: reportState(r, false),
    },
  };
}

export function walkForwardDefinition(r: SweepResources): AslDefinition {
  return {
    Comment:
      'Walk-forward: extract → grid on the whole tape and every in-sample window → fold winners → out-of-sample runs → report',
    StartAt: 'Plan',
    TimeoutSeconds: DAY_SECONDS,
    States: {
      Plan: planState(r),
      Extract: extractState(r),
      Sweep: distributedMap(r, '$.run.itemsKey', 'SelectFoldWinners'),
      SelectFoldWinners: invoke(
        r.reportFunctionArn,
        { step: 'select-fold-winners', 'input.$': '$.input', 'run.$': '$.run' },
        {
          ResultSelector: { 'winners.$': '$.Payload.winners', 'items.$': '$.Payload.items' },
          OutputPath: '$',
          ResultPath: '$.folds',
          Next: 'OutOfSample',
        },
      ),
      OutOfSample: {
        Type: 'Map',
        Comment: 'Each fold winner on its out-of-sample window (a few items: inline)',
        ItemsPath: '$.folds.items',
        ItemSelector: { 'input.$': '$.input', 'run.$': '$.run', 'item.$': '$$.Map.Item.Value' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'EvaluateFold',
          States: {
            EvaluateFold: invoke(
              r.backtestFunctionArn,
              { 'input.$': '$.input', 'run.$': '$.run', 'item.$': '$.item' },
              { End: true },
            ),
          },
        },
        MaxConcurrency: Math.min(r.maxConcurrency, 40),
        ResultPath: '$.outOfSample',
        Next: 'Report',
      },
      Report: reportState(r, true),
    },
  };
}
