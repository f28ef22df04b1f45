/**
 * The kill-switch URL: an API Gateway HTTP API with IAM authorization on every route (callers sign
 * with SigV4; who may call is decided by IAM policy on `execute-api:Invoke`), integrated with the
 * control function (payload format 2.0). Why an HTTP API and not a REST API: docs/decisions.md.
 *
 * The stage throttles (a runaway script cannot flood the control item) and writes JSON access logs
 * — the second record, beside the function's own flip log lines, of who called what.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The routes of lambdas/control/control-api.ts. */
export const CONTROL_ROUTES: ReadonlyArray<readonly [HttpMethod, string]> = [
  [HttpMethod.POST, '/kill'],
  [HttpMethod.GET, '/status'],
  [HttpMethod.POST, '/reset'],
  [HttpMethod.GET, '/risk/params'],
  [HttpMethod.PUT, '/risk/params'],
];

export interface ControlHttpApiProps {
  readonly apiName: string;
  readonly handler: IFunction;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

export class ControlHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ControlHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'Kill switch and control of the live trading task (IAM-signed requests only)',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    const integration = new HttpLambdaIntegration('Control', props.handler);
    for (const [method, path] of CONTROL_ROUTES) this.api.addRoutes({ path, methods: [method], integration });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 5, burstLimit: 10 },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs) },
    });
  }

  get url(): string {
    return this.stage.url;
  }
}
