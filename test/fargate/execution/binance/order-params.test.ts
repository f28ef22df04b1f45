import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { amendedClientId } from '../../../../fargate/execution/binance/binance-venue.ts';
import { orderParams } from '../../../../fargate/execution/binance/order-params.ts';

const BTC = makeInstrument({
  exchange: 'binance',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'spot',
  priceScale: 2,
  sizeScale: 5,
});
const base = {
  id: 1,
  instrument: 0,
  side: 'buy' as const,
  type: 'limit' as const,
  price: 6_543_210,
  size: 150,
  postOnly: false,
  ioc: false,
};

describe('Binance order parameters', () => {
  it('limit GTC with exact decimals', () => {
    expect(orderParams(base, BTC, 'c1', false)).toEqual({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '65432.1',
      quantity: '0.0015',
      newClientOrderId: 'c1',
      newOrderRespType: 'RESULT',
    });
  });
  it('post-only: spot LIMIT_MAKER, USD-M GTX; IOC; market; reduce-only only on USD-M', () => {
    expect(orderParams({ ...base, postOnly: true }, BTC, 'c', false)).toMatchObject({ type: 'LIMIT_MAKER' });
    expect(orderParams({ ...base, postOnly: true }, BTC, 'c', false).timeInForce).toBeUndefined();
    expect(orderParams({ ...base, postOnly: true }, BTC, 'c', true)).toMatchObject({
      type: 'LIMIT',
      timeInForce: 'GTX',
    });
    expect(orderParams({ ...base, ioc: true }, BTC, 'c', false)).toMatchObject({ timeInForce: 'IOC' });
    const m = orderParams({ ...base, type: 'market', price: Number.NaN, side: 'sell' }, BTC, 'c', true, true);
    expect(m).toMatchObject({ type: 'MARKET', side: 'SELL', reduceOnly: 'true' });
    expect(m.price).toBeUndefined();
    expect(orderParams(base, BTC, 'c', false, true).reduceOnly).toBeUndefined();
  });
  it('cancel-replace client ids stay within 36 characters and count up', () => {
    const id = 'x'.repeat(36);
    expect(amendedClientId(id, 1)).toHaveLength(36);
    expect(amendedClientId('abc', 1)).toBe('abc_a1');
    expect(amendedClientId('abc_a1', 2)).toBe('abc_a2');
  });
});
