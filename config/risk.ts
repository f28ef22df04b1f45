/**
 * Loads config/risk.json (the pre-trade risk limits) through core's schema
 * (core/risk/risk-params.ts), one line per problem. `parseRiskParams` serves the file and the body
 * of `PUT /risk/params` alike: problems come back as a value, so a handler answers them and keeps
 * the params in force (the gate's `swapParams` then adds any problem the instruments raise, such
 * as a limit finer than one size unit).
 */
import { type RiskParams, riskParamsSchema } from '../core/risk/risk-params.ts';
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';
import { zodProblems } from './zod-problems.ts';

const FILE = 'risk.json';

export interface RiskParamsProblems {
  readonly problems: readonly string[];
}

/** Validated params, or every problem found (one line each, `path: what is wrong`). */
export function parseRiskParams(json: unknown): RiskParams | RiskParamsProblems {
  const result = riskParamsSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  return { problems: zodProblems(result.error.issues) };
}

/** risk.json from the config folder (read-config-file.ts), read and validated now; throws a ConfigError. */
export function loadRiskParams(json: unknown = readConfigFile(FILE)): RiskParams {
  const parsed = parseRiskParams(json);
  if ('problems' in parsed) throw new ConfigError(configFileLabel(FILE), parsed.problems);
  return parsed;
}
