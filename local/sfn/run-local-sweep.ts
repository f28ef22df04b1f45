/**
 * Runs a backtest sweep state machine (stepfunctions/backtest-sweep.ts) on this machine with
 * aws-local-stepfunctions: the same definition the cloud runs, with
 *   - the Lambda tasks mapped to the same step functions the handlers call, on a folder store;
 *   - the Athena extract run by DuckDB over the recording (duckdb-extract.ts);
 *   - the Distributed Map run as an inline Map (inline-distributed-map.ts) — the one difference.
 */
import './promise-with-resolvers.ts';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  type AslDefinition,
  type AslState,
  backtestSweepDefinition,
  type SweepResources,
  walkForwardDefinition,
} from '../../stepfunctions/backtest-sweep.ts';
import { backtestStep, planStep, reportStep } from '../../stepfunctions/sweep/step-events.ts';
import { directoryStore } from './directory-store.ts';
import { duckDbExtract } from './duckdb-extract.ts';
import { inlineDistributedMaps, type LocalHandler } from './inline-distributed-map.ts';

const ARN = 'arn:aws:lambda:ap-northeast-1:000000000000:function';

export const LOCAL_RESOURCES: SweepResources = {
  planFunctionArn: `${ARN}:sweep-plan`,
  backtestFunctionArn: `${ARN}:backtest`,
  reportFunctionArn: `${ARN}:sweep-report`,
  resultsBucket: 'sweep-results',
  athenaWorkgroup: 'local',
  lakeDatabase: 'lake',
  maxConcurrency: 4,
  toleratedFailurePercentage: 0,
};

export interface LocalSweepOptions {
  /** The execution input (the console's JSON). */
  readonly input: unknown;
  /** The recording DuckDB extracts from (stands in for the archive). */
  readonly recording: string;
  /** Folder standing in for S3. */
  readonly storeRoot: string;
  readonly executionName: string;
  readonly resources?: Partial<SweepResources>;
}

export interface LocalSweepResult {
  readonly output: unknown;
  readonly definition: AslDefinition;
}

function taskStates(
  states: Record<string, AslState>,
  out: Array<[string, AslState]> = [],
): Array<[string, AslState]> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') out.push([name, state]);
    const processor = state.ItemProcessor as { States: Record<string, AslState> } | undefined;
    if (processor) taskStates(processor.States, out);
    for (const branch of (state.Branches as { States: Record<string, AslState> }[] | undefined) ?? [])
      taskStates(branch.States, out);
  }
  return out;
}

export function isWalkForward(input: unknown): boolean {
  return (
    typeof input === 'object' &&
    input !== null &&
    (input as { walkForward?: unknown }).walkForward !== undefined
  );
}

export async function runLocalSweep(options: LocalSweepOptions): Promise<LocalSweepResult> {
  const resources = { ...LOCAL_RESOURCES, ...options.resources };
  const store = directoryStore(options.storeRoot);
  const source = isWalkForward(options.input)
    ? walkForwardDefinition(resources)
    : backtestSweepDefinition(resources);
  const { definition, handlers } = inlineDistributedMaps(source, store);
  const functions: Record<string, LocalHandler> = {
    [resources.planFunctionArn]: (e) =>
      planStep(e, { bucket: resources.resultsBucket, database: resources.lakeDatabase }, store),
    [resources.backtestFunctionArn]: (e) => backtestStep(e, store),
    [resources.reportFunctionArn]: (e) => reportStep(e, store),
  };
  for (const [name, state] of taskStates(definition.States)) {
    if (handlers[name]) continue;
    if (state.Resource === 'arn:aws:states:::lambda:invoke') {
      const arn = (state.Parameters as { FunctionName: string }).FunctionName;
      const fn = functions[arn];
      if (!fn) throw new Error(`state ${name}: no local handler for ${arn}`);
      handlers[name] = async (params) => ({ Payload: await fn((params as { Payload: unknown }).Payload) });
    } else if (state.Resource === 'arn:aws:states:::athena:startQueryExecution.sync') {
      handlers[name] = (params) =>
        duckDbExtract((params as { QueryString: string }).QueryString, {
          recording: options.recording,
          storeRoot: options.storeRoot,
          database: resources.lakeDatabase,
        });
    } else throw new Error(`state ${name}: no local stand-in for ${String(state.Resource)}`);
  }
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { checkArn: false, checkPaths: false },
  });
  const execution = machine.run(options.input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as unknown as NonNullable<
        NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']
      >,
    },
    context: { Execution: { Name: options.executionName } },
  });
  return { output: await execution.result, definition };
}
