import { describe, expect, it } from 'vitest';
import { loadAlarmTable, parseAlarmTable } from '../../config/alarms.ts';
import { readConfigFile } from '../../config/read-config-file.ts';
import type { AlarmRule } from '../../core/alerting/alarm-rule.ts';
import { evaluateRule, type MetricSample, type MetricSeries } from '../../core/alerting/evaluate-rule.ts';

const table = loadAlarmTable();
const NOW = 1_800_000_000_000;

function rule(id: string): AlarmRule {
  const found = table.alarms.find((a) => a.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

/** One sample in the middle of each of the rule's last `periods` periods, oldest first. */
function perPeriod(r: AlarmRule, values: readonly number[]): MetricSample[] {
  const p = r.periodSeconds * 1000;
  const end = Math.floor(NOW / p) * p;
  return values.map((value, i) => ({ atMs: end - (values.length - i) * p + p / 2, value }));
}

function series(r: AlarmRule, values: readonly number[]): MetricSeries {
  if (r.metric) return { [r.metric.name]: perPeriod(r, values) };
  if (!r.ratio) throw new Error('a rule without metric or ratio');
  // Ratio: 1000 requests each period, `value` % of them failed.
  return {
    [r.ratio.denominator]: perPeriod(
      r,
      values.map(() => 1000),
    ),
    [r.ratio.numerator]: perPeriod(
      r,
      values.map((v) => v * 10),
    ),
  };
}

const fires = (id: string, values: readonly number[]) => {
  const r = rule(id);
  return evaluateRule(r, series(r, values), NOW).firing;
};

describe('config/alarms.json', () => {
  it('holds every alarm the platform needs, each once', () => {
    expect(table.alarms.map((a) => a.id).sort()).toEqual(
      [
        'breaker-triggered',
        'decision-latency',
        'dlq-not-empty',
        'drawdown-over-limit',
        'execution-failure-rate',
        'iterator-age',
        'lambda-errors',
        'position-report-stale',
        'quality-low',
        'reconciliation-mismatch',
        'venue-down',
      ].sort(),
    );
  });

  // Each rule: period values that must fire it, and values just on the other side that must not.
  const cases: Record<string, { fire: number[]; quiet: number[] }> = {
    'venue-down': { fire: [31], quiet: [30] },
    'quality-low': { fire: [49, 20], quiet: [49, 50] },
    'decision-latency': { fire: [201, 10, 250], quiet: [201, 10, 200] },
    'execution-failure-rate': { fire: [5.1], quiet: [5] },
    'drawdown-over-limit': { fire: [100], quiet: [99.9] },
    'breaker-triggered': { fire: [2], quiet: [1] },
    'reconciliation-mismatch': { fire: [1], quiet: [0] },
    'position-report-stale': { fire: [181], quiet: [180] },
    'iterator-age': { fire: [60_001, 70_000, 90_000], quiet: [60_001, 70_000, 60_000] },
    'dlq-not-empty': { fire: [1], quiet: [0] },
    'lambda-errors': { fire: [1], quiet: [0] },
  };

  for (const alarm of table.alarms) {
    it(`${alarm.id}: fires on a breaching series and not on one at the threshold`, () => {
      const c = cases[alarm.id];
      expect(c, `a case for ${alarm.id}`).toBeDefined();
      if (!c) return;
      expect(c.fire.length).toBe(alarm.evaluationPeriods);
      expect(fires(alarm.id, c.fire)).toBe(true);
      expect(fires(alarm.id, c.quiet)).toBe(false);
    });
  }

  it('treats a period with no data as the rule says: a silent task is a stale report, not a quiet venue', () => {
    expect(evaluateRule(rule('position-report-stale'), {}, NOW).firing).toBe(true);
    expect(evaluateRule(rule('venue-down'), {}, NOW)).toMatchObject({ firing: false, values: [null] });
  });

  it('reduces a period by the statistic: one slow decision in a hundred is p99, not the maximum', () => {
    const r = rule('decision-latency');
    const p = r.periodSeconds * 1000;
    const end = Math.floor(NOW / p) * p;
    const period = (k: number, slow: number): MetricSample[] =>
      Array.from({ length: 100 }, (_, i) => ({ atMs: end - k * p + i, value: i < slow ? 500 : 5 }));
    // Two slow samples per period push p99 over; one leaves it at 5 ms.
    expect(evaluateRule(r, { decision_latency_ms: [...period(2, 2), ...period(1, 2)] }, NOW).firing).toBe(
      true,
    );
    expect(evaluateRule(r, { decision_latency_ms: [...period(2, 1), ...period(1, 1)] }, NOW).firing).toBe(
      false,
    );
  });

  it('counts only whole periods before now: a sample in the current period is not judged yet', () => {
    const r = rule('venue-down');
    expect(evaluateRule(r, { venue_down_seconds: [{ atMs: NOW + 1, value: 99 }] }, NOW).firing).toBe(false);
  });

  it('reports every problem of a broken table at once', () => {
    const broken = structuredClone(readConfigFile('alarms.json')) as { alarms: Record<string, unknown>[] };
    const first = broken.alarms[0] as Record<string, unknown>;
    first.comparison = '=>';
    first.extra = true;
    delete (broken.alarms[1] as Record<string, unknown>).metric;
    const parsed = parseAlarmTable(broken);
    const problems = 'problems' in parsed ? parsed.problems : [];
    expect(problems).toEqual([
      'alarms[0].comparison: expected one of >|>=|<|<=, received "=>"',
      'alarms[0].extra: unknown key',
      'alarms[1]: a rule has exactly one of metric or ratio',
    ]);
  });

  it('refuses two rules with one id', () => {
    const doubled = structuredClone(readConfigFile('alarms.json')) as { alarms: unknown[] };
    doubled.alarms.push(doubled.alarms[0]);
    const parsed = parseAlarmTable(doubled);
    expect('problems' in parsed ? parsed.problems : []).toEqual(['alarms: alarm ids must be unique']);
  });

  it('refuses more datapoints to alarm than periods evaluated', () => {
    const wrong = structuredClone(readConfigFile('alarms.json')) as { alarms: Record<string, unknown>[] };
    (wrong.alarms[0] as Record<string, unknown>).datapointsToAlarm = 5;
    const parsed = parseAlarmTable(wrong);
    expect('problems' in parsed ? parsed.problems : []).toEqual([
      'alarms[0].datapointsToAlarm: datapointsToAlarm must not exceed evaluationPeriods',
    ]);
  });
});
