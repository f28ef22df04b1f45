/**
 * The Binance adapters over the wire against the simulator's signed private API: acks and fills,
 * cancel-all checked on /sim/state, a bad signature surfacing -1022, a 2 s clock skew → -1021 →
 * resync → success, the private stream cut mid-fill → the fill recovered by REST and counted once,
 * the USD-M dead-man switch; every log line searched for the secret and every signature sent.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/time/manual-clock.ts';
import { connectBinance } from '../../fargate/execution/binance/connect-binance.ts';
import { CountdownCancelAll } from '../../fargate/execution/binance-futures/countdown-cancel-all.ts';
import { makeCredentials } from '../../fargate/execution/credentials.ts';
import { VenueRequestError } from '../../fargate/execution/execution-outcome.ts';
import { loadLocalAccounts } from '../../local/exchanges/private/local-accounts.ts';
import { startSimulators } from '../../local/exchanges/start-simulators.ts';
import {
  acceptedIds,
  amend,
  filledSize,
  order,
  perTestWire,
  recorder,
  type SimAccountState,
  simState,
  until,
} from '../support/execution-harness.ts';

const accounts = loadLocalAccounts();

interface BinanceState extends Omit<SimAccountState, 'fills'> {
  fills: Array<{ id: number; orderId: number }>;
}

describe('Binance execution over the wire to the simulator', () => {
  const { wire, opened } = perTestWire();
  const { logs } = wire;

  /** Our host clock's error, ms (changed by the skew test after connecting). */
  let skewMs = 0;

  async function setUp(exchange: 'binance' | 'binance-futures', apiSecret?: string) {
    skewMs = 0;
    const sims = opened.keep(
      await startSimulators({ venues: [exchange], source: 'synthetic', symbols: 2, autoStart: false }),
    );
    sims.synthetic(exchange)!.stepMany(50);
    const truth = sims.venues[exchange]!.market.get('SYN1USDT')!;
    const account = accounts[exchange];
    const rest = sims.urls[exchange]!.rest;
    const ws = sims.urls[exchange]!.ws;
    const { reports, sink } = recorder();
    const c = await connectBinance({
      exchange,
      restUrl: rest,
      wsUrl: exchange === 'binance' ? `${ws}/ws-api/v3` : ws,
      credentials: makeCredentials({
        exchange,
        apiKey: account.apiKey,
        apiSecret: apiSecret ?? account.apiSecret,
      }),
      instruments: [truth.instrument],
      wallClock: { nowMs: () => Date.now() + skewMs },
      log: wire.log,
      fetch: wire.recordingFetch((input) => {
        const sig = new URL(String(input)).searchParams.get('signature');
        return sig ? [sig] : [];
      }),
      reconnectDelayMs: 20,
      countdownRefreshMs: 200,
      countdownMs: 1000,
    });
    c.venue.connect(sink);
    opened.keep(c);
    return { c, truth, reports, account, sims };
  }

  it('spot: a marketable limit is acked and filled, a resting one is canceled by cancel-all (/sim/state shows none)', async () => {
    const { c, truth, reports, account, sims } = await setUp('binance');
    const ask = truth.book.bestAsk();
    const bid = truth.book.bestBid();
    const take = order({ side: 'buy', price: ask, size: 10, ioc: true });
    c.venue.submit(take, 'take-1', 0);
    const rest1 = order({ side: 'buy', price: bid - 50, size: 10 });
    c.venue.submit(rest1, 'rest-1', 0);
    const rest2 = order({ side: 'buy', price: bid - 60, size: 10, postOnly: true });
    c.venue.submit(rest2, 'rest-2', 0);
    await c.venue.settled();
    await until(() => reports.some((r) => r.kind === 'filled' && r.id === take.request.id), 2000, 'the fill');
    expect(acceptedIds(reports)).toEqual([take.request.id, rest1.request.id, rest2.request.id].sort());
    const filled = filledSize(reports, take.request.id);
    expect(filled).toBeGreaterThan(0);
    expect((await simState<BinanceState>(sims, 'binance', account.apiKey)).openOrders).toHaveLength(2);
    await c.venue.cancelAll();
    const after = await simState<BinanceState>(sims, 'binance', account.apiKey);
    expect(after.openOrders).toHaveLength(0);
    expect(after.fills.length).toBeGreaterThan(0);
    expect(Number(after.balances.USDT!.locked)).toBe(0);
    expect(
      reports
        .filter((r) => r.kind === 'canceled')
        .map((r) => r.id)
        .sort(),
    ).toEqual([rest1.request.id, rest2.request.id].sort());
    // A market order; then the query and account-query views agree with the simulator's truth.
    const market = order({ side: 'sell', type: 'market', price: Number.NaN, size: 5 });
    c.venue.submit(market, 'mkt-1', 0);
    await c.venue.settled();
    await until(
      () => reports.some((r) => r.kind === 'filled' && r.id === market.request.id),
      2000,
      'the market fill',
    );
    expect(await c.venue.queryOrder(market.request.id)).toMatchObject({
      clientOrderId: 'mkt-1',
      status: 'FILLED',
      type: 'MARKET',
    });
    const simFills = (await simState<BinanceState>(sims, 'binance', account.apiKey)).fills;
    const venueFills = await c.venue.fills(0);
    expect(venueFills.map((f) => f.tradeId).sort()).toEqual(simFills.map((f) => String(f.id)).sort());
    expect(venueFills.map((f) => f.tradeId).sort()).toEqual(
      reports
        .filter((r) => r.kind === 'filled')
        .map((r) => r.tradeId)
        .sort(),
    );
    // The balance view through the account-query port agrees with the simulator.
    const balances = await c.venue.balances();
    const now = (await simState<BinanceState>(sims, 'binance', account.apiKey)).balances;
    expect(balances.find((b) => b.asset === 'USDT')!.free).toBe(now.USDT!.free);
    expect(balances.find((b) => b.asset === 'SYN1')!.free).toBe(now.SYN1!.free);
    wire.expectNoSecretsLogged(account.apiSecret, c.rest.options.apiKey);
  });

  it('spot: a post-only order that would take is rejected (-2010); amend is a cancel-replace', async () => {
    const { c, truth, reports } = await setUp('binance');
    const cross = order({
      side: 'buy',
      price: truth.book.bestAsk(),
      size: 10,
      postOnly: true,
    });
    c.venue.submit(cross, 'po-1', 0);
    const resting = order({ side: 'buy', price: truth.book.bestBid() - 40, size: 10 });
    c.venue.submit(resting, 'am-1', 0);
    await c.venue.settled();
    expect(reports).toContainEqual({ kind: 'rejected', id: cross.request.id, reason: 'post_only_cross' });
    c.venue.amend(
      amend({
        id: resting.request.id,
        instrument: 0,
        side: 'buy',
        price: truth.book.bestBid() - 45,
        size: 8,
      }),
      'am-1',
      0,
    );
    await c.venue.settled();
    expect(reports).toContainEqual({ kind: 'amended', id: resting.request.id, size: 8 });
    const open = await c.venue.openOrders();
    expect(open).toHaveLength(1);
    expect(open[0]!.clientOrderId).toBe('am-1_a1');
    expect(open[0]!.size).toBe(8);
  });

  it('a bad signature surfaces -1022 as a halt, and the secret appears in no log line', async () => {
    const account = accounts.binance;
    await expect(setUpBadSignature()).rejects.toSatisfy((e: unknown) => {
      return e instanceof VenueRequestError && e.outcome.kind === 'halt' && e.outcome.code === -1022;
    });
    async function setUpBadSignature() {
      const { c, truth, reports } = await setUp('binance', 'wrong-secret-wrong-secret');
      c.venue.submit(order({ side: 'buy', price: truth.book.bestBid() - 50, size: 10 }), 'bad-1', 0);
      await c.venue.settled();
      const rejected = reports.find((r) => r.kind === 'rejected');
      expect(rejected?.reason).toBe('trading_halted');
      expect(c.venue.counters.halts).toBe(1);
      await until(() => c.stream.counters.refusals === 1, 2000, 'the refused stream subscribe');
      expect(logs.some((l) => l.includes('subscribe refused: code -1022'))).toBe(true);
      wire.expectNoSecretsLogged('wrong-secret-wrong-secret', c.rest.options.apiKey);
      // And the raw error, as a caller of the REST client sees it:
      await c.rest.signed('GET', '/api/v3/openOrders', { symbol: truth.venueSymbol }, 6);
    }
    expect(logs.some((l) => l.includes('-1022'))).toBe(true);
    for (const line of logs) {
      expect(line).not.toContain(account.apiSecret);
      expect(line).not.toContain('wrong-secret-wrong-secret');
      expect(line).not.toContain(account.apiKey);
    }
  });

  it('a 2 s clock skew → -1021 → resync → the order goes through', async () => {
    const { c, truth, reports } = await setUp('binance');
    // The host clock jumps 2 s ahead after the start-up sync.
    skewMs = 2000;
    const resyncsBefore = c.rest.stats.resyncs;
    const o = order({ side: 'buy', price: truth.book.bestBid() - 50, size: 10 });
    c.venue.submit(o, 'skew-1', 0);
    await c.venue.settled();
    expect(logs.some((l) => l.includes('recvWindow'))).toBe(true);
    expect(c.rest.stats.resyncs).toBe(resyncsBefore + 1);
    expect(Math.abs(c.serverClock.nowMs() - Date.now())).toBeLessThan(500);
    expect(c.serverClock.offsetMs).toBeLessThan(-1500);
    expect(reports).toContainEqual({ kind: 'accepted', id: o.request.id });
    wire.expectNoSecretsLogged(accounts.binance.apiSecret, c.rest.options.apiKey);
  });

  it('the private stream dropped mid-fill → the fill is recovered by REST query and counted once', async () => {
    const { c, truth, reports, account, sims } = await setUp('binance');
    const faults = sims.venues.binance!.privateApi.faults;
    faults.dropNextFillMessage();
    const o = order({ side: 'buy', price: truth.book.bestAsk(), size: 10 });
    c.venue.submit(o, 'drop-1', 0);
    await c.venue.settled();
    expect(faults.injected.dropped_fill).toBe(1);
    const venueFills = (await simState<BinanceState>(sims, 'binance', account.apiKey)).fills.filter(
      (f) => f.orderId > 0,
    );
    expect(venueFills.length).toBeGreaterThan(0);
    expect(faults.disconnectPrivateStreams()).toBe(1);
    expect(faults.injected.stream_disconnect).toBe(1);
    await until(
      () => c.venue.counters.recoveries === 1 && c.stream.connected,
      3000,
      'reconnect and recovery',
    );
    await until(() => reports.some((r) => r.kind === 'filled'), 3000, 'the recovered fill');
    const fills = reports.filter((r) => r.kind === 'filled');
    expect(fills.map((f) => f.tradeId).sort()).toEqual(venueFills.map((f) => String(f.id)).sort());
    // The lost stream message arriving late after all (same trade id) is dropped, not counted twice.
    const late = venueFills[0] as unknown as { id: number; price: string; qty: string };
    c.venue.onStreamEvent({
      e: 'executionReport',
      s: truth.venueSymbol,
      c: 'drop-1',
      x: 'TRADE',
      X: 'FILLED',
      i: 1,
      l: late.qty,
      L: late.price,
      n: '0',
      N: 'USDT',
      t: late.id,
      m: false,
      T: Date.now(),
    });
    expect(c.venue.counters.duplicateFills).toBe(1);
    expect(reports.filter((r) => r.kind === 'filled')).toHaveLength(fills.length);
  });

  it('a duplicated fill message is reported once; an injected reject and a delayed ack are handled', async () => {
    const { c, truth, reports, sims } = await setUp('binance');
    const faults = sims.venues.binance!.privateApi.faults;
    faults.duplicateNextFillMessage();
    const o = order({ side: 'buy', price: truth.book.bestAsk(), size: 10 });
    c.venue.submit(o, 'dup-1', 0);
    await c.venue.settled();
    await until(
      () => faults.injected.duplicated_fill === 1 && c.venue.counters.duplicateFills >= 1,
      2000,
      'the duplicate',
    );
    const tradeIds = reports.filter((r) => r.kind === 'filled').map((r) => r.tradeId);
    expect(new Set(tradeIds).size).toBe(tradeIds.length);
    faults.rejectNextOrder();
    const r = order({ side: 'buy', price: truth.book.bestBid() - 50, size: 10 });
    c.venue.submit(r, 'rej-1', 0);
    faults.delayNextAck(150);
    await c.venue.settled();
    expect(faults.injected.reject).toBe(1);
    expect(reports).toContainEqual({ kind: 'rejected', id: r.request.id, reason: 'insufficient_margin' });
    const d = order({ side: 'buy', price: truth.book.bestBid() - 50, size: 10 });
    c.venue.submit(d, 'delay-1', 0);
    await c.venue.settled();
    expect(faults.injected.delayed_ack).toBe(1);
    expect(reports).toContainEqual({ kind: 'accepted', id: d.request.id });
  });

  it('USD-M: listenKey stream, fill and position, reduce-only, modify, dead-man switch cancels when not refreshed', async () => {
    const { c, truth, reports, account, sims } = await setUp('binance-futures');
    expect(c.countdown?.arms).toBe(1);
    const buy = order({ side: 'buy', price: truth.book.bestAsk(), size: 10, ioc: true });
    c.venue.submit(buy, 'f-buy', 0);
    await c.venue.settled();
    await until(() => reports.some((r) => r.kind === 'filled'), 2000, 'the futures fill');
    const filled = filledSize(reports);
    const positions = await c.venue.positions();
    expect(positions).toEqual([{ instrument: 0, size: filled, entryPrice: expect.any(String) }]);
    // Reduce-only larger than the position is refused (-2022).
    c.venue.submitReduceOnly(order({ side: 'sell', price: truth.book.bestBid(), size: filled + 10 }), 'f-ro');
    const rest = order({
      side: 'buy',
      price: truth.book.bestBid() - 50,
      size: 10,
      postOnly: true,
    });
    c.venue.submit(rest, 'f-rest', 0);
    await c.venue.settled();
    expect(reports.some((r) => r.kind === 'rejected' && r.reason === 'venue_rejected')).toBe(true);
    c.venue.amend(
      amend({
        id: rest.request.id,
        instrument: 0,
        side: 'buy',
        price: truth.book.bestBid() - 55,
        size: 12,
      }),
      'f-rest',
      0,
    );
    await c.venue.settled();
    expect(reports).toContainEqual({ kind: 'amended', id: rest.request.id, size: 12 });
    expect((await simState<BinanceState>(sims, 'binance-futures', account.apiKey)).openOrders).toHaveLength(
      1,
    );
    // The task "dies": its last arm is never refreshed (a clock that never moves), and the venue's
    // countdown cancels the order.
    await c.countdown!.stop();
    const dying = new CountdownCancelAll(c.rest, new ManualClock(), { countdownMs: 300, refreshMs: 100 });
    await dying.arm(truth.venueSymbol);
    expect((await simState<BinanceState>(sims, 'binance-futures', account.apiKey)).openOrders).toHaveLength(
      1,
    );
    await until(
      () => reports.some((r) => r.kind === 'canceled' && r.id === rest.request.id),
      3000,
      'dead-man cancel',
    );
    expect((await simState<BinanceState>(sims, 'binance-futures', account.apiKey)).openOrders).toHaveLength(
      0,
    );
    wire.expectNoSecretsLogged(account.apiSecret, c.rest.options.apiKey);
  });
});
