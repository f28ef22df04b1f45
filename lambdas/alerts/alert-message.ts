/**
 * What reaches the alerts topic, parsed: a CloudWatch alarm notification, a circuit-breaker or kill
 * event from the trading task, or any other text — and how each reads as one Slack line.
 */
import { z } from 'zod';

export const alarmNotificationSchema = z.object({
  AlarmName: z.string(),
  NewStateValue: z.string(),
  NewStateReason: z.string().optional(),
  OldStateValue: z.string().optional(),
  Region: z.string().optional(),
});

export const breakerEventSchema = z.object({
  type: z.enum(['breaker', 'kill']),
  state: z.string(),
  reason: z.string().optional(),
  exchange: z.string().optional(),
  symbol: z.string().optional(),
  environment: z.string().optional(),
});

export type AlertMessage =
  | { readonly kind: 'alarm'; readonly alarm: z.infer<typeof alarmNotificationSchema> }
  | { readonly kind: 'breaker'; readonly event: z.infer<typeof breakerEventSchema> }
  | { readonly kind: 'text'; readonly text: string };

/** Longest text passed on from a message that is neither an alarm nor a breaker event. */
const MAX_TEXT = 2_000;

export function parseAlertMessage(message: string): AlertMessage {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { kind: 'text', text: message.slice(0, MAX_TEXT) };
  }
  const alarm = alarmNotificationSchema.safeParse(json);
  if (alarm.success) return { kind: 'alarm', alarm: alarm.data };
  const event = breakerEventSchema.safeParse(json);
  if (event.success) return { kind: 'breaker', event: event.data };
  return { kind: 'text', text: message.slice(0, MAX_TEXT) };
}

/** One line for a Slack-compatible webhook (`{ text }`). */
export function alertText(subject: string | undefined, alert: AlertMessage): string {
  switch (alert.kind) {
    case 'alarm': {
      const a = alert.alarm;
      const icon = a.NewStateValue === 'ALARM' ? ':rotating_light:' : ':white_check_mark:';
      return `${icon} ${a.AlarmName} is ${a.NewStateValue}${a.NewStateReason ? `: ${a.NewStateReason}` : ''}`;
    }
    case 'breaker': {
      const e = alert.event;
      const where = [e.environment, e.exchange, e.symbol].filter(Boolean).join(' ');
      return `:octagonal_sign: ${e.type} ${e.state}${where ? ` (${where})` : ''}${e.reason ? `: ${e.reason}` : ''}`;
    }
    case 'text':
      return subject ? `${subject}: ${alert.text}` : alert.text;
  }
}
