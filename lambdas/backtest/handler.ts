/**
 * backtest: one item of a sweep's Map — a grid point on the execution's extract (whole tape or one
 * walk-forward window), run by the sweep's own job code; writes runs/<id>/metrics.json to the
 * results bucket (stepfunctions/sweep/run-grid-point.ts). The extract is downloaded to /tmp once
 * per warm container.
 *
 * Environment: TRADEPLANE_CONFIG_DIR (the bundled config/ folder: scenarios, fees, instruments).
 */
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { s3ObjectStore } from '../../stepfunctions/sweep/s3-object-store.ts';
import { backtestStep } from '../../stepfunctions/sweep/step-events.ts';
import { observability, withObservability } from '../shared/observability.ts';

const o = observability('backtest');
const store = s3ObjectStore(o.tracer.captureAWSv3Client(new S3Client({})));

export const handler = withObservability(
  middy(async (event: unknown) => {
    const result = await backtestStep(event, store);
    o.metrics.addMetric('backtestsRun', 'Count', 1);
    return result;
  }),
  o,
);
