/**
 * Loads config/signals.json (the signal pipeline's parameters) through core's schema
 * (core/signals/signal-params.ts): unknown keys refused, every problem reported at once, one line
 * each. Every field has a default, so a missing field means the documented default.
 */
import { type SignalParams, signalParamsSchema } from '../core/signals/signal-params.ts';
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';
import { zodProblems } from './zod-problems.ts';

const FILE = 'signals.json';

/** Validated params, or every problem found. */
export function parseSignalParams(json: unknown): SignalParams | { readonly problems: readonly string[] } {
  const result = signalParamsSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  return { problems: zodProblems(result.error.issues) };
}

/** signals.json from the config folder, read and validated now; throws a ConfigError. */
export function loadSignalParams(json: unknown = readConfigFile(FILE)): SignalParams {
  const parsed = parseSignalParams(json);
  if ('problems' in parsed) throw new ConfigError(configFileLabel(FILE), parsed.problems);
  return parsed;
}
