/**
 * The task's metrics to CloudWatch as EMF (Powertools Metrics: one JSON log line per dimension
 * set, which CloudWatch turns into metrics), flushed on an interval — by default every 10 s, the
 * period of the fastest alarm in config/alarms.json. Off the hot path: one sample per interval.
 *
 * Every point carries the `service` dimension (Powertools' default, `live`); points with their own
 * dimensions (`exchange`, `symbol`) go out as single metrics with those added.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CancelTimer, Clock } from '../connectors/clock.ts';
import type { MetricPoint, MetricUnitName, TaskMetricSampler } from './task-metric-sampler.ts';

const UNITS = {
  Milliseconds: MetricUnit.Milliseconds,
  Seconds: MetricUnit.Seconds,
  Count: MetricUnit.Count,
  Percent: MetricUnit.Percent,
  None: MetricUnit.NoUnit,
} as const satisfies Record<MetricUnitName, unknown>;

export const TASK_METRICS_SERVICE = 'live';
export const EMF_FLUSH_MS = 10_000;

export interface EmfPublisherOptions {
  readonly sampler: TaskMetricSampler;
  readonly clock: Clock;
  readonly namespace: string;
  readonly everyMs?: number;
  /** Default: Powertools writing EMF lines to stdout (the awslogs driver ships them). */
  readonly metrics?: Metrics;
  /** Also handed each sample (the local alerting evaluates the same points). */
  readonly onSample?: (points: readonly MetricPoint[], atMs: number) => void;
}

export class EmfPublisher {
  private timer: CancelTimer | undefined;
  private readonly metrics: Metrics;
  flushes = 0;

  constructor(private readonly options: EmfPublisherOptions) {
    this.metrics =
      options.metrics ?? new Metrics({ namespace: options.namespace, serviceName: TASK_METRICS_SERVICE });
  }

  start(): void {
    this.timer = this.options.clock.setTimer(this.options.everyMs ?? EMF_FLUSH_MS, () => {
      this.flush();
      this.start();
    });
  }

  stop(): void {
    this.timer?.();
    this.timer = undefined;
  }

  /** Sample now and publish. */
  flush(): void {
    const atMs = Math.floor(this.options.clock.nowMicros() / 1000);
    const points = this.options.sampler.sample(atMs);
    for (const p of points) {
      if (p.dimensions) {
        const single = this.metrics.singleMetric();
        for (const [k, v] of Object.entries(p.dimensions)) single.addDimension(k, v);
        single.addMetric(p.name, UNITS[p.unit], p.value);
        single.publishStoredMetrics();
      } else this.metrics.addMetric(p.name, UNITS[p.unit], p.value);
    }
    this.metrics.publishStoredMetrics();
    this.flushes++;
    this.options.onSample?.(points, atMs);
  }
}
