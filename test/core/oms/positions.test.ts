import { describe, expect, it } from 'vitest';
import type { Side } from '../../../core/market/events.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import { Positions } from '../../../core/oms/positions.ts';

// Price units are cents (scale 2), size units are 0.001 BTC (scale 3).
const btcUsdt = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 3,
});
const ethUsdt = makeInstrument({ ...btcUsdt, venueSymbol: 'ETHUSDT', symbol: 'ETH/USDT', base: 'ETH' });
const btcUsd = makeInstrument({
  ...btcUsdt,
  exchange: 'coinbase',
  venueSymbol: 'BTC-USD',
  symbol: 'BTC/USD',
  quote: 'USD',
});

describe('Positions', () => {
  it('ten fills: net, average entry, realized and unrealized PnL match the hand computation', () => {
    const p = new Positions([btcUsdt]);
    const fills: [Side, number, number][] = [
      ['buy', 5_000_000, 1000], //  +1 @ 50000          net 1     avg 50000
      ['buy', 5_100_000, 1000], //  +1 @ 51000          net 2     avg 50500
      ['sell', 5_200_000, 500], //  −0.5 @ 52000        realized 0.5 × 1500 = 750
      ['buy', 4_900_000, 500], //   +0.5 @ 49000        net 2     avg (50500·1.5 + 49000·0.5)/2 = 50125
      ['sell', 5_000_000, 2000], // −2 @ 50000          realized 2 × −125 = −250 → 500; flat
      ['sell', 5_000_000, 1000], // −1 @ 50000          net −1    avg 50000
      ['sell', 4_900_000, 1000], // −1 @ 49000          net −2    avg 49500
      ['buy', 4_800_000, 500], //   +0.5 @ 48000        realized 0.5 × 1500 = 750 → 1250
      ['buy', 4_850_000, 2500], //  +2.5 @ 48500: flip  realized 1.5 × 1000 = 1500 → 2750; net +1 avg 48500
      ['buy', 4_950_000, 1000], //  +1 @ 49500          net 2     avg 49000
    ];
    const afterEach: [number, number, number][] = [
      [1000, 5_000_000, 0],
      [2000, 5_050_000, 0],
      [1500, 5_050_000, 750],
      [2000, 5_012_500, 750],
      [0, Number.NaN, 500],
      [-1000, 5_000_000, 500],
      [-2000, 4_950_000, 500],
      [-1500, 4_950_000, 1250],
      [1000, 4_850_000, 2750],
      [2000, 4_900_000, 2750],
    ];
    fills.forEach(([side, price, size], i) => {
      p.applyFill(0, side, price, size, i === 9 ? 0.005 : 1, i === 9 ? 'BNB' : 'USDT');
      const [net, avg, realized] = afterEach[i]!;
      expect(p.net[0]).toBe(net);
      expect(p.avgEntry[0]).toBe(avg);
      expect(p.realized[0]).toBeCloseTo(realized, 9);
    });
    expect(p.unrealized(0, 5_000_000)).toBeCloseTo(2000, 9); // 2 × (50000 − 49000)
    expect(p.unrealized(0, 4_800_000)).toBeCloseTo(-2000, 9);
    expect(p.fees(0)).toBe(9);
    expect(p.feesByCurrency(0)).toEqual([
      { amount: 9, currency: 'USDT' },
      { amount: 0.005, currency: 'BNB' },
    ]);
  });

  it('a flip through zero realizes the closed part and opens the rest at the fill price', () => {
    const p = new Positions([btcUsdt]);
    p.applyFill(0, 'buy', 10_000, 1000, 0, 'USDT'); // long 1 @ 100
    p.applyFill(0, 'sell', 11_000, 3000, 0, 'USDT'); // sell 3 @ 110
    expect(p.net[0]).toBe(-2000);
    expect(p.avgEntry[0]).toBe(11_000);
    expect(p.realized[0]).toBeCloseTo(10, 9);
    expect(p.unrealized(0, 10_500)).toBeCloseTo(10, 9); // short 2 from 110, marked at 105
  });

  it('flat: unrealized is 0 and the entry NaN; a NaN mark gives NaN when not flat', () => {
    const p = new Positions([btcUsdt]);
    expect(p.unrealized(0, Number.NaN)).toBe(0);
    expect(Number.isNaN(p.avgEntry[0]!)).toBe(true);
    p.applyFill(0, 'buy', 100, 1, 0, 'USDT');
    expect(Number.isNaN(p.unrealized(0, Number.NaN))).toBe(true);
  });

  it('worst case is the signed extreme with every pending buy, or every pending sell, filled', () => {
    const p = new Positions([btcUsdt]);
    p.applyFill(0, 'buy', 100, 2000, 0, 'USDT');
    const out = { long: 0, short: 0 };
    expect(p.worstCase(0, 500, 3000, out)).toEqual({ long: 2500, short: -1000 });
    expect(p.worstCase(0, 0, 0)).toEqual({ long: 2000, short: 2000 });
  });

  it('totals group by quote currency and never add USD to USDT', () => {
    const p = new Positions([btcUsdt, ethUsdt, btcUsd]);
    p.applyFill(0, 'buy', 10_000, 1000, 0.5, 'USDT');
    p.applyFill(0, 'sell', 10_100, 1000, 0.5, 'USDT'); // +1 realized
    p.applyFill(1, 'buy', 20_000, 2000, 0.25, 'USDT'); // open, marked below
    p.applyFill(2, 'buy', 30_000, 1000, 2, 'USD'); // open, unmarked
    const totals = p.totals((i) => (i === 1 ? 20_050 : Number.NaN));
    expect(totals).toEqual([
      {
        currency: 'USD',
        realized: { amount: 0, currency: 'USD' },
        unrealized: { amount: 0, currency: 'USD' },
        fees: { amount: 2, currency: 'USD' },
        unmarked: 1,
      },
      {
        currency: 'USDT',
        realized: { amount: 1, currency: 'USDT' },
        unrealized: { amount: 1, currency: 'USDT' }, // 2 × 0.50
        fees: { amount: 1.25, currency: 'USDT' },
        unmarked: 0,
      },
    ]);
    expect(p.feeTotals()).toEqual([
      { amount: 2, currency: 'USD' },
      { amount: 1.25, currency: 'USDT' },
    ]);
  });
});
