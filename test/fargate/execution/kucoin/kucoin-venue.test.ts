import { describe, expect, it } from 'vitest';
import { type CheckedMint, claimCheckedMint } from '../../../../core/risk/order-check.ts';
import type { KucoinRest } from '../../../../fargate/execution/kucoin/kucoin-rest.ts';
import { KucoinVenue } from '../../../../fargate/execution/kucoin/kucoin-venue.ts';
import { syntheticInstrument } from '../../../../local/exchanges/sources/synthetic-source.ts';

const mint = claimCheckedMint() as CheckedMint;
const inst = syntheticInstrument('kucoin', 1); // SYN1-USDT, price scale 2, size scale 4

function setUp(
  route: (method: string, path: string, q: Record<string, string>, body?: Record<string, unknown>) => unknown,
) {
  const calls: string[] = [];
  const rest = {
    signed: async (
      method: string,
      path: string,
      q: Record<string, string> = {},
      body?: Record<string, unknown>,
    ) => {
      calls.push(`${method} ${path}${body ? ` ${JSON.stringify(body)}` : ''}`);
      return route(method, path, q, body);
    },
  } as unknown as KucoinRest;
  const events: string[] = [];
  const venue = new KucoinVenue({ rest, instruments: [inst], nowMicros: () => 1_700_000_000_000_000 });
  venue.connect({
    accepted: (id, v) => events.push(`accepted ${id} ${v}`),
    filled: (id, tradeId, _p, size) => events.push(`filled ${id} ${tradeId} ${size}`),
    canceled: (id) => events.push(`canceled ${id}`),
    rejected: (id, reason) => events.push(`rejected ${id} ${reason}`),
    amended: () => events.push('amended'),
    requestRejected: (id, reason) => events.push(`requestRejected ${id} ${reason}`),
    expired: (id) => events.push(`expired ${id}`),
  });
  return { venue, calls, events };
}

const fill = (orderId: string, tradeId: string) => ({
  orderId,
  tradeId,
  side: 'buy',
  liquidity: 'taker',
  price: '100.00',
  size: '0.0010',
  fee: '0.0001',
  feeCurrency: 'USDT',
  createdAt: 1_700_000_000_100,
});

describe('KucoinVenue', () => {
  it('an IOC remainder (cancelExist, no cancel asked) is expired, after its fill; a cancel we asked for is canceled', async () => {
    const orders: Record<string, { id: string; active: boolean; dealSize: string; cancelExist: boolean }> = {
      ioc: { id: 'A1', active: false, dealSize: '0.0010', cancelExist: true },
      rest: { id: 'A2', active: true, dealSize: '0', cancelExist: false },
    };
    const { venue, calls, events } = setUp((method, path) => {
      if (method === 'POST') return { orderId: `A${calls.length}`, status: 'open' };
      if (path === '/api/v1/hf/fills') return { items: [fill('A1', 'T1'), fill('A1', 'T1')] };
      if (path === '/api/v1/hf/orders/active')
        return Object.entries(orders)
          .filter(([, o]) => o.active)
          .map(([clientOid, o]) => ({
            ...o,
            clientOid,
            side: 'buy',
            type: 'limit',
            price: '90.00',
            size: '0.0020',
          }));
      if (path.startsWith('/api/v1/hf/orders/client-order/')) return orders[path.split('/').at(-1)!];
      if (method === 'DELETE') {
        orders.rest = { id: 'A2', active: false, dealSize: '0', cancelExist: true };
        return { status: 'done' };
      }
      throw new Error(`unexpected ${method} ${path}`);
    });
    const ioc = mint.order({
      id: 1,
      instrument: 0,
      side: 'buy',
      type: 'limit',
      price: 10_000,
      size: 20,
      postOnly: false,
      ioc: true,
    });
    const rest = mint.order({
      id: 2,
      instrument: 0,
      side: 'buy',
      type: 'limit',
      price: 9_000,
      size: 20,
      postOnly: true,
      ioc: false,
    });
    venue.submit(ioc, 'ioc', 0);
    venue.submit(rest, 'rest', 0);
    await venue.settled();
    expect(calls[0]).toContain('"timeInForce":"IOC"');
    expect(calls[1]).toContain('"timeInForce":"GTC","postOnly":true');
    await venue.poll();
    expect(events).toEqual(['accepted 1 A1', 'accepted 2 A2', 'filled 1 T1 10', 'expired 1']);
    expect(venue.tracker.counters.duplicateFills).toBe(1);
    venue.cancel(2, 'rest', 0);
    await venue.settled();
    expect(events.at(-1)).toBe('canceled 2');
  });
});
