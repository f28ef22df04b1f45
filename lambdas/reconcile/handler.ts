/**
 * reconcile: every few minutes (EventBridge schedule), independent of the task, the positions the
 * task last reported against the venues' own (reconcile-positions.ts), published as EMF metrics
 * that config/alarms.json alarms on: `reconciliation_mismatches` (reconciliation-mismatch) and
 * `position_report_age_seconds` (position-report-stale). Each mismatch is logged with both numbers.
 *
 * Environment: CONTROL_TABLE, VENUE_SECRETS (JSON: exchange → secret ARN), STALE_AFTER_SECONDS
 * (default 180).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { configuredInstruments } from '../../config/instruments.ts';
import { ControlTable } from '../../fargate/control/control-table.ts';
import { optionalEnv, requiredEnv } from '../shared/environment.ts';
import { observability, withObservability } from '../shared/observability.ts';
import { type Reconciliation, reconcilePositions, type VenueAccount } from './reconcile-positions.ts';
import { binanceFuturesAccount, credentialsFromSecret } from './venue-accounts.ts';

const o = observability('reconcile');
const table = new ControlTable(
  DynamoDBDocumentClient.from(o.tracer.captureAWSv3Client(new DynamoDBClient({}))),
  requiredEnv('CONTROL_TABLE'),
);
const secrets = o.tracer.captureAWSv3Client(new SecretsManagerClient({}));
const venueSecrets = JSON.parse(optionalEnv('VENUE_SECRETS') ?? '{}') as Record<string, string>;
const staleAfterMs = Number(optionalEnv('STALE_AFTER_SECONDS') ?? 180) * 1000;

async function venues(): Promise<VenueAccount[]> {
  const out: VenueAccount[] = [];
  const arn = venueSecrets['binance-futures'];
  if (arn) {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
    const credentials = credentialsFromSecret('binance-futures', secret.SecretString ?? '{}');
    if (credentials) out.push(await binanceFuturesAccount(credentials, configuredInstruments()));
    else o.logger.warn('binance-futures credentials are still placeholders: not reconciled');
  }
  return out;
}

const lambdaHandler = async (): Promise<Reconciliation> => {
  const result = await reconcilePositions(await table.report(), await venues(), Date.now(), staleAfterMs);
  o.metrics.addMetric('reconciliation_mismatches', 'Count', result.mismatches.length);
  o.metrics.addMetric('reconciliation_errors', 'Count', result.errors.length);
  // No report at all reads as the oldest report: the stale alarm must fire.
  o.metrics.addMetric('position_report_age_seconds', 'Seconds', result.reportAgeSeconds ?? 1e9);
  for (const m of result.mismatches) o.logger.error('position mismatch', { ...m });
  for (const e of result.errors) o.logger.error('venue not reconciled', { error: e });
  if (result.stale) o.logger.error('position report stale', { ageSeconds: result.reportAgeSeconds });
  return result;
};

export const handler = withObservability(middy(lambdaHandler), o);
