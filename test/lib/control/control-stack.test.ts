import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_ROUTES } from '../../../lib/control/control-http-api.ts';
import { testStage } from '../support/test-stage.ts';

describe('ControlStack', () => {
  let control: Template;
  let trading: Template;
  beforeAll(() => {
    const stage = testStage('dev', { account: '123456789012' });
    control = Template.fromStack(stage.control);
    trading = Template.fromStack(stage.trading);
  });

  it('serves every control route on an HTTP API, each behind IAM authorization', () => {
    control.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    control.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const routes = Object.values(control.findResources('AWS::ApiGatewayV2::Route')) as {
      Properties: { RouteKey: string; AuthorizationType: string };
    }[];
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      CONTROL_ROUTES.map(([method, path]) => `${method} ${path}`).sort(),
    );
    for (const r of routes) expect(r.Properties.AuthorizationType).toBe('AWS_IAM');
    control.hasResourceProperties('AWS::ApiGatewayV2::Integration', { PayloadFormatVersion: '2.0' });
    control.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 5 }),
    });
  });

  it('keeps the control item in a table with point-in-time recovery, and a short-lived notice queue', () => {
    control.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'tradeplane-dev-control',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    control.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'tradeplane-dev-control',
      MessageRetentionPeriod: 300,
      ReceiveMessageWaitTimeSeconds: 20,
    });
  });

  it('gives the control function its table, queue, admin token and the ECS backstop', () => {
    control.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'control',
          KILL_SCALES_SERVICE: 'true',
          KILL_CONFIRM_WAIT_MS: '3000',
          CONTROL_TABLE: Match.anyValue(),
          CONTROL_QUEUE_URL: Match.anyValue(),
          ADMIN_TOKEN_SECRET_ARN: Match.anyValue(),
          ECS_SERVICE: Match.anyValue(),
        }),
      },
    });
    control.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'ecs:UpdateService', Effect: 'Allow' })]),
      },
    });
  });

  it('runs the reconcile function on an EventBridge schedule', () => {
    control.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
    });
    control.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'reconcile', STALE_AFTER_SECONDS: '180' }),
      },
    });
  });

  it('lets the task read the item, write its reports and consume the queue — and tells it their names', () => {
    control.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['dynamodb:GetItem', 'dynamodb:PutItem'] }),
          Match.objectLike({ Action: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'] }),
        ]),
      },
      Roles: [Match.anyValue()],
    });
    const [task] = Object.values(trading.findResources('AWS::ECS::TaskDefinition')) as {
      Properties: { ContainerDefinitions: { Environment: { Name: string; Value: unknown }[] }[] };
    }[];
    const env = task?.Properties.ContainerDefinitions[0]?.Environment ?? [];
    expect(env.find((e) => e.Name === 'CONTROL_TABLE')?.Value).toBe('tradeplane-dev-control');
    expect(JSON.stringify(env.find((e) => e.Name === 'CONTROL_QUEUE_URL')?.Value)).toContain(
      'tradeplane-dev-control',
    );
  });
});

describe('ControlStack in its stage', () => {
  it('deploys after Trading, and Trading never waits for it', () => {
    const stage = testStage('dev');
    const assembly = stage.synth();
    const dependsOn = (artifactId: string) =>
      assembly.getStackArtifact(artifactId).dependencies.map((d) => d.id);
    expect(dependsOn(stage.control.artifactId)).toContain(stage.trading.artifactId);
    expect(dependsOn(stage.trading.artifactId)).not.toContain(stage.control.artifactId);
    expect(dependsOn(stage.observability.artifactId)).toEqual(
      expect.arrayContaining([stage.processing.artifactId, stage.control.artifactId]),
    );
  });
});
