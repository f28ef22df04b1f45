import { describe, expect, it } from 'vitest';
import { instrumentFromEntry } from '../../config/instruments.ts';
import { readConfigFile } from '../../config/read-config-file.ts';
import { loadRiskParams, parseRiskParams } from '../../config/risk.ts';
import { resolveLimits } from '../../core/risk/resolved-limits.ts';

describe('config/risk.json', () => {
  it('loads, validates, and holds the conservative defaults', () => {
    const p = loadRiskParams();
    expect(p.limits.default).toEqual({
      maxPosition: '0',
      maxOrderSize: '0',
      maxMarketOrderSize: '0',
      fatFingerPct: 1,
      postOnlyFatFingerPct: 0.5,
    });
    expect(p.orderRate).toEqual({ perSecond: 10, perMinute: 200 });
    expect(p.drawdown.windowMinutes).toBe(60);
    expect(p.dailyLoss.maxLoss).toEqual({ amount: '100', currency: 'USDT' });
    expect(p.kellyFraction).toBe(0.25);
    expect(p.staleBooksHaltSeconds).toBeGreaterThan(0);
  });

  it('resolves exactly for every configured instrument', () => {
    const json = readConfigFile('instruments.json') as {
      instruments: Parameters<typeof instrumentFromEntry>[0][];
    };
    const instruments = json.instruments.map((e) => instrumentFromEntry(e));
    const resolved = resolveLimits(loadRiskParams(), instruments);
    expect('problems' in resolved ? resolved.problems : []).toEqual([]);
    if ('problems' in resolved) return;
    // Every shipped instrument has its own entry: none is left on the trade-nothing default.
    resolved.instruments.forEach((l, i) => {
      expect(l.maxOrderSize, instruments[i]?.symbol).toBeGreaterThan(0);
    });
  });

  it('names the file and lists every problem, one line each', () => {
    const json = structuredClone(loadRiskParams()) as unknown as {
      limits: Record<string, unknown>;
      drawdown: { maxLoss: { currency: string } };
      kellyFraction: number;
    };
    json.limits['btc/usdt'] = { maxPosition: 0.1 };
    json.drawdown.maxLoss.currency = 'USD';
    json.kellyFraction = 2;
    expect(() => loadRiskParams(json)).toThrow(
      [
        'config/risk.json: limits["btc/usdt"].maxPosition: expected string, received 0.1',
        'config/risk.json: limits["btc/usdt"]: expected "default" or a unified symbol like BTC/USDT',
        'config/risk.json: kellyFraction: expected at most 1, received 2',
        'config/risk.json: drawdown.maxLoss.currency: every amount must be in one currency (dailyLoss.maxLoss is in USDT, this is USD)',
      ].join('\n'),
    );
    expect(parseRiskParams('not an object')).toEqual({
      problems: ['(root): expected object, received "not an object"'],
    });
  });
});
