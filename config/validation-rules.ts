/** Loads validation-rules.json (the quality rules), reporting every error at once. */
import { type ValidationRules, validationRulesSchema } from '../core/quality/rules-schema.ts';
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';
import { zodProblems } from './zod-problems.ts';

const FILE = 'validation-rules.json';

/** Validate a rules document (default: the file in the config folder); throws a ConfigError. */
export function loadValidationRules(json: unknown = readConfigFile(FILE)): ValidationRules {
  const result = validationRulesSchema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(configFileLabel(FILE), zodProblems(result.error.issues));
}
