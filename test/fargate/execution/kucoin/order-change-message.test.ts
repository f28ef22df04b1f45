import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../core/venues/wire-guards.ts';
import {
  classifyKucoinFrame,
  KUCOIN_ORDER_TOPIC,
  parseKucoinOrderChange,
} from '../../../../fargate/execution/kucoin/order-change-message.ts';

const match = {
  symbol: 'BTC-USDT',
  orderType: 'limit',
  side: 'buy',
  orderId: '5efab07953bdea00089cdaba',
  clientOid: 'c1',
  type: 'match',
  status: 'match',
  size: '0.1',
  filledSize: '0.05',
  remainSize: '0.05',
  matchPrice: '30000.1',
  matchSize: '0.05',
  tradeId: '1607615808393249',
  liquidity: 'taker',
  ts: 1_670_329_987_311_000_000,
};
const message = (data: unknown): JsonObject => ({
  type: 'message',
  topic: KUCOIN_ORDER_TOPIC,
  subject: 'orderChange',
  channelType: 'private',
  data,
});

describe('KuCoin tradeOrdersV2 messages', () => {
  it('reads an order change; a match names its trade', () => {
    expect(parseKucoinOrderChange(message(match))).toEqual({
      orderId: '5efab07953bdea00089cdaba',
      clientOid: 'c1',
      symbol: 'BTC-USDT',
      type: 'match',
      status: 'match',
      filledSize: '0.05',
      tradeId: '1607615808393249',
    });
    const done = { ...match, type: 'canceled', status: 'done', tradeId: undefined };
    expect(parseKucoinOrderChange(message(done))).toMatchObject({ type: 'canceled', tradeId: '' });
  });

  it('refuses a match without a trade id, a bad filled size, another topic', () => {
    expect(parseKucoinOrderChange(message({ ...match, tradeId: undefined }))).toBeUndefined();
    expect(parseKucoinOrderChange(message({ ...match, filledSize: '-1' }))).toBeUndefined();
    expect(parseKucoinOrderChange({ ...message(match), topic: '/market/match:BTC-USDT' })).toBeUndefined();
  });

  it('classifies the connection frames', () => {
    expect(classifyKucoinFrame({ type: 'welcome' })).toBe('welcome');
    expect(classifyKucoinFrame({ type: 'ack' })).toBe('subscribed');
    expect(classifyKucoinFrame({ type: 'error', code: 401 })).toBe('refused');
    expect(classifyKucoinFrame({ type: 'pong' })).toBe('control');
    expect(classifyKucoinFrame(message(match))).toBe('data');
  });

  it('never throws on arbitrary frames or on a valid change with any field replaced', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (data, f) => {
        parseKucoinOrderChange(message(data));
        parseKucoinOrderChange(f);
        classifyKucoinFrame(f);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(match)), fc.jsonValue(), (key, value) => {
        const parsed = parseKucoinOrderChange(message({ ...match, [key]: value }));
        if (parsed) expect(typeof parsed.orderId).toBe('string');
      }),
    );
  });
});
