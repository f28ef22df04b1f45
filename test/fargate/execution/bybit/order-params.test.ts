import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import type { OrderRequest } from '../../../../core/risk/order-check.ts';
import { bybitOrderParams } from '../../../../fargate/execution/bybit/order-params.ts';

const LINEAR = makeInstrument({
  exchange: 'bybit',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'perp',
  priceScale: 1,
  sizeScale: 3,
});
const SPOT = makeInstrument({ ...LINEAR, symbol: 'BTC/USDT', kind: 'spot', priceScale: 2, sizeScale: 6 });

const limit = (o: Partial<OrderRequest> = {}): OrderRequest => ({
  id: 1,
  instrument: 0,
  side: 'buy',
  type: 'limit',
  price: 650_001,
  size: 1_500,
  postOnly: false,
  ioc: false,
  ...o,
});

describe('bybitOrderParams', () => {
  it('formats integer units exactly: qty and price parse back to the same units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.constantFrom(LINEAR, SPOT),
        (price, size, inst) => {
          const p = bybitOrderParams(limit({ price, size }), inst, 'id-1');
          expect(parseDecimal(String(p.price), inst.priceScale)).toBe(price);
          expect(parseDecimal(String(p.qty), inst.sizeScale)).toBe(size);
        },
      ),
    );
  });

  it('maps time in force, side, category and the link id', () => {
    expect(bybitOrderParams(limit(), LINEAR, 'a-1')).toEqual({
      category: 'linear',
      symbol: 'BTCUSDT',
      side: 'Buy',
      orderType: 'Limit',
      qty: '1.5',
      price: '65000.1',
      timeInForce: 'GTC',
      orderLinkId: 'a-1',
    });
    expect(bybitOrderParams(limit({ postOnly: true }), LINEAR, 'a').timeInForce).toBe('PostOnly');
    expect(bybitOrderParams(limit({ ioc: true, side: 'sell' }), SPOT, 'a')).toMatchObject({
      category: 'spot',
      side: 'Sell',
      timeInForce: 'IOC',
    });
  });

  it('reduce-only only on linear; spot market orders count qty in the base coin', () => {
    expect(bybitOrderParams(limit(), LINEAR, 'a', true).reduceOnly).toBe(true);
    expect(bybitOrderParams(limit(), SPOT, 'a', true)).not.toHaveProperty('reduceOnly');
    const market = limit({ type: 'market', price: Number.NaN });
    expect(bybitOrderParams(market, SPOT, 'a')).toMatchObject({
      orderType: 'Market',
      marketUnit: 'baseCoin',
    });
    const linearMarket = bybitOrderParams(market, LINEAR, 'a');
    expect(linearMarket).not.toHaveProperty('marketUnit');
    expect(linearMarket).not.toHaveProperty('price');
    expect(linearMarket).not.toHaveProperty('timeInForce');
  });
});
