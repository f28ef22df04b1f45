import { describe, expect, it } from 'vitest';
import { resolveSymbolRules } from '../../../core/quality/symbol-rules.ts';
import { testRules } from './rules-fixture.ts';

describe('resolveSymbolRules', () => {
  const rules = testRules();

  it('uses the defaults for a symbol without overrides, in µs and with null as Infinity', () => {
    const r = resolveSymbolRules(rules, 'binance', 'ETH/USDT');
    expect(r).toEqual({
      maxSpreadBps: 100,
      maxLevelSize: Number.POSITIVE_INFINITY,
      maxLevelNotional: 1_000_000,
      maxTradeSize: 50,
      maxTradeNotional: Number.POSITIVE_INFINITY,
      maxAgeUs: 5_000_000,
      clockToleranceUs: 0,
      recentIds: 1_000,
    });
  });

  it('applies the symbol override on every exchange', () => {
    const r = resolveSymbolRules(rules, 'binance', 'BTC/USDT');
    expect(r.maxSpreadBps).toBe(10);
    expect(r.maxAgeUs).toBe(5_000_000);
  });

  it('applies the exchange override over the symbol override', () => {
    const r = resolveSymbolRules(rules, 'kraken', 'BTC/USDT');
    expect(r.maxSpreadBps).toBe(25);
    expect(r.maxAgeUs).toBe(10_000_000);
    expect(r.maxTradeSize).toBe(50); // untouched keys stay default
  });
});
