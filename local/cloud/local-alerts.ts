/**
 * The offline cloud's alerting: the task's metric points sampled every 10 s (the EMF publisher's
 * sampler) and evaluated against config/alarms.json by the local alerting, each change of a rule
 * printed as an ALARM / OK line — the thresholds CloudWatch would alarm on.
 */
import { loadAlarmTable } from '../../config/alarms.ts';
import { LocalAlerting } from '../../fargate/alerting/local-alerting.ts';
import { EMF_FLUSH_MS } from '../../fargate/observability/emf-publisher.ts';
import {
  TaskMetricSampler,
  type TaskMetricSources,
} from '../../fargate/observability/task-metric-sampler.ts';

export function startLocalAlerts(
  sources: TaskMetricSources,
  log: (line: string) => void,
  everyMs = EMF_FLUSH_MS,
): () => void {
  const sampler = new TaskMetricSampler(sources);
  const alerting = new LocalAlerting(loadAlarmTable(), (a) =>
    log(
      `${a.firing ? 'ALARM' : 'OK'} ${a.rule}${a.scope ? ` (${a.scope})` : ''}: ${a.description} — periods ${JSON.stringify(a.values)}`,
    ),
  );
  const timer = setInterval(() => {
    const now = Date.now();
    alerting.observe(sampler.sample(now), now);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
