/**
 * control: the kill-switch URL's function behind API Gateway (HTTP API, IAM authorization) — the
 * routes of control-api.ts over the control table, the control queue and, when turned on, the ECS
 * backstop (control-handler.ts builds the middy chain).
 *
 * Environment: CONTROL_TABLE, CONTROL_QUEUE_URL, ADMIN_TOKEN_SECRET_ARN, KILL_CONFIRM_WAIT_MS
 * (default 3000), and for the backstop KILL_SCALES_SERVICE=true with ECS_CLUSTER and ECS_SERVICE.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ControlTable } from '../../fargate/control/control-table.ts';
import { optionalEnv, requiredEnv } from '../shared/environment.ts';
import type { Observability } from '../shared/observability.ts';
import { adminTokenSource } from './admin-token-source.ts';
import type { ControlApiDeps } from './control-api.ts';
import { createControlHandler, DEFAULT_CONFIRM_WAIT_MS } from './control-handler.ts';

/** The deployed dependencies, from the environment the CDK stack sets. */
export function cloudDeps(o: Observability): ControlApiDeps {
  const table = new ControlTable(
    DynamoDBDocumentClient.from(o.tracer.captureAWSv3Client(new DynamoDBClient({}))),
    requiredEnv('CONTROL_TABLE'),
  );
  const sqs = o.tracer.captureAWSv3Client(new SQSClient({}));
  const queueUrl = requiredEnv('CONTROL_QUEUE_URL');
  const secrets = o.tracer.captureAWSv3Client(new SecretsManagerClient({}));
  const cluster = optionalEnv('ECS_CLUSTER');
  const service = optionalEnv('ECS_SERVICE');
  const backstop = optionalEnv('KILL_SCALES_SERVICE') === 'true' && cluster && service;
  const ecs = backstop ? o.tracer.captureAWSv3Client(new ECSClient({})) : undefined;
  return {
    table,
    notify: async (notice) => {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(notice) }));
    },
    adminToken: adminTokenSource(secrets, requiredEnv('ADMIN_TOKEN_SECRET_ARN')),
    ...(ecs
      ? {
          scaleToZero: async () => {
            await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
          },
        }
      : {}),
    confirmWaitMs: Number(optionalEnv('KILL_CONFIRM_WAIT_MS') ?? DEFAULT_CONFIRM_WAIT_MS),
    confirmPollMs: 100,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    log: (message, fields) => o.logger.info(message, fields),
  };
}

export const handler = createControlHandler(cloudDeps);
