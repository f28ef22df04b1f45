import { describe, expect, it } from 'vitest';
import { type CheckedMint, claimCheckedMint } from '../../../../core/risk/order-check.ts';
import type { CoinbaseRest } from '../../../../fargate/execution/coinbase/coinbase-rest.ts';
import { CoinbaseVenue } from '../../../../fargate/execution/coinbase/coinbase-venue.ts';
import { syntheticInstrument } from '../../../../local/exchanges/sources/synthetic-source.ts';

const mint = claimCheckedMint() as CheckedMint;
const inst = syntheticInstrument('coinbase', 1);

function setUp(route: (method: string, path: string, body?: Record<string, unknown>) => unknown) {
  const rest = {
    signed: async (method: string, path: string, _q: unknown, body?: Record<string, unknown>) =>
      route(method, path, body),
  } as unknown as CoinbaseRest;
  const events: string[] = [];
  const venue = new CoinbaseVenue({ rest, instruments: [inst], nowMicros: () => 1_700_000_000_000_000 });
  venue.connect({
    accepted: (id, v) => events.push(`accepted ${id} ${v}`),
    filled: (id, tradeId, _p, size) => events.push(`filled ${id} ${tradeId} ${size}`),
    canceled: (id) => events.push(`canceled ${id}`),
    rejected: (id, reason) => events.push(`rejected ${id} ${reason}`),
    amended: () => events.push('amended'),
    requestRejected: (id, reason) => events.push(`requestRejected ${id} ${reason}`),
    expired: (id) => events.push(`expired ${id}`),
  });
  return { venue, events };
}

const limit = (id: number) =>
  mint.order({
    id,
    instrument: 0,
    side: 'buy',
    type: 'limit',
    price: 10_000,
    size: 10,
    postOnly: true,
    ioc: false,
  });

describe('CoinbaseVenue', () => {
  it("a success:false create is the venue's refusal: its failure reason picks the reject reason", async () => {
    const { venue, events } = setUp(() => ({
      success: false,
      failure_reason: 'UNKNOWN_FAILURE_REASON',
      error_response: {
        error: 'INVALID_LIMIT_PRICE_POST_ONLY',
        new_order_failure_reason: 'INVALID_LIMIT_PRICE_POST_ONLY',
        preview_failure_reason: 'UNKNOWN_PREVIEW_FAILURE_REASON',
      },
    }));
    venue.submit(limit(1), 'c1', 0);
    await venue.settled();
    expect(events).toEqual(['rejected 1 post_only_cross']);
  });

  it('a refused cancel (UNKNOWN_CANCEL_ORDER) is a request rejection; the order stays tracked', async () => {
    const { venue, events } = setUp((method, path) => {
      if (path === '/orders') return { success: true, success_response: { order_id: 'U1' } };
      if (path === '/orders/batch_cancel')
        return { results: [{ success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: 'U1' }] };
      if (path.startsWith('/orders/historical/fills')) return { fills: [] };
      if (path === '/orders/historical/U1') return { order: { status: 'OPEN', filled_size: '0' } };
      throw new Error(`unexpected ${method} ${path}`);
    });
    venue.submit(limit(2), 'c2', 0);
    await venue.settled();
    venue.cancel(2, 'c2', 0);
    await venue.settled();
    expect(events).toEqual(['accepted 2 U1', 'requestRejected 2 unknown_order']);
    expect(venue.tracker.working()).toHaveLength(1);
  });
});
