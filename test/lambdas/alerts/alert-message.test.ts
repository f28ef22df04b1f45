import { describe, expect, it } from 'vitest';
import { alertText, parseAlertMessage } from '../../../lambdas/alerts/alert-message.ts';

describe('alert messages', () => {
  it('reads a CloudWatch alarm notification', () => {
    const alert = parseAlertMessage(
      JSON.stringify({ AlarmName: 'feed-stale', NewStateValue: 'ALARM', NewStateReason: 'no data for 60 s' }),
    );
    expect(alertText(undefined, alert)).toBe(':rotating_light: feed-stale is ALARM: no data for 60 s');
  });

  it('reads a breaker event from the task', () => {
    const alert = parseAlertMessage(
      JSON.stringify({
        type: 'breaker',
        state: 'open',
        reason: 'daily loss',
        exchange: 'binance',
        environment: 'prod',
      }),
    );
    expect(alertText(undefined, alert)).toBe(':octagonal_sign: breaker open (prod binance): daily loss');
  });

  it('passes other text on, bounded, with the subject', () => {
    const alert = parseAlertMessage('x'.repeat(5000));
    expect(alert.kind).toBe('text');
    expect(alertText('note', alert)).toHaveLength(2006);
    expect(alertText(undefined, parseAlertMessage('{"unrelated":1}'))).toBe('{"unrelated":1}');
  });
});
