/**
 * The validation rules file (config/validation-rules.json), validated whole with zod: every error is
 * reported at once with its path, and unknown keys are errors (a misspelt threshold must not silently
 * fall back to a default). Core reads no files: the caller parses the JSON and hands it here.
 *
 * Shape:
 *   windowMs   the score's sliding window
 *   weights    score penalty per occurrence, one per issue code (all required)
 *   defaults   every threshold (all required; null switches a check off)
 *   symbols    (optional) per unified symbol ("BTC/USDT", "BTC/USDT:USDT"): any thresholds, plus optional
 *              per-exchange thresholds under "exchanges" — most specific wins:
 *              defaults ← symbols[s] ← symbols[s].exchanges[e]
 *
 * Units are written in the names: ms, bps of mid, sizes in base currency, notionals in quote currency.
 */
import { z } from 'zod';
import { EXCHANGES } from '../market/exchange.ts';
import { UNIFIED_SYMBOL } from '../market/symbols.ts';
import { QUALITY_ISSUES, type QualityIssue } from './issue-codes.ts';

const positiveOrOff = z.number().positive().nullable();

const thresholdsShape = {
  /** Largest best-ask − best-bid, in basis points of mid. */
  maxSpreadBps: positiveOrOff,
  /** Largest size one book level may hold (base currency). */
  maxLevelSize: positiveOrOff,
  /** Largest price × size one book level may hold (quote currency). */
  maxLevelNotional: positiveOrOff,
  maxTradeSize: positiveOrOff,
  maxTradeNotional: positiveOrOff,
  /** Longest silence before the data counts as stale (book updates; trades when there is no book). */
  maxAgeMs: positiveOrOff,
  /** How far a clock may step back before it counts as going backwards. */
  clockToleranceMs: z.number().nonnegative(),
  /** How many recent trade ids (and L3 order ids) are remembered per symbol to catch duplicates. */
  recentIds: z.number().int().min(1).max(1_000_000),
};

const thresholdsSchema = z.strictObject(thresholdsShape);
const partialThresholds = thresholdsSchema.partial();

const symbolOverrideSchema = partialThresholds.extend({
  exchanges: z.partialRecord(z.enum(EXCHANGES), partialThresholds).optional(),
});

const weightsSchema = z.strictObject(
  Object.fromEntries(QUALITY_ISSUES.map((code) => [code, z.number().min(0).max(100)])) as Record<
    QualityIssue,
    z.ZodNumber
  >,
);

export const validationRulesSchema = z.strictObject({
  windowMs: z.number().int().positive(),
  weights: weightsSchema,
  defaults: thresholdsSchema,
  symbols: z
    .record(z.string().regex(UNIFIED_SYMBOL, 'expected a unified symbol like BTC/USDT'), symbolOverrideSchema)
    .default({}),
});

export type ValidationRules = z.infer<typeof validationRulesSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** The threshold names, for merging overrides key by key. */
export const THRESHOLD_KEYS = Object.keys(thresholdsShape) as ReadonlyArray<keyof Thresholds>;

export interface RuleError {
  /** Where in the file, e.g. `symbols["BTC/USDT"].maxSpreadBps`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

export type ParseRulesResult =
  | { readonly ok: true; readonly rules: ValidationRules }
  | { readonly ok: false; readonly errors: readonly RuleError[] };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Validate parsed JSON as validation rules; all errors at once. */
export function parseValidationRules(json: unknown): ParseRulesResult {
  const result = validationRulesSchema.safeParse(json);
  if (result.success) return { ok: true, rules: result.data };
  return {
    ok: false,
    errors: result.error.issues.flatMap((issue): RuleError[] => {
      if (issue.code === 'unrecognized_keys') {
        // One error per key, pointing at the key itself.
        return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }));
      }
      const path = formatPath(issue.path);
      if (issue.code === 'invalid_key') {
        const inner = issue.issues[0]?.message;
        return [{ path, message: `invalid key${inner ? `: ${inner}` : ''}` }];
      }
      return [{ path, message: issue.message }];
    }),
  };
}
