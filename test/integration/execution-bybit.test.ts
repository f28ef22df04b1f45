/**
 * The Bybit v5 adapter (linear and spot) over the wire against the simulator's signed private API
 * and private stream: acks and fills, cancel-all checked on /sim/state, a bad signature surfacing
 * 10004, a 2 s clock skew → 10002 → resync → success, the private stream cut mid-fill → the fill
 * recovered by REST and counted once, a duplicated fill reported once, disconnect-cancel firing
 * when the stream dies and not when the adapter closes cleanly; every log line searched for the
 * key, the secret and every signature sent.
 */
import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../core/market/instrument.ts';
import { connectBybit } from '../../fargate/execution/bybit/connect-bybit.ts';
import { makeCredentials } from '../../fargate/execution/credentials.ts';
import { VenueRequestError } from '../../fargate/execution/execution-outcome.ts';
import { loadLocalAccounts } from '../../local/exchanges/private/local-accounts.ts';
import { type Simulators, startSimulators } from '../../local/exchanges/start-simulators.ts';
import {
  acceptedIds,
  amend,
  filledSize,
  order,
  perTestWire,
  recorder,
  simState,
  until,
} from '../support/execution-harness.ts';

const account = loadLocalAccounts().bybit;

interface SimState {
  openOrders: Array<{ orderLinkId: string; category: string }>;
  fills: Array<{ execId: string; orderLinkId: string; execQty: string; execPrice: string; orderId: string }>;
  balances: Record<string, { free: string; locked: string }>;
  positions: Array<{ symbol: string; side: string; size: string }>;
}

function state(sims: Simulators): Promise<SimState> {
  return simState<SimState>(sims, 'bybit', account.apiKey);
}

describe('Bybit execution over the wire to the simulator', () => {
  const { wire, opened } = perTestWire();
  const { logs } = wire;

  /** Our host clock's error, ms (changed by the skew test after connecting). */
  let skewMs = 0;

  async function setUp(apiSecret?: string, dcpWindowS?: number) {
    skewMs = 0;
    const sims = opened.keep(
      await startSimulators({ venues: ['bybit'], source: 'synthetic', symbols: 2, autoStart: false }),
    );
    sims.synthetic('bybit')!.stepMany(50);
    const linear = sims.venues.bybit!.market.get('SYN1USDT')!;
    const spotTruth = sims.venues.bybit!.market.get('SYN2USDT')!;
    // Bybit lists a symbol in both categories; the simulator matches each category on its own.
    const spot = makeInstrument({ ...spotTruth.instrument, symbol: 'SYN2/USDT', kind: 'spot' });
    const { reports, sink } = recorder();
    const c = await connectBybit({
      restUrl: sims.urls.bybit!.rest,
      privateWsUrl: sims.urls.bybit!.ws.replace(/\/v5\/public\/linear$/, '/v5/private'),
      credentials: makeCredentials({
        exchange: 'bybit',
        apiKey: account.apiKey,
        apiSecret: apiSecret ?? account.apiSecret,
      }),
      instruments: [linear.instrument, spot],
      wallClock: { nowMs: () => Date.now() + skewMs },
      log: wire.log,
      fetch: wire.recordingFetch((_input, init) => {
        const sig = new Headers(init?.headers).get('x-bapi-sign');
        return sig ? [sig] : [];
      }),
      reconnectDelayMs: 20,
      ...(dcpWindowS !== undefined ? { dcpWindowS } : {}),
    });
    c.venue.connect(sink);
    opened.keep(c);
    return { c, linear, spotTruth, reports, sims, api: sims.venues.bybit!.privateApi };
  }

  it('linear: acked and filled, PostOnly crossing rejected, amend, cancel-all → /sim/state shows none', async () => {
    const { c, linear, reports, sims, api } = await setUp();
    const ask = linear.book.bestAsk();
    const bid = linear.book.bestBid();
    const take = order({ side: 'buy', price: ask, size: 10, ioc: true });
    c.venue.submit(take, 'take-1', 0);
    const rest1 = order({ side: 'buy', price: bid - 50, size: 10 });
    c.venue.submit(rest1, 'rest-1', 0);
    const rest2 = order({ side: 'buy', price: bid - 60, size: 10, postOnly: true });
    c.venue.submit(rest2, 'rest-2', 0);
    const cross = order({ side: 'buy', price: ask, size: 10, postOnly: true });
    c.venue.submit(cross, 'cross-1', 0);
    await c.venue.settled();
    await until(() => reports.some((r) => r.kind === 'rejected'), 2000, 'the PostOnly rejection');
    await until(() => reports.filter((r) => r.kind === 'accepted').length === 3, 2000, 'three acks');
    expect(reports).toContainEqual({ kind: 'rejected', id: cross.request.id, reason: 'post_only_cross' });
    expect(acceptedIds(reports)).toEqual([take.request.id, rest1.request.id, rest2.request.id].sort());
    const filled = filledSize(reports, take.request.id);
    expect(filled).toBeGreaterThan(0);
    c.venue.amend(
      amend({ id: rest1.request.id, instrument: 0, side: 'buy', price: bid - 55, size: 12 }),
      'rest-1',
      0,
    );
    await c.venue.settled();
    expect(reports).toContainEqual({ kind: 'amended', id: rest1.request.id, size: 12 });
    const open = await c.venue.openOrders();
    expect(open.map((o) => [o.clientOrderId, o.size]).sort()).toEqual([
      ['rest-1', 12],
      ['rest-2', 10],
    ]);
    expect((await state(sims)).openOrders).toHaveLength(2);
    await c.venue.cancelAll();
    const after = await state(sims);
    expect(after.openOrders).toHaveLength(0);
    expect(
      reports
        .filter((r) => r.kind === 'canceled')
        .map((r) => r.id)
        .sort(),
    ).toEqual([rest1.request.id, rest2.request.id].sort());
    // Position, reduce-only larger than it refused (110017), fills and balances agree with the simulator.
    expect(await c.venue.positions()).toEqual([
      { instrument: 0, size: filled, entryPrice: expect.any(String) },
    ]);
    const ro = order({ side: 'sell', price: linear.book.bestBid(), size: filled + 10 });
    c.venue.submitReduceOnly(ro, 'ro-1');
    await c.venue.settled();
    expect(reports).toContainEqual({ kind: 'rejected', id: ro.request.id, reason: 'venue_rejected' });
    const venueFills = await c.venue.fills(0);
    expect(venueFills.map((f) => f.tradeId).sort()).toEqual(after.fills.map((f) => f.execId).sort());
    expect(venueFills.map((f) => f.tradeId).sort()).toEqual(
      reports
        .filter((r) => r.kind === 'filled')
        .map((r) => r.tradeId)
        .sort(),
    );
    const usdt = (await c.venue.balances()).find((b) => b.asset === 'USDT')!;
    expect(usdt).toEqual({ asset: 'USDT', free: after.balances.USDT!.free, locked: '0' });
    expect(await c.venue.queryOrder(take.request.id)).toMatchObject({
      orderLinkId: 'take-1',
      timeInForce: 'IOC',
    });
    expect(c.limits.forPath('/v5/order/create').limiter.stats.granted).toBe(5);
    wire.expectNoSecretsLogged(account.apiSecret, account.apiKey);
    // A clean close leaves the stream's dcp topics first: no disconnect-cancel window starts.
    expect(c.disconnectCancel?.arms).toBe(2);
    opened.forget(c);
    await c.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(api.dcp.pending).toBe(0);
  });

  it('spot: a market buy in base units fills, a sell without the coin is refused (170131)', async () => {
    const { c, spotTruth, reports, sims } = await setUp();
    const buy = order({ instrument: 1, side: 'buy', type: 'market', price: Number.NaN, size: 5 });
    c.venue.submit(buy, 'spot-mkt', 0);
    await c.venue.settled();
    await until(
      () => reports.some((r) => r.kind === 'filled' && r.id === buy.request.id),
      2000,
      'the spot fill',
    );
    const bought = filledSize(reports, buy.request.id);
    expect(bought).toBe(5);
    const s = await state(sims);
    expect(s.fills.every((f) => f.orderLinkId === 'spot-mkt')).toBe(true);
    const syn2 = (await c.venue.balances()).find((b) => b.asset === 'SYN2')!;
    expect(syn2.free).toBe(s.balances.SYN2!.free);
    const sell = order({ instrument: 1, side: 'sell', price: spotTruth.book.bestAsk() + 100, size: 100 });
    c.venue.submit(sell, 'spot-sell', 0);
    await c.venue.settled();
    expect(reports).toContainEqual({ kind: 'rejected', id: sell.request.id, reason: 'insufficient_margin' });
    expect(logs.some((l) => l.includes('retCode 170131'))).toBe(true);
  });

  it('a bad signature surfaces 10004 as a halt; the private stream auth is refused; nothing secret is logged', async () => {
    const bad = 'wrong-secret-wrong-secret';
    const { c, linear, reports } = await setUp(bad);
    expect(c.disconnectCancel?.failures).toBe(2);
    expect(c.stream.counters.refusals).toBe(1);
    expect(c.stream.connected).toBe(false);
    c.venue.submit(order({ side: 'buy', price: linear.book.bestBid() - 50, size: 10 }), 'bad-1', 0);
    await c.venue.settled();
    expect(reports.find((r) => r.kind === 'rejected')?.reason).toBe('trading_halted');
    expect(c.venue.counters.halts).toBe(1);
    const error = await c.rest
      .signed('GET', '/v5/order/realtime', { category: 'linear', symbol: linear.venueSymbol })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueRequestError);
    expect((error as VenueRequestError).outcome).toMatchObject({ kind: 'halt', code: 10004 });
    expect(logs.some((l) => l.includes('retCode 10004'))).toBe(true);
    expect(logs.some((l) => l.includes('private stream auth refused'))).toBe(true);
    wire.expectNoSecretsLogged(bad, account.apiKey);
    for (const line of logs) expect(line).not.toContain(account.apiSecret);
  });

  it('a 2 s clock skew → 10002 → resync → the order goes through', async () => {
    const { c, linear, reports } = await setUp();
    skewMs = 2000;
    const resyncsBefore = c.rest.stats.resyncs;
    const o = order({ side: 'buy', price: linear.book.bestBid() - 50, size: 10 });
    c.venue.submit(o, 'skew-1', 0);
    await c.venue.settled();
    expect(logs.some((l) => l.includes('recv_window'))).toBe(true);
    expect(c.rest.stats.resyncs).toBe(resyncsBefore + 1);
    expect(c.serverClock.offsetMs).toBeLessThan(-1500);
    await until(() => reports.some((r) => r.kind === 'accepted' && r.id === o.request.id), 2000, 'the ack');
    wire.expectNoSecretsLogged(account.apiSecret, account.apiKey);
  });

  it('the private stream dropped mid-fill → the fill is recovered by REST query and counted once', async () => {
    const { c, linear, reports, sims, api } = await setUp();
    api.faults.dropNextFillMessage();
    const o = order({ side: 'buy', price: linear.book.bestAsk(), size: 10 });
    c.venue.submit(o, 'drop-1', 0);
    await c.venue.settled();
    await until(() => api.faults.injected.dropped_fill === 1, 2000, 'the dropped fill');
    const venueFills = (await state(sims)).fills;
    expect(venueFills.length).toBeGreaterThan(0);
    expect(api.faults.disconnectPrivateStreams()).toBe(1);
    expect(api.faults.injected.stream_disconnect).toBe(1);
    await until(
      () => c.venue.counters.recoveries === 1 && c.stream.connected,
      3000,
      'reconnect and recovery',
    );
    await until(
      () => reports.filter((r) => r.kind === 'filled').length === venueFills.length,
      3000,
      'the recovered fills',
    );
    const fills = reports.filter((r) => r.kind === 'filled');
    expect(fills.map((f) => f.tradeId).sort()).toEqual(venueFills.map((f) => f.execId).sort());
    // The lost stream message arriving late after all (same execId) is dropped, not counted twice.
    const late = venueFills[0]!;
    c.venue.onStreamFrame({
      topic: 'execution',
      data: [{ ...late, symbol: linear.venueSymbol, execType: 'Trade', execTime: String(Date.now()) }],
    });
    expect(c.venue.counters.duplicateFills).toBe(1);
    expect(reports.filter((r) => r.kind === 'filled')).toHaveLength(fills.length);
    // The venue's dcp guard came back with the stream: no window left running.
    expect(api.dcp.pending).toBe(0);
  });

  it('a duplicated fill message is reported once; an injected reject and a delayed ack are handled', async () => {
    const { c, linear, reports, api } = await setUp();
    api.faults.duplicateNextFillMessage();
    const o = order({ side: 'buy', price: linear.book.bestAsk(), size: 10 });
    c.venue.submit(o, 'dup-1', 0);
    await c.venue.settled();
    await until(
      () => api.faults.injected.duplicated_fill === 1 && c.venue.counters.duplicateFills >= 1,
      2000,
      'the duplicate',
    );
    const tradeIds = reports.filter((r) => r.kind === 'filled').map((r) => r.tradeId);
    expect(tradeIds.length).toBeGreaterThan(0);
    expect(new Set(tradeIds).size).toBe(tradeIds.length);
    api.faults.rejectNextOrder(110007, 'ab not enough for new order');
    const r = order({ side: 'buy', price: linear.book.bestBid() - 50, size: 10 });
    c.venue.submit(r, 'rej-1', 0);
    await c.venue.settled();
    expect(api.faults.injected.reject).toBe(1);
    expect(reports).toContainEqual({ kind: 'rejected', id: r.request.id, reason: 'insufficient_margin' });
    api.faults.delayNextAck(150);
    const d = order({ side: 'buy', price: linear.book.bestBid() - 50, size: 10 });
    c.venue.submit(d, 'delay-1', 0);
    await c.venue.settled();
    expect(api.faults.injected.delayed_ack).toBe(1);
    expect(reports).toContainEqual({ kind: 'accepted', id: d.request.id });
  });

  it('disconnect-cancel: the private stream dies without leaving → the venue cancels after the window', async () => {
    const { c, linear, reports, sims, api } = await setUp(undefined, 3);
    const o = order({ side: 'buy', price: linear.book.bestBid() - 50, size: 10 });
    c.venue.submit(o, 'dcp-1', 0);
    await c.venue.settled();
    await until(() => reports.some((r) => r.kind === 'accepted'), 2000, 'the ack');
    // The task "dies": its socket drops and nothing reconnects.
    c.stream.stop();
    // One window per armed product (DERIVATIVES for the linear instrument, SPOT for the spot one).
    await until(() => api.dcp.pending === 2, 2000, 'the windows to start');
    expect((await state(sims)).openOrders).toHaveLength(1);
    await until(() => api.dcp.fired === 2, 5000, 'disconnect-cancel');
    expect((await state(sims)).openOrders).toHaveLength(0);
  });
});
