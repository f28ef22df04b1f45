import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SWEEP_MAX_CONCURRENCY,
  SWEEP_TOLERATED_FAILURE_PERCENTAGE,
} from '../../../lib/backtest/backtest-stack.ts';
import { testStage } from '../support/test-stage.ts';

type Resource = { Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

const ACCOUNT = '123456789012';

/** A DefinitionString's Fn::Join with every token replaced by a marker, parsed as ASL. */
function definitionOf(machine: Resource): Record<string, unknown> {
  const raw = machine.Properties.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof raw === 'string'
      ? raw
      : raw['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(raw['Fn::Join'][0]);
  return JSON.parse(text);
}

function machines(template: Template): Record<string, Resource> {
  const out: Record<string, Resource> = {};
  for (const m of Object.values(
    template.findResources('AWS::StepFunctions::StateMachine') as Record<string, Resource>,
  ))
    out[m.Properties.StateMachineName as string] = m;
  return out;
}

/** Every statement of the policies attached to roles whose logical id starts with `rolePrefix`. */
function statementsOf(template: Template, rolePrefix: string): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>);
  return policies
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(rolePrefix)))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourceText = (s: Statement) => JSON.stringify(s.Resource);

describe('BacktestStack', () => {
  let dev: Template;
  beforeAll(() => {
    dev = Template.fromStack(testStage('dev', { account: ACCOUNT }).backtest);
  });

  it('deploys the sweep as a Distributed Map reading its items from S3 and writing its results to S3', () => {
    const sweep = machines(dev)['tradeplane-dev-backtest-sweep'];
    expect(sweep).toBeDefined();
    const text = JSON.stringify(sweep!.Properties.DefinitionString);
    for (const needle of ['DISTRIBUTED', 'ItemReader', 'ResultWriter', 'athena:startQueryExecution.sync'])
      expect(text).toContain(needle);
    const asl = definitionOf(sweep!) as { States: Record<string, Record<string, unknown>> };
    expect(Object.keys(asl.States)).toEqual(['Plan', 'Extract', 'Sweep', 'Report']);
    expect(asl.States.Sweep).toMatchObject({
      Type: 'Map',
      MaxConcurrency: SWEEP_MAX_CONCURRENCY,
      ToleratedFailurePercentage: SWEEP_TOLERATED_FAILURE_PERCENTAGE,
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject' },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Prefix: 'map-results' } },
    });
    expect(asl.States.Extract).toMatchObject({ Parameters: { WorkGroup: 'tradeplane-dev-sweeps' } });
    expect(SWEEP_TOLERATED_FAILURE_PERCENTAGE).toBeGreaterThan(0);
  });

  it('deploys the walk-forward machine: in-sample grid, fold winners, an inline out-of-sample Map', () => {
    const wf = machines(dev)['tradeplane-dev-walk-forward'];
    expect(wf).toBeDefined();
    const asl = definitionOf(wf!) as { States: Record<string, Record<string, unknown>> };
    expect(Object.keys(asl.States)).toEqual([
      'Plan',
      'Extract',
      'Sweep',
      'SelectFoldWinners',
      'OutOfSample',
      'Report',
    ]);
    expect(asl.States.Sweep).toMatchObject({ ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' } } });
    expect(asl.States.OutOfSample).toMatchObject({ ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } } });
  });

  it('logs every state with execution data and traces both machines', () => {
    dev.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    dev.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
    dev.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/tradeplane-dev-backtest-sweep',
      RetentionInDays: 14,
    });
  });

  it('runs the three functions with config/ bundled and DuckDB beside them', () => {
    const functions = Object.values(
      dev.findResources('AWS::Lambda::Function') as Record<string, Resource>,
    ).filter(
      (f) =>
        (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
          ?.POWERTOOLS_SERVICE_NAME,
    );
    const byService = Object.fromEntries(
      functions.map((f) => [
        (f.Properties.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME,
        f.Properties,
      ]),
    );
    expect(Object.keys(byService).sort()).toEqual(['backtest', 'sweep-plan', 'sweep-report']);
    for (const props of Object.values(byService))
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        // The linux-x64 DuckDB binding is the one npm installs.
        Architectures: ['x86_64'],
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { TRADEPLANE_CONFIG_DIR: '/var/task/config' } },
      });
    expect(byService['sweep-plan']).toMatchObject({
      Environment: { Variables: { RESULTS_BUCKET: expect.anything(), LAKE_DATABASE: 'tradeplane_dev' } },
    });
    expect(byService.backtest).toMatchObject({ Timeout: 900 });
  });

  it('scopes the state machine role: its functions, the workgroup, the raw table and prefixes, its own executions', () => {
    const all = statementsOf(dev, 'SweepStateMachineRole');
    const find = (action: string) => all.filter((s) => actions(s).includes(action));
    // Nothing but X-Ray and log delivery on '*'.
    for (const s of all.filter((s) => s.Resource === '*'))
      for (const a of actions(s)) expect(a).toMatch(/^(xray|logs):/);
    expect(all.flatMap(actions).some((a) => a.endsWith(':*') || a === '*')).toBe(false);

    expect(find('lambda:InvokeFunction')).toHaveLength(1);
    expect(find('lambda:InvokeFunction')[0]!.Resource as unknown[]).toHaveLength(3);
    expect(resourceText(find('athena:StartQueryExecution')[0]!)).toContain(
      ':workgroup/tradeplane-dev-sweeps',
    );
    const glue = resourceText(find('glue:GetTable')[0]!);
    expect(glue).toContain('table/tradeplane_dev/raw');
    expect(glue).not.toContain('*');
    const gets = find('s3:GetObject').map(resourceText).join(' ');
    expect(gets).toContain(`tradeplane-dev-archive-${ACCOUNT}-ap-northeast-1/lake/raw/*`);
    expect(gets).not.toContain('/lake/*');
    // The archive is only read.
    for (const s of find('s3:PutObject')) expect(resourceText(s)).not.toContain('-archive-');
    expect(resourceText(find('states:StartExecution')[0]!)).toContain(
      'stateMachine:tradeplane-dev-backtest-sweep"',
    );
    expect(resourceText(find('states:DescribeExecution')[0]!)).toContain(
      'execution:tradeplane-dev-backtest-sweep/*',
    );
  });

  it('lets the functions touch only sweeps/ in the results bucket, and the plan only write', () => {
    for (const role of [
      'PlanFunctionServiceRole',
      'BacktestFunctionServiceRole',
      'ReportFunctionServiceRole',
    ]) {
      const s3 = statementsOf(dev, role).filter((s) => actions(s).some((a) => a.startsWith('s3:')));
      expect(s3.length).toBeGreaterThan(0);
      for (const s of s3) {
        expect(resourceText(s)).toContain(`tradeplane-dev-sweeps-${ACCOUNT}-ap-northeast-1`);
        if (actions(s).includes('s3:ListBucket'))
          expect(s.Condition).toEqual({ StringLike: { 's3:prefix': 'sweeps/*' } });
        else expect(resourceText(s)).toContain('/sweeps/*');
      }
      const granted = new Set(s3.flatMap(actions));
      if (role.startsWith('Plan')) expect(granted).toEqual(new Set(['s3:PutObject']));
      else expect(granted).toEqual(new Set(['s3:GetObject', 's3:PutObject', 's3:ListBucket']));
    }
  });

  it('keeps sweep results private and expires the Map bookkeeping', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: `tradeplane-dev-sweeps-${ACCOUNT}-ap-northeast-1`,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'expire-map-results', Prefix: 'map-results/', ExpirationInDays: 30, Status: 'Enabled' },
          {},
        ],
      },
    });
    dev.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'tradeplane-dev-sweeps',
      WorkGroupConfiguration: { EnforceWorkGroupConfiguration: true },
    });
  });
});
