import { describe, expect, it } from 'vitest';
import fees from '../../../../config/fees.json' with { type: 'json' };
import { parseFeeTable, zeroFees } from '../../../../core/sim/fees/fee-table.ts';

describe('config/fees.json', () => {
  const table = parseFeeTable(fees);

  it('gives each venue its default tier', () => {
    expect(table.rates('binance-futures')).toEqual({ maker: 0.0002, taker: 0.0005 });
    expect(table.rates('binance', 'BTCUSDT')).toEqual({ maker: 0.001, taker: 0.001 });
  });

  it('has rebate tiers (negative maker fee)', () => {
    expect(table.rates('binance-futures', 'BTCUSDT', 'mm-rebate').maker).toBeLessThan(0);
  });

  it('refuses an unknown tier by name', () => {
    expect(() => table.rates('kraken', undefined, 'platinum')).toThrow(/no tier "platinum"/);
  });

  it('zero fees for venues it does not list', () => {
    expect(zeroFees().rates('coinbase')).toEqual({ maker: 0, taker: 0 });
  });
});

describe('parseFeeTable', () => {
  it('reports every problem at once, unknown keys included', () => {
    const bad = {
      venues: {
        binance: { defaultTier: 'x', tiers: { vip0: { maker: 0.5, taker: 0.001 } } },
        kraken: { defaultTier: 'base', tiers: { base: { maker: 0.001, taker: 0.002, extra: 1 } } },
        nowhere: { defaultTier: 'a', tiers: {} },
      },
    };
    let message = '';
    try {
      parseFeeTable(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/venues\.binance\.tiers\.vip0\.maker/);
    expect(message).toMatch(/defaultTier/);
    expect(message).toMatch(/extra/);
    expect(message).toMatch(/nowhere/);
  });

  it('per-symbol overrides win over the tier', () => {
    const t = parseFeeTable({
      venues: {
        binance: {
          defaultTier: 'vip0',
          tiers: { vip0: { maker: 0.001, taker: 0.001 } },
          symbols: { BTCFDUSD: { maker: 0, taker: 0.0001 } },
        },
      },
    });
    expect(t.rates('binance', 'BTCFDUSD')).toEqual({ maker: 0, taker: 0.0001 });
    expect(t.rates('binance', 'ETHUSDT').maker).toBe(0.001);
  });
});
