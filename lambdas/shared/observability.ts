/**
 * Powertools logger, metrics (CloudWatch EMF) and tracer (X-Ray) for one function, named by
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, and the middy middleware that flushes
 * them around each invocation.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

export function observability(defaultService: string): Observability {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME || defaultService;
  const logger = new Logger({ serviceName });
  return {
    logger,
    // Its own notices (an invocation with no metric) go through the function's logger and level.
    metrics: new Metrics({
      serviceName,
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'tradeplane',
      logger,
    }),
    tracer: new Tracer({ serviceName }),
  };
}

/** Logger context, metrics flush and tracing around a middy handler. */
export function withObservability<E, R>(handler: middy.MiddyfiedHandler<E, R>, o: Observability) {
  return handler
    .use(injectLambdaContext(o.logger))
    .use(logMetrics(o.metrics))
    .use(captureLambdaHandler(o.tracer));
}
