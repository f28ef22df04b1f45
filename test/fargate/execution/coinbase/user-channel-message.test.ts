import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../core/venues/wire-guards.ts';
import {
  classifyCoinbaseFrame,
  parseCoinbaseUserMessage,
} from '../../../../fargate/execution/coinbase/user-channel-message.ts';

const order = {
  order_id: '5ea5e000-0000-4000-8000-000000000001',
  client_order_id: 'c1',
  product_id: 'BTC-USD',
  status: 'OPEN',
  cumulative_quantity: '0.002',
  leaves_quantity: '0.008',
  avg_price: '50000.01',
  total_fees: '0.06',
};
const message = (events: unknown[], sequence: unknown = 4): JsonObject => ({
  channel: 'user',
  client_id: '',
  timestamp: '2026-01-02T03:04:05Z',
  sequence_num: sequence,
  events,
});

describe('Coinbase user channel messages', () => {
  it('reads the orders of snapshot and update events with the sequence', () => {
    const m = parseCoinbaseUserMessage(
      message([
        { type: 'snapshot', orders: [order] },
        { type: 'update', orders: [{ ...order, status: 'FILLED', cumulative_quantity: '0.01' }] },
      ]),
    );
    expect(m).toEqual({
      sequence: 4,
      orders: [
        {
          orderId: order.order_id,
          clientOrderId: 'c1',
          productId: 'BTC-USD',
          status: 'OPEN',
          cumulativeQuantity: '0.002',
        },
        {
          orderId: order.order_id,
          clientOrderId: 'c1',
          productId: 'BTC-USD',
          status: 'FILLED',
          cumulativeQuantity: '0.01',
        },
      ],
    });
  });

  it('refuses a bad sequence, an unknown event type, a bad quantity', () => {
    expect(parseCoinbaseUserMessage(message([], -1))).toBeUndefined();
    expect(parseCoinbaseUserMessage(message([], '1e3'))).toBeUndefined();
    expect(parseCoinbaseUserMessage(message([{ type: 'other', orders: [] }]))).toBeUndefined();
    expect(
      parseCoinbaseUserMessage(
        message([{ type: 'update', orders: [{ ...order, cumulative_quantity: 'x' }] }]),
      ),
    ).toBeUndefined();
  });

  it('classifies the connection frames', () => {
    expect(classifyCoinbaseFrame({ channel: 'subscriptions' })).toBe('subscribed');
    expect(classifyCoinbaseFrame({ type: 'error', message: 'authentication failure' })).toBe('refused');
    expect(classifyCoinbaseFrame({ channel: 'heartbeats' })).toBe('control');
    expect(classifyCoinbaseFrame(message([]))).toBe('data');
  });

  it('never throws on arbitrary frames or on a valid order with any field replaced', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (events, f) => {
        parseCoinbaseUserMessage({ channel: 'user', sequence_num: 1, events });
        parseCoinbaseUserMessage(f);
        classifyCoinbaseFrame(f);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(order)), fc.jsonValue(), (key, value) => {
        const m = parseCoinbaseUserMessage(
          message([{ type: 'update', orders: [{ ...order, [key]: value }] }]),
        );
        if (m) expect(m.orders).toHaveLength(1);
      }),
    );
  });
});
