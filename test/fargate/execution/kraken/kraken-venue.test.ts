import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CheckedMint, claimCheckedMint, type OrderRequest } from '../../../../core/risk/order-check.ts';
import { VenueRequestError } from '../../../../fargate/execution/execution-outcome.ts';
import type { KrakenRest } from '../../../../fargate/execution/kraken/kraken-rest.ts';
import { KrakenVenue } from '../../../../fargate/execution/kraken/kraken-venue.ts';
import { syntheticInstrument } from '../../../../local/exchanges/sources/synthetic-source.ts';

const mint = claimCheckedMint() as CheckedMint;
const inst = syntheticInstrument('kraken', 1); // SYN1/USDT, price scale 2, size scale 4

type Handler = (params: Record<string, string>) => unknown;

function setUp(handlers: Record<string, Handler | Handler[]>) {
  const calls: Array<{ method: string; params: Record<string, string> }> = [];
  const rest = {
    call: async (method: string, params: Record<string, string>) => {
      calls.push({ method, params });
      const h = handlers[method];
      const fn = Array.isArray(h) ? h.shift() : h;
      if (!fn) throw new Error(`unexpected ${method}`);
      return fn(params);
    },
  } as unknown as KrakenRest;
  const events: string[] = [];
  const venue = new KrakenVenue({ rest, instruments: [inst], nowMicros: () => 1_700_000_000_000_000 });
  venue.connect({
    accepted: (id, venueId) => events.push(`accepted ${id} ${venueId}`),
    filled: (id, tradeId, price, size) => events.push(`filled ${id} ${tradeId} ${price} ${size}`),
    canceled: (id) => events.push(`canceled ${id}`),
    rejected: (id, reason) => events.push(`rejected ${id} ${reason}`),
    amended: () => events.push('amended'),
    requestRejected: (id, reason, isAmend) => events.push(`requestRejected ${id} ${reason} ${isAmend}`),
    expired: (id) => events.push(`expired ${id}`),
  });
  return { venue, calls, events };
}

let nextId = 1;
const order = (o: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'price' | 'size'>) =>
  mint.order({ id: nextId++, instrument: 0, type: 'limit', postOnly: false, ioc: false, ...o });

const trade = (ordertxid: string, vol: string, time = 1_700_000_000.5) => ({
  ordertxid,
  pair: 'SYN1USDT',
  time,
  type: 'buy',
  ordertype: 'limit',
  price: '100.00',
  cost: '1',
  fee: '0.0026',
  vol,
  maker: true,
});

describe('KrakenVenue', () => {
  it('sends post-only as oflags=post, IOC as timeinforce, market without a price; acks with the txid', async () => {
    const { venue, calls, events } = setUp({
      AddOrder: [() => ({ txid: ['O1'] }), () => ({ txid: ['O2'] }), () => ({ txid: ['O3'] })],
    });
    const a = order({ side: 'buy', price: 10_000, size: 15, postOnly: true });
    const b = order({ side: 'sell', price: 10_100, size: 1, ioc: true });
    const c = order({ side: 'buy', type: 'market', price: Number.NaN, size: 2 });
    venue.submit(a, 'a', 0);
    venue.submit(b, 'b', 0);
    venue.submit(c, 'c', 0);
    await venue.settled();
    expect(calls.map((x) => x.params)).toEqual([
      {
        pair: 'SYN1USDT',
        type: 'buy',
        ordertype: 'limit',
        volume: '0.0015',
        cl_ord_id: 'a',
        price: '100',
        oflags: 'post',
      },
      {
        pair: 'SYN1USDT',
        type: 'sell',
        ordertype: 'limit',
        volume: '0.0001',
        cl_ord_id: 'b',
        price: '101',
        timeinforce: 'IOC',
      },
      { pair: 'SYN1USDT', type: 'buy', ordertype: 'market', volume: '0.0002', cl_ord_id: 'c' },
    ]);
    expect(events).toEqual([
      `accepted ${a.request.id} O1`,
      `accepted ${b.request.id} O2`,
      `accepted ${c.request.id} O3`,
    ]);
  });

  it('a trade listed by two polls is reported once; a cancel waits for a fill the history has not shown yet', async () => {
    const t1 = { TA: trade('O1', '0.0005') };
    const { venue, events } = setUp({
      AddOrder: () => ({ txid: ['O1'] }),
      CancelOrder: () => ({ count: 1 }),
      TradesHistory: [
        () => ({ trades: t1 }),
        () => ({ trades: t1 }),
        () => ({ trades: { ...t1, TB: trade('O1', '0.0003') } }),
      ],
      QueryOrders: [
        () => ({ O1: { status: 'open', vol_exec: '0.0005' } }),
        () => ({ O1: { status: 'canceled', vol_exec: '0.0008' } }),
        () => ({ O1: { status: 'canceled', vol_exec: '0.0008' } }),
      ],
    });
    const o = order({ side: 'buy', price: 10_000, size: 10 });
    venue.submit(o, 'x', 0);
    await venue.settled();
    await venue.poll();
    venue.cancel(o.request.id, 'x', 0);
    await venue.settled();
    expect(events).toEqual([`accepted ${o.request.id} O1`, `filled ${o.request.id} TA 10000 5`]);
    await venue.poll();
    expect(events.slice(2)).toEqual([`filled ${o.request.id} TB 10000 3`, `canceled ${o.request.id}`]);
    expect(venue.tracker.counters.duplicateFills).toBe(2);
  });

  it('an AddOrder of unknown outcome is found among the open orders by cl_ord_id', async () => {
    const { venue, events } = setUp({
      AddOrder: () => {
        throw new VenueRequestError(
          { kind: 'unknown-status', code: 200, message: 'EService:Unavailable' },
          200,
        );
      },
      OpenOrders: () => ({ open: { O7: { cl_ord_id: 'u1', descr: { pair: 'SYN1USDT' } } } }),
    });
    const o = order({ side: 'buy', price: 10_000, size: 10 });
    venue.submit(o, 'u1', 0);
    await venue.settled();
    expect(events).toEqual([`accepted ${o.request.id} O7`]);
    expect(venue.tracker.counters.unknownQueried).toBe(1);
  });

  it('amend is refused (cancel and place again); cancel of an unknown order is refused', async () => {
    const { venue, events } = setUp({});
    venue.amend(mint.amend({ id: 99, instrument: 0, side: 'buy', price: 1, size: 1 }), 'z', 0);
    venue.cancel(98, 'z', 0);
    expect(events).toEqual([
      'requestRejected 99 venue_rejected true',
      'requestRejected 98 unknown_order false',
    ]);
  });

  it('reads open orders, fills and balances into integer units and decimal strings', async () => {
    const { venue } = setUp({
      OpenOrders: () => ({
        open: {
          O5: {
            cl_ord_id: 'k',
            descr: { pair: 'SYN1USDT', type: 'sell', ordertype: 'limit', price: '101.5' },
            vol: '0.0020',
            vol_exec: '0.0005',
          },
        },
      }),
      TradesHistory: () => ({ trades: { TZ: trade('O5', '0.0005', 1_700_000_100) } }),
      BalanceEx: () => ({ USDT: { balance: '100.5', hold_trade: '0.25' } }),
    });
    expect(await venue.openOrders()).toEqual([
      {
        instrument: 0,
        venueOrderId: 'O5',
        clientOrderId: 'k',
        side: 'sell',
        price: 10150,
        size: 20,
        filled: 5,
      },
    ]);
    expect(await venue.fills(1_700_000_000_000)).toMatchObject([
      {
        tradeId: 'TZ',
        venueOrderId: 'O5',
        price: 10000,
        size: 5,
        fee: '0.0026',
        maker: true,
        timeMs: 1_700_000_100_000,
      },
    ]);
    expect(await venue.balances()).toEqual([{ asset: 'USDT', free: '100.25', locked: '0.25' }]);
  });

  it('stream: a trade entry is reported as a stream fill before the REST answer; the end waits for cum_qty; bad frames are counted', async () => {
    let answer: (v: unknown) => void = () => {};
    const { venue, calls, events } = setUp({
      AddOrder: () => new Promise((resolve) => (answer = resolve)),
      TradesHistory: () => ({ trades: {} }),
      QueryOrders: () => ({}),
    });
    const o = order({ side: 'buy', price: 10_000, size: 20 });
    venue.submit(o, 'c-stream', 0);
    const entry = (status: string, cum: number, extra: object = {}) => ({
      order_id: 'OS-1',
      cl_ord_id: 'c-stream',
      order_status: status,
      cum_qty: cum,
      timestamp: '2023-11-14T22:13:20.000Z',
      ...extra,
    });
    const tradeEntry = (id: string, qty: number, cum: number, status: string) =>
      entry(status, cum, {
        exec_type: 'trade',
        exec_id: id,
        last_qty: qty,
        last_price: 100,
        fees: [{ asset: 'USDT', qty: 0.01 }],
      });
    const frame = (sequence: number, data: unknown[]) => ({
      channel: 'executions',
      type: 'update',
      data,
      sequence,
    });
    venue.onStreamFrame(frame(1, [entry('new', 0, { exec_type: 'new' })]));
    venue.onStreamFrame(frame(2, [tradeEntry('T-1', 0.001, 0.001, 'partially_filled')]));
    venue.onStreamFrame(frame(3, [entry('filled', 0.002, { exec_type: 'filled' })])); // its trade not seen yet
    expect(events).toEqual([`accepted ${o.request.id} OS-1`, `filled ${o.request.id} T-1 10000 10`]);
    expect(venue.tracker.get(o.request.id)!.done).toBe(false);
    venue.onStreamFrame(frame(4, [tradeEntry('T-2', 0.001, 0.002, 'filled')]));
    venue.onStreamFrame(frame(5, [entry('filled', 0.002, { exec_type: 'filled' })]));
    expect(venue.tracker.get(o.request.id)!.done).toBe(true);
    answer({ txid: ['OS-1'] });
    await venue.settled();
    expect(venue.counters).toMatchObject({
      streamFills: 2,
      polls: 0,
      streamMessages: 5,
      badStreamMessages: 0,
    });
    expect(calls.map((c) => c.method)).toEqual(['AddOrder']);

    venue.onStreamFrame({ channel: 'executions', type: 'update', data: [{ order_id: 'OS-1' }] });
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        venue.onStreamFrame({ channel: 'executions', type: 'update', data });
      }),
    );
    expect(venue.counters.badStreamMessages).toBeGreaterThan(0);
    expect(venue.counters.streamFills).toBe(2);
  });

  it('stream: a skipped sequence number makes it poll', async () => {
    const { venue, calls } = setUp({ TradesHistory: () => ({ trades: {} }), QueryOrders: () => ({}) });
    venue.onStreamFrame({ channel: 'executions', type: 'update', data: [], sequence: 7 });
    venue.onStreamFrame({ channel: 'executions', type: 'update', data: [], sequence: 8 });
    await venue.settled();
    expect(venue.counters.polls).toBe(0);
    venue.onStreamFrame({ channel: 'executions', type: 'update', data: [], sequence: 10 });
    await venue.settled();
    expect(venue.counters).toMatchObject({ sequenceGaps: 1, polls: 1 });
    expect(calls.map((c) => c.method)).toEqual(['TradesHistory']);
  });
});
