/**
 * The alarm table of config/alarms.json evaluated locally over the task's own metric points (the
 * samples the EMF publisher sends), with the evaluator the CDK alarms are tested with
 * (core/alerting/evaluate-rule.ts): the local stack alerts on the same thresholds as CloudWatch.
 * Only the rules whose source is the task run here: the reconcile function's and AWS's metrics
 * (Lambda errors, queue depth, iterator age) have no local samples. A rule reports when it starts and stops firing, once per change.
 */
import type { AlarmRule, AlarmTable } from '../../core/alerting/alarm-rule.ts';
import { evaluateRule, type MetricSample } from '../../core/alerting/evaluate-rule.ts';
import type { MetricPoint } from '../observability/task-metric-sampler.ts';

export interface LocalAlert {
  readonly rule: string;
  /** The exchange for per-exchange rules. */
  readonly scope: string | null;
  readonly firing: boolean;
  readonly description: string;
  readonly values: readonly (number | null)[];
  readonly atMs: number;
}

export class LocalAlerting {
  /** `scope` → metric name → samples, trimmed to what the longest rule looks at. */
  private readonly series = new Map<string, Map<string, MetricSample[]>>();
  private readonly firing = new Set<string>();
  private readonly rules: readonly AlarmRule[];
  private readonly keepMs: number;

  constructor(
    table: AlarmTable,
    private readonly onAlert: (alert: LocalAlert) => void,
  ) {
    this.rules = table.alarms.filter((r) => r.source === 'task');
    this.keepMs = Math.max(...this.rules.map((r) => (r.evaluationPeriods + 1) * r.periodSeconds * 1000), 0);
  }

  /** One sample of points at `atMs`, then every rule evaluated. */
  observe(points: readonly MetricPoint[], atMs: number): void {
    for (const p of points) {
      const scope = p.dimensions?.exchange ?? '';
      let byName = this.series.get(scope);
      if (!byName) {
        byName = new Map();
        this.series.set(scope, byName);
      }
      let samples = byName.get(p.name);
      if (!samples) {
        samples = [];
        byName.set(p.name, samples);
      }
      samples.push({ atMs, value: p.value });
      while (samples.length > 0 && (samples[0] as MetricSample).atMs < atMs - this.keepMs) samples.shift();
    }
    this.evaluate(atMs);
  }

  private evaluate(atMs: number): void {
    for (const rule of this.rules) {
      const scopes = rule.per === 'exchange' ? [...this.series.keys()].filter((s) => s !== '') : [''];
      for (const scope of scopes) {
        const series = Object.fromEntries(this.series.get(scope) ?? []);
        const result = evaluateRule(rule, series, atMs);
        const key = `${rule.id}|${scope}`;
        if (result.firing === this.firing.has(key)) continue;
        if (result.firing) this.firing.add(key);
        else this.firing.delete(key);
        this.onAlert({
          rule: rule.id,
          scope: scope || null,
          firing: result.firing,
          description: rule.description,
          values: result.values,
          atMs,
        });
      }
    }
  }
}
