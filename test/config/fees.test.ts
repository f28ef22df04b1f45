import { describe, expect, it } from 'vitest';
import { FEES_JSON, loadFeeTable } from '../../config/fees.ts';

describe('config/fees.ts', () => {
  it('loads the bundled fee table', () => {
    const t = loadFeeTable();
    expect(t.rates('binance-futures')).toEqual({ maker: 0.0002, taker: 0.0005 });
    expect(loadFeeTable(FEES_JSON).rates('binance')).toEqual({ maker: 0.001, taker: 0.001 });
  });

  it('names the file and lists every problem', () => {
    expect(() =>
      loadFeeTable({
        venues: { binance: { defaultTier: 'x', tiers: { vip0: { maker: 0.2, taker: 0.001 } } } },
      }),
    ).toThrow(/^config\/fees\.json: fee table is invalid:[\s\S]*maker[\s\S]*defaultTier/);
  });
});
