/** Validation rules for the quality tests: round numbers so expected scores are easy to read. */
import { readFileSync } from 'node:fs';
import type { QualityIssue } from '../../../core/quality/issue-codes.ts';
import { parseValidationRules, type ValidationRules } from '../../../core/quality/rules-schema.ts';

export const TEST_WEIGHTS: Record<QualityIssue, number> = {
  crossed_book: 30,
  wide_spread: 10,
  oversized_level: 5,
  oversized_trade: 10,
  nonpositive_size: 15,
  duplicate_trade_id: 10,
  duplicate_order_id: 10,
  exchange_ts_backwards: 5,
  local_ts_backwards: 5,
  sequence_gap: 20,
  checksum_mismatch: 20,
  rejected_input: 5,
  stale_data: 40,
};

/** A complete, valid rules document (as JSON would give it). */
export function rulesJson(): Record<string, unknown> {
  return {
    windowMs: 60_000,
    weights: { ...TEST_WEIGHTS },
    defaults: {
      maxSpreadBps: 100,
      maxLevelSize: null,
      maxLevelNotional: 1_000_000,
      maxTradeSize: 50,
      maxTradeNotional: null,
      maxAgeMs: 5_000,
      clockToleranceMs: 0,
      recentIds: 1_000,
    },
    symbols: {
      'BTC/USDT': { maxSpreadBps: 10, exchanges: { kraken: { maxSpreadBps: 25, maxAgeMs: 10_000 } } },
    },
  };
}

export function testRules(json: unknown = rulesJson()): ValidationRules {
  const r = parseValidationRules(json);
  if (!r.ok) throw new Error(`test rules invalid: ${JSON.stringify(r.errors)}`);
  return r.rules;
}

/** The project's rules file (tests may read files; core may not). */
export function projectRules(): ValidationRules {
  return testRules(JSON.parse(readFileSync('config/validation-rules.json', 'utf8')));
}
