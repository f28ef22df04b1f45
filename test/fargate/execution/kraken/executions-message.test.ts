import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../core/venues/wire-guards.ts';
import {
  classifyKrakenFrame,
  parseKrakenExecutions,
} from '../../../../fargate/execution/kraken/executions-message.ts';

const trade = {
  exec_type: 'trade',
  order_id: 'OABC-1',
  cl_ord_id: 'c1',
  exec_id: 'TXYZ-1',
  trade_id: 9,
  symbol: 'XBT/USD',
  side: 'buy',
  last_qty: 0.0015,
  last_price: 50000.1,
  liquidity_ind: 'm',
  fees: [{ asset: 'USD', qty: 0.12 }],
  cum_qty: 0.0015,
  order_status: 'partially_filled',
  timestamp: '2026-01-02T03:04:05.678Z',
};
const frame = (data: unknown[]): JsonObject => ({ channel: 'executions', type: 'update', data, sequence: 3 });

describe('Kraken executions messages', () => {
  it('a trade entry is a whole fill with the digits the venue wrote; a status entry has none', () => {
    const [t, s] = parseKrakenExecutions(
      frame([trade, { exec_type: 'canceled', order_id: 'OABC-2', order_status: 'canceled', cum_qty: 0 }]),
    )!;
    expect(t).toEqual({
      orderId: 'OABC-1',
      clOrdId: 'c1',
      orderStatus: 'partially_filled',
      cumQty: '0.0015',
      timeMs: Date.parse('2026-01-02T03:04:05.678Z'),
      trade: {
        execId: 'TXYZ-1',
        lastQty: '0.0015',
        lastPrice: '50000.1',
        fee: '0.12',
        feeAsset: 'USD',
        maker: true,
      },
    });
    expect(s).toMatchObject({ orderId: 'OABC-2', orderStatus: 'canceled', cumQty: '0', trade: undefined });
  });

  it('refuses a whole frame for one bad entry: exponent or negative numbers, a trade without exec_id', () => {
    expect(parseKrakenExecutions(frame([{ ...trade, last_qty: 1e-7 }]))).toBeUndefined();
    expect(parseKrakenExecutions(frame([{ ...trade, last_price: -1 }]))).toBeUndefined();
    expect(parseKrakenExecutions(frame([{ ...trade, exec_id: undefined }]))).toBeUndefined();
    expect(parseKrakenExecutions(frame([trade, 'x']))).toBeUndefined();
    expect(parseKrakenExecutions({ channel: 'executions', type: 'update', data: {} })).toBeUndefined();
  });

  it('classifies the connection frames', () => {
    expect(classifyKrakenFrame({ method: 'subscribe', success: true })).toBe('subscribed');
    expect(classifyKrakenFrame({ method: 'subscribe', success: false, error: 'EAPI:Invalid token' })).toBe(
      'refused',
    );
    expect(classifyKrakenFrame({ channel: 'status' })).toBe('welcome');
    expect(classifyKrakenFrame({ channel: 'heartbeat' })).toBe('control');
    expect(classifyKrakenFrame(frame([]))).toBe('data');
  });

  it('never throws on arbitrary frames or on a valid trade with any field replaced', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (f) => {
        parseKrakenExecutions({ channel: 'executions', type: 'update', ...f });
        classifyKrakenFrame(f);
      }),
    );
    const keys = Object.keys(trade);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const parsed = parseKrakenExecutions(frame([{ ...trade, [key]: value }]));
        if (parsed) expect(parsed).toHaveLength(1);
      }),
    );
  });
});
