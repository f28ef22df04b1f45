/**
 * sweep-plan: the first state of the backtest sweep state machines (stepfunctions/backtest-sweep.ts).
 * Validates the execution input, writes the Map's items to the results bucket and returns the
 * extract query (stepfunctions/sweep/plan-sweep.ts).
 *
 * Environment: RESULTS_BUCKET, LAKE_DATABASE.
 */
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { s3ObjectStore } from '../../stepfunctions/sweep/s3-object-store.ts';
import { planStep } from '../../stepfunctions/sweep/step-events.ts';
import { requiredEnv } from '../shared/environment.ts';
import { observability, withObservability } from '../shared/observability.ts';

const o = observability('sweep-plan');
const settings = { bucket: requiredEnv('RESULTS_BUCKET'), database: requiredEnv('LAKE_DATABASE') };
const store = s3ObjectStore(o.tracer.captureAWSv3Client(new S3Client({})));

export const handler = withObservability(
  middy(async (event: unknown) => planStep(event, settings, store)),
  o,
);
