/**
 * The control function's middy chain (logger, EMF metrics, tracer) around control-api.ts, over
 * the dependencies `deps` builds: the deployed ones (handler.ts) or the offline cloud's
 * (local/cloud/control-server.ts), so both serve the same handler.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Observability, observability, withObservability } from '../shared/observability.ts';
import {
  type ControlApiDeps,
  type ControlEvent,
  type ControlResponse,
  handleControlRequest,
} from './control-api.ts';

/** How long a route waits for the task's acknowledgement unless KILL_CONFIRM_WAIT_MS says otherwise (ms). */
export const DEFAULT_CONFIRM_WAIT_MS = 3_000;

export function createControlHandler(
  deps: (o: Observability) => ControlApiDeps,
  o: Observability = observability('control'),
) {
  const resolved = deps(o);
  const lambdaHandler = async (event: ControlEvent, _context: Context): Promise<ControlResponse> => {
    const response = await handleControlRequest(event, resolved);
    o.metrics.addMetric('control_requests', 'Count', 1);
    if ((response.statusCode ?? 200) >= 500) o.metrics.addMetric('control_failures', 'Count', 1);
    return response;
  };
  return withObservability(middy(lambdaHandler), o);
}
