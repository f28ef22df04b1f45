/**
 * sweep-report: the sweep's last state — the ranked table, heatmap and best run's report written
 * under <prefix>report/ with `npm run sweep`'s writer — and, for walk-forward, the fold winners
 * (stepfunctions/sweep/report-sweep.ts).
 *
 * Environment: TRADEPLANE_CONFIG_DIR (the bundled config/ folder).
 */
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { s3ObjectStore } from '../../stepfunctions/sweep/s3-object-store.ts';
import { reportStep } from '../../stepfunctions/sweep/step-events.ts';
import { observability, withObservability } from '../shared/observability.ts';

const o = observability('sweep-report');
const store = s3ObjectStore(o.tracer.captureAWSv3Client(new S3Client({})));

export const handler = withObservability(
  middy(async (event: unknown) => reportStep(event, store)),
  o,
);
