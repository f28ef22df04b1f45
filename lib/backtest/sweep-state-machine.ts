/**
 * One backtest sweep state machine from its definition in stepfunctions/backtest-sweep.ts (the ASL
 * the local runner executes too), with a role that can do exactly what the states do:
 *   invoke the three sweep functions;
 *   run the Extract's Athena query in the sweeps' workgroup: the Glue database and raw table, the
 *   raw frames under lake/raw/, the UNLOAD target under sweeps/, the workgroup's result bucket;
 *   read the Map's items, write its result files (map-results/), and start, describe and stop the
 *   Map's child executions (a Distributed Map runs them as executions of this state machine).
 * Logs every state at level ALL with execution data to its own log group, and traces with X-Ray.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RAW_TABLE } from '../../core/recording/recording-tables.ts';
import { type AslDefinition, MAP_RESULTS_PREFIX } from '../../stepfunctions/backtest-sweep.ts';
import { archiveTablePrefix } from '../data/archive-layout.ts';
import type { QueryWorkgroup } from '../data/query-workgroup.ts';
import { nagResource } from '../shared/nag-resource.ts';
import { SWEEPS_PREFIX, type SweepResults } from './sweep-results.ts';

export interface SweepStateMachineProps {
  readonly stateMachineName: string;
  readonly definition: AslDefinition;
  readonly functions: readonly IFunction[];
  readonly results: SweepResults;
  readonly archiveBucketName: string;
  readonly lakeDatabase: string;
  /** The Extract's workgroup; Athena writes each query's result and UNLOAD manifest to its result bucket. */
  readonly queries: QueryWorkgroup;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

export class SweepStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SweepStateMachineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = (service: string, resource: string) =>
      `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
    this.logGroup = new LogGroup(this, 'Logs', {
      // The prefix AWS asks vended logs to use: the log resource policy then stays within its size limit.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      // Named: the role grants on its own executions by name (a reference would be circular).
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(stack.toJsonString(props.definition)),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    const rawObjects = `arn:${stack.partition}:s3:::${props.archiveBucketName}/${archiveTablePrefix('raw')}*`;
    const executions = arn('states', `execution:${props.stateMachineName}/*`);
    const statements = [
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: props.functions.map((f) => f.functionArn),
      }),
      new PolicyStatement({
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:StopQueryExecution',
          'athena:GetWorkGroup',
        ],
        resources: [arn('athena', `workgroup/${props.queries.workgroup.name}`)],
      }),
      new PolicyStatement({
        actions: ['athena:GetDataCatalog'],
        resources: [arn('athena', 'datacatalog/AwsDataCatalog')],
      }),
      new PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          arn('glue', 'catalog'),
          arn('glue', `database/${props.lakeDatabase}`),
          arn('glue', `table/${props.lakeDatabase}/${RAW_TABLE.name}`),
        ],
      }),
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [rawObjects] }),
      new PolicyStatement({
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [`arn:${stack.partition}:s3:::${props.archiveBucketName}`],
      }),
      new PolicyStatement({
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [props.results.arn()],
      }),
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [props.results.arn(`${SWEEPS_PREFIX}*`), props.results.arn(`${MAP_RESULTS_PREFIX}/*`)],
      }),
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [arn('states', `stateMachine:${props.stateMachineName}`)],
      }),
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [executions],
      }),
      new PolicyStatement({
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [props.queries.results.bucketArn],
      }),
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [props.queries.results.arnForObjects('*')],
      }),
    ];
    for (const statement of statements) this.stateMachine.addToRolePolicy(statement);

    const acknowledge = (resource: string, reason: string) =>
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason,
      });
    acknowledge(
      '*',
      'X-Ray PutTraceSegments and the CloudWatch Logs delivery actions support no resource-level permissions.',
    );
    acknowledge(
      nagResource(this, rawObjects),
      'The Extract query reads the raw frames of any day and venue the execution asks for; partitions are not known at deploy time.',
    );
    acknowledge(
      nagResource(this, props.results.arn(`${SWEEPS_PREFIX}*`)),
      'Each execution reads its items and writes its extract below its own sweeps/<execution>/ prefix, named at run time.',
    );
    acknowledge(
      nagResource(this, props.results.arn(`${MAP_RESULTS_PREFIX}/*`)),
      "The Distributed Map's ResultWriter writes result files under a new map run id per execution.",
    );
    const queryResults = stack.getLogicalId(props.queries.results.node.defaultChild as CfnBucket);
    acknowledge(
      `<${queryResults}.Arn>/*`,
      "Athena writes each query's result and UNLOAD manifest under a new key of the workgroup's result bucket, which holds nothing else.",
    );
    acknowledge(
      nagResource(this, executions),
      "The Distributed Map's child executions are named by Step Functions at run time, below this state machine.",
    );
  }
}
