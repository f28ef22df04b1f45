/**
 * alerts: alarm and circuit-breaker notifications from SNS to a Slack-compatible webhook (email
 * subscribers get them from the topic directly). Each SNS message is posted once: idempotent on
 * its MessageId, so a redelivered notification is not announced twice. A failed post throws, and
 * SNS retries the delivery.
 *
 * Environment: ALERT_WEBHOOK_SECRET_ARN, IDEMPOTENCY_TABLE.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { SnsSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import type { SnsEvent } from '@aws-lambda-powertools/parser/types';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { requiredEnv } from '../shared/environment.ts';
import { idempotencyPersistence } from '../shared/idempotency-store.ts';
import { observability, withObservability } from '../shared/observability.ts';
import { alertText, parseAlertMessage } from './alert-message.ts';
import { webhookUrlSource } from './webhook-url.ts';

type SnsRecord = SnsEvent['Records'][number];

const o = observability('alerts');
const webhookUrl = webhookUrlSource(
  o.tracer.captureAWSv3Client(new SecretsManagerClient({})),
  requiredEnv('ALERT_WEBHOOK_SECRET_ARN'),
);
const config = new IdempotencyConfig({ eventKeyJmesPath: 'Sns.MessageId', expiresAfterSeconds: 24 * 3600 });

const postAlert = makeIdempotent(
  async (record: SnsRecord) => {
    const text = alertText(record.Sns.Subject ?? undefined, parseAlertMessage(record.Sns.Message));
    const response = await fetch(await webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    o.metrics.addMetric('alertsPosted', 'Count', 1);
    return { posted: true };
  },
  { persistenceStore: idempotencyPersistence(), config, keyPrefix: 'alerts' },
);

const lambdaHandler = async (event: SnsEvent, context: Context): Promise<void> => {
  config.registerLambdaContext(context);
  for (const record of event.Records) await postAlert(record);
};

export const handler = withObservability(middy(lambdaHandler).use(parser({ schema: SnsSchema })), o);
