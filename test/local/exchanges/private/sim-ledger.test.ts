import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { SimLedger, type SimOrder } from '../../../../local/exchanges/private/sim-ledger.ts';

// Prices at 2 decimals, sizes at 3: 10000 = 100.00, 1000 = 1.000; balances in 1e-8 units.
const inst = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'SYNUSDT',
  symbol: 'SYN/USDT',
  base: 'SYN',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 3,
});
const E8 = 100_000_000;

function ledger(balances: Record<string, string>): SimLedger {
  return new SimLedger({ apiKey: 'sim-key-1', apiSecret: 'sim-secret-1', balances });
}

function order(side: 'BUY' | 'SELL', price: number, size: number): SimOrder {
  return {
    orderId: 1,
    apiKey: 'sim-key-1',
    symbol: 'SYNUSDT',
    clientOrderId: 'c1',
    side,
    type: 'LIMIT',
    timeInForce: 'GTC',
    reduceOnly: false,
    price,
    size,
    filled: 0,
    cumQuote: 0,
    status: 'NEW',
    time: 0,
    updateTime: 0,
    reservedAsset: '',
    reserved: 0,
  };
}

const fill = (id: number, price: number, size: number, fee = 0) => ({
  id,
  price,
  size,
  fee,
  feeCurrency: 'USDT',
  maker: true,
  timeMs: 1000 + id,
});

describe('SimLedger', () => {
  it('spot: a resting buy locks its quote value; each fill gives back the hold at the order price and pays at the fill price', () => {
    const l = ledger({ USDT: '1000' });
    const o = order('BUY', 10000, 1000);
    expect(l.reserveSpot(o, o.price, inst, true)).toBe(true);
    expect(l.balance('USDT')).toEqual({ free: 900 * E8, locked: 100 * E8 });

    const first = l.bookFill(o, inst, false, fill(1, 9900, 400, 0.01));
    expect(first).toMatchObject({ orderId: 1, quote: 39.6 * E8, commission: 0.01 * E8, time: 1001 });
    expect(l.balance('USDT')).toEqual({ free: 900.39 * E8, locked: 60 * E8 });
    expect(l.balance('SYN').free).toBe(0.4 * E8);
    expect(o).toMatchObject({ status: 'PARTIALLY_FILLED', filled: 400, reserved: 60 * E8, updateTime: 1001 });

    l.bookFill(o, inst, false, fill(2, 10000, 600));
    expect(l.balance('USDT')).toEqual({ free: 900.39 * E8, locked: 0 });
    expect(l.balance('SYN').free).toBe(E8);
    expect(o).toMatchObject({ status: 'FILLED', filled: 1000, reserved: 0, cumQuote: 99.6 * E8 });
    expect(l.fills.map((f) => f.id)).toEqual([1, 2]);
  });

  it('spot: refuses what the account cannot pay, and a market order (no hold) locks nothing', () => {
    const l = ledger({ USDT: '50', SYN: '0.5' });
    expect(l.reserveSpot(order('BUY', 10000, 1000), 10000, inst, true)).toBe(false);
    expect(l.reserveSpot(order('BUY', Number.NaN, 100), Number.NaN, inst, false)).toBe(false);
    expect(l.reserveSpot(order('SELL', 10000, 501), 10000, inst, true)).toBe(false);
    const market = order('SELL', Number.NaN, 500);
    expect(l.reserveSpot(market, Number.NaN, inst, false)).toBe(true);
    expect(market.reserved).toBe(0);
    expect(l.balance('SYN')).toEqual({ free: 0.5 * E8, locked: 0 });
    expect(l.balance('USDT')).toEqual({ free: 50 * E8, locked: 0 });
  });

  it('perpetual: adding averages the entry, closing realizes PnL into the wallet, crossing zero flips at the fill price', () => {
    const l = ledger({ USDT: '1000' });
    const buy = order('BUY', 11000, 2000);
    l.bookFill(buy, inst, true, fill(1, 10000, 1000));
    l.bookFill(buy, inst, true, fill(2, 11000, 1000, 0.5));
    expect(l.positions.get('SYNUSDT')).toEqual({ size: 2000, entry: 10500 });
    const sell = order('SELL', 10000, 2500);
    l.bookFill(sell, inst, true, fill(3, 12000, 1500));
    expect(l.positions.get('SYNUSDT')).toEqual({ size: 500, entry: 10500 });
    l.bookFill(sell, inst, true, fill(4, 10000, 1000));
    expect(l.positions.get('SYNUSDT')).toEqual({ size: -500, entry: 10000 });
    // +22.5 on 1.5 closed at 120.00, -2.5 on 0.5 closed at 100.00, -0.5 fee; no spot balances move.
    expect(l.balance('USDT')).toEqual({ free: 1019.5 * E8, locked: 0 });
    expect(l.balance('SYN').free).toBe(0);
    expect(sell.status).toBe('FILLED');
  });
});
