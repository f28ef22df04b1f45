import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QUALITY_ISSUES } from '../../../core/quality/issue-codes.ts';
import { parseValidationRules } from '../../../core/quality/rules-schema.ts';
import { rulesJson } from './rules-fixture.ts';

function errorsOf(json: unknown) {
  const r = parseValidationRules(json);
  if (r.ok) throw new Error('expected the rules to be refused');
  return r.errors;
}

describe('parseValidationRules', () => {
  it('accepts the project file config/validation-rules.json', () => {
    const r = parseValidationRules(JSON.parse(readFileSync('config/validation-rules.json', 'utf8')));
    if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 2));
    expect(Object.keys(r.rules.weights).sort()).toEqual([...QUALITY_ISSUES].sort());
  });

  it('accepts a complete document and returns it typed', () => {
    const r = parseValidationRules(rulesJson());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.rules.windowMs).toBe(60_000);
      expect(r.rules.symbols['BTC/USDT']?.exchanges?.kraken?.maxSpreadBps).toBe(25);
    }
  });

  it('reports every error at once, each with its path', () => {
    const json = rulesJson();
    json.windowMs = -5;
    (json.defaults as Record<string, unknown>).maxSpreadBps = 'wide';
    (json.weights as Record<string, unknown>).sequence_gap = 250;
    (json.symbols as Record<string, unknown>)['ETH/USDT'] = { recentIds: 0.5 };
    const errors = errorsOf(json);
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual([
      'defaults.maxSpreadBps',
      'symbols["ETH/USDT"].recentIds',
      'weights.sequence_gap',
      'windowMs',
    ]);
    for (const e of errors) expect(e.message.length).toBeGreaterThan(0);
  });

  it('rejects unknown keys everywhere, naming each one', () => {
    const json = rulesJson();
    json.extra = true;
    (json.defaults as Record<string, unknown>).maxSpredBps = 10; // misspelt
    (json.weights as Record<string, unknown>).gremlins = 5;
    (json.symbols as Record<string, Record<string, unknown>>)['BTC/USDT']!.maxAge = 1;
    const errors = errorsOf(json);
    expect(
      errors
        .filter((e) => e.message === 'unknown key')
        .map((e) => e.path)
        .sort(),
    ).toEqual(['defaults.maxSpredBps', 'extra', 'symbols["BTC/USDT"].maxAge', 'weights.gremlins']);
  });

  it('rejects an unknown exchange under a symbol override', () => {
    const json = rulesJson();
    (json.symbols as Record<string, unknown>)['BTC/USDT'] = { exchanges: { ftx: { maxSpreadBps: 5 } } };
    expect(errorsOf(json)).toEqual([{ path: 'symbols["BTC/USDT"].exchanges.ftx', message: 'unknown key' }]);
  });

  it('rejects a symbol key that is not a unified symbol', () => {
    const json = rulesJson();
    (json.symbols as Record<string, unknown>).BTCUSDT = { maxSpreadBps: 5 };
    const errors = errorsOf(json);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('symbols.BTCUSDT');
    expect(errors[0]!.message).toContain('unified symbol');
  });

  it('requires every weight and every default threshold', () => {
    const json = rulesJson();
    delete (json.weights as Record<string, unknown>).stale_data;
    delete (json.defaults as Record<string, unknown>).maxAgeMs;
    expect(
      errorsOf(json)
        .map((e) => e.path)
        .sort(),
    ).toEqual(['defaults.maxAgeMs', 'weights.stale_data']);
  });

  it('symbols may be left out (no overrides)', () => {
    const json = rulesJson();
    delete json.symbols;
    const r = parseValidationRules(json);
    expect(r.ok && r.rules.symbols).toEqual({});
  });

  it('refuses something that is not an object at all', () => {
    expect(errorsOf(null)).toHaveLength(1);
    expect(errorsOf('rules')[0]!.path).toBe('');
  });

  it('accepts null to switch a threshold off, but not in clockToleranceMs', () => {
    const json = rulesJson();
    (json.defaults as Record<string, unknown>).maxSpreadBps = null;
    expect(parseValidationRules(json).ok).toBe(true);
    (json.defaults as Record<string, unknown>).clockToleranceMs = null;
    expect(errorsOf(json).map((e) => e.path)).toEqual(['defaults.clockToleranceMs']);
  });
});
