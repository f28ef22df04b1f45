import { describe, expect, it } from 'vitest';
import {
  type AslDefinition,
  type AslState,
  backtestSweepDefinition,
  MAP_RESULTS_PREFIX,
  type SweepResources,
  walkForwardDefinition,
} from '../../stepfunctions/backtest-sweep.ts';

const RESOURCES: SweepResources = {
  planFunctionArn: 'arn:plan',
  backtestFunctionArn: 'arn:backtest',
  reportFunctionArn: 'arn:report',
  resultsBucket: 'results',
  athenaWorkgroup: 'wg',
  lakeDatabase: 'lake_db',
  maxConcurrency: 120,
  toleratedFailurePercentage: 7,
};

/** Every state of a definition, nested processors included, with the states map it lies in. */
function allStates(states: Record<string, AslState>): Array<[string, AslState, Record<string, AslState>]> {
  const out: Array<[string, AslState, Record<string, AslState>]> = [];
  for (const [name, state] of Object.entries(states)) {
    out.push([name, state, states]);
    const processor = state.ItemProcessor as { States: Record<string, AslState> } | undefined;
    if (processor) out.push(...allStates(processor.States));
  }
  return out;
}

function checkGraph(definition: AslDefinition): void {
  expect(definition.States[definition.StartAt]).toBeDefined();
  for (const [name, state, scope] of allStates(definition.States)) {
    // Every state either ends or names a state of its own scope.
    if (state.End === true) expect(state.Next, name).toBeUndefined();
    else expect(scope[state.Next as string], `${name} → ${String(state.Next)}`).toBeDefined();
    // JSONPath throughout: the local runner ignores JSONata.
    expect(state.QueryLanguage, name).toBeUndefined();
  }
}

describe('backtest sweep definitions', () => {
  it('chains Plan → Extract → Sweep → Report with the resources filled in', () => {
    const d = backtestSweepDefinition(RESOURCES);
    checkGraph(d);
    expect(d.StartAt).toBe('Plan');
    expect(d.States.Plan).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: 'arn:plan',
        Payload: { 'input.$': '$', 'executionName.$': '$$.Execution.Name' },
      },
      OutputPath: '$.Payload',
      Next: 'Extract',
    });
    expect(d.States.Extract).toMatchObject({
      Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
      Parameters: {
        'QueryString.$': '$.run.query',
        WorkGroup: 'wg',
        QueryExecutionContext: { Database: 'lake_db' },
      },
      ResultPath: '$.extract',
    });
    expect(d.States.Report).toMatchObject({ Parameters: { FunctionName: 'arn:report' }, End: true });
  });

  it('runs the grid as a Distributed Map over the plan items, results written to S3', () => {
    const map = backtestSweepDefinition(RESOURCES).States.Sweep!;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: 'results', 'Key.$': '$.run.itemsKey' },
      },
      ItemSelector: { 'input.$': '$.input', 'run.$': '$.run', 'item.$': '$$.Map.Item.Value' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      MaxConcurrency: 120,
      ToleratedFailurePercentage: 7,
      ResultWriter: { Parameters: { Bucket: 'results', Prefix: MAP_RESULTS_PREFIX } },
      ResultPath: '$.sweep',
      Next: 'Report',
    });
    const backtest = (map.ItemProcessor as { States: Record<string, AslState> }).States.Backtest!;
    expect(backtest).toMatchObject({ Parameters: { FunctionName: 'arn:backtest' }, End: true });
    // Throttling and transient Lambda errors are retried, with jitter.
    expect(JSON.stringify(backtest.Retry)).toContain('Lambda.TooManyRequestsException');
  });

  it('adds fold winners and an inline out-of-sample Map for walk-forward, capped at 40 at once', () => {
    const d = walkForwardDefinition(RESOURCES);
    checkGraph(d);
    expect(Object.keys(d.States)).toEqual([
      'Plan',
      'Extract',
      'Sweep',
      'SelectFoldWinners',
      'OutOfSample',
      'Report',
    ]);
    expect(d.States.Sweep).toMatchObject({ Next: 'SelectFoldWinners', ToleratedFailurePercentage: 7 });
    expect(d.States.SelectFoldWinners).toMatchObject({
      Parameters: { Payload: { step: 'select-fold-winners' } },
      ResultPath: '$.folds',
      OutputPath: '$',
    });
    expect(d.States.OutOfSample).toMatchObject({
      ItemsPath: '$.folds.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
      MaxConcurrency: 40,
    });
    expect(d.States.Report).toMatchObject({ Parameters: { Payload: { 'winners.$': '$.folds.winners' } } });
    expect(
      walkForwardDefinition({ ...RESOURCES, maxConcurrency: 3 }).States.OutOfSample!.MaxConcurrency,
    ).toBe(3);
  });
});
