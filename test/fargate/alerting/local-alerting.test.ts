import { describe, expect, it } from 'vitest';
import { loadAlarmTable } from '../../../config/alarms.ts';
import { type LocalAlert, LocalAlerting } from '../../../fargate/alerting/local-alerting.ts';

describe('LocalAlerting', () => {
  it('raises venue-down for one exchange after more than 30 s down, and clears it once it is back', () => {
    const alerts: LocalAlert[] = [];
    const alerting = new LocalAlerting(loadAlarmTable(), (a) => alerts.push(a));
    const start = 1_800_000_000_000;
    // A sample every 10 s: down from t=0, back at t=60 s.
    for (let s = 0; s <= 90; s += 10) {
      const down = s < 60 ? s : 0;
      alerting.observe(
        [
          { name: 'venue_down_seconds', unit: 'Seconds', value: down, dimensions: { exchange: 'kraken' } },
          { name: 'venue_down_seconds', unit: 'Seconds', value: 0, dimensions: { exchange: 'binance' } },
        ],
        start + s * 1000 + 1,
      );
    }
    expect(alerts.map((a) => [a.rule, a.scope, a.firing])).toEqual([
      ['venue-down', 'kraken', true],
      ['venue-down', 'kraken', false],
    ]);
  });

  it('raises breaker-triggered on the task’s trading state, the same rule CloudWatch alarms on', () => {
    const alerts: LocalAlert[] = [];
    const alerting = new LocalAlerting(loadAlarmTable(), (a) => alerts.push(a));
    const start = 1_800_000_040_000;
    alerting.observe([{ name: 'trading_state', unit: 'None', value: 2 }], start);
    expect(alerts).toHaveLength(0); // not judged until its minute is over
    alerting.observe([{ name: 'trading_state', unit: 'None', value: 2 }], start + 60_000);
    expect(alerts.map((a) => a.rule)).toEqual(['breaker-triggered']);
  });
});
