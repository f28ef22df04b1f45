import { describe, expect, it } from 'vitest';
import { loadFeeTable, readFeesJson } from '../../config/fees.ts';

describe('config/fees.ts', () => {
  it('loads the bundled fee table', () => {
    const t = loadFeeTable();
    expect(t.rates('binance-futures')).toEqual({ maker: 0.0002, taker: 0.0005 });
    expect(loadFeeTable(readFeesJson()).rates('binance')).toEqual({ maker: 0.001, taker: 0.001 });
  });

  it('names the file and lists every problem', () => {
    expect(() =>
      loadFeeTable({
        venues: { binance: { defaultTier: 'x', tiers: { vip0: { maker: 0.2, taker: 0.001 } } } },
      }),
    ).toThrow(/^config\/fees\.json: [^\n]*maker[\s\S]*\nconfig\/fees\.json: [^\n]*defaultTier/);
  });
});
