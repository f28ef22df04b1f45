/** Loads config/validation-rules.json (the quality rules), reporting every error at once. */
import { parseValidationRules, type ValidationRules } from '../core/quality/rules-schema.ts';
import file from './validation-rules.json' with { type: 'json' };

export function loadValidationRules(json: unknown = file): ValidationRules {
  const result = parseValidationRules(json);
  if (result.ok) return result.rules;
  const lines = result.errors.map((e) => `  ${e.path || '(root)'}: ${e.message}`);
  throw new Error(`config/validation-rules.json is invalid:\n${lines.join('\n')}`);
}
