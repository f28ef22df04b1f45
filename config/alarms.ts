/**
 * Loads config/alarms.json, the one alarm table (core/alerting/alarm-rule.ts) that both the CDK
 * alarm builder (lib/observability) and the task's local alerting read: validated whole, every
 * problem one line.
 */
import { type AlarmTable, alarmTableSchema } from '../core/alerting/alarm-rule.ts';
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';
import { zodProblems } from './zod-problems.ts';

const FILE = 'alarms.json';

/** Validated table, or every problem found. */
export function parseAlarmTable(json: unknown): AlarmTable | { readonly problems: readonly string[] } {
  const result = alarmTableSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  return { problems: zodProblems(result.error.issues) };
}

/** alarms.json from the config folder, read and validated now; throws a ConfigError. */
export function loadAlarmTable(json: unknown = readConfigFile(FILE)): AlarmTable {
  const parsed = parseAlarmTable(json);
  if ('problems' in parsed) throw new ConfigError(configFileLabel(FILE), parsed.problems);
  return parsed;
}
