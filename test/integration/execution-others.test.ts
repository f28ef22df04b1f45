/**
 * The Kraken, KuCoin and Coinbase adapters over the wire against their simulators' signed private
 * APIs and private order streams: per venue, orders acked and filled by the stream (no poll ran),
 * the same fills seen again by a poll reported once, cancel-all checked on /sim/state, a dropped
 * stream message and a dropped stream connection recovered by REST (the faults fired), a bad
 * signature surfacing the venue's own error, and every log line searched for the key, the secret,
 * every signature and every stream token sent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../core/market/instrument.ts';
import { ClientOrderIds } from '../../core/oms/client-order-id.ts';
import { ManualClock } from '../../core/time/manual-clock.ts';
import { connectCoinbase } from '../../fargate/execution/coinbase/connect-coinbase.ts';
import { makeCredentials } from '../../fargate/execution/credentials.ts';
import { VenueRequestError } from '../../fargate/execution/execution-outcome.ts';
import { connectKraken } from '../../fargate/execution/kraken/connect-kraken.ts';
import { connectKucoin } from '../../fargate/execution/kucoin/connect-kucoin.ts';
import { VENUE_CONNECTORS } from '../../fargate/execution/venue-connectors.ts';
import { loadLocalAccounts } from '../../local/exchanges/private/local-accounts.ts';
import { startSimulators } from '../../local/exchanges/start-simulators.ts';
import {
  acceptedIds,
  filledSize,
  order,
  perTestWire,
  recorder,
  simState,
  until,
} from '../support/execution-harness.ts';

const accounts = loadLocalAccounts();

/** Client ids in each venue's form, as the OMS makes them (UUIDs for Kraken and Coinbase). */
const clientIds = new ClientOrderIds({ prefix: 'it', instance: 1, epoch: 7 });

type Venue = 'kraken' | 'kucoin' | 'coinbase';

const { wire, opened } = perTestWire();
const { logs } = wire;

/** Records every signature-bearing header put on the wire. */
const recordingFetch = wire.recordingFetch((_input, init) => {
  const h = (init?.headers ?? {}) as Record<string, string>;
  const found: string[] = [];
  for (const name of ['API-Sign', 'KC-API-SIGN', 'KC-API-PASSPHRASE', 'Authorization'])
    if (h[name]) found.push(h[name].replace(/^Bearer /, ''));
  return found;
});

async function startVenue(exchange: Venue) {
  const sims = opened.keep(
    await startSimulators({ venues: [exchange], source: 'synthetic', symbols: 1, autoStart: false }),
  );
  sims.synthetic(exchange)!.stepMany(50);
  const truth = [...sims.venues[exchange]!.market.symbols()][0]!;
  const { wsUrl } = VENUE_CONNECTORS[exchange]!.simulator(sims.urls[exchange]!);
  return { sims, truth, rest: sims.urls[exchange]!.rest, ws: wsUrl };
}

async function connect(exchange: Venue, rest: string, ws: string, instrument: Instrument, secret?: string) {
  const a = accounts[exchange];
  const credentials = makeCredentials({
    exchange,
    apiKey: a.apiKey,
    apiSecret: secret ?? a.apiSecret,
    ...(a.passphrase ? { passphrase: a.passphrase } : {}),
  });
  const common = {
    restUrl: rest,
    credentials,
    instruments: [instrument],
    log: wire.log,
    fetch: recordingFetch,
    // No fallback poll runs by itself: every poll in these tests is one the test or a recovery made.
    pollMs: 3_600_000,
    reconnectDelayMs: 300,
  };
  const c =
    exchange === 'kraken'
      ? // The simulator keeps no call counter: pace as a generous tier would, so the test does not wait.
        await connectKraken({
          ...common,
          privateWsUrl: ws,
          deadManSwitch: secret === undefined,
          callCounter: { max: 1000, decayPerSecond: 100 },
        })
      : exchange === 'kucoin'
        ? await connectKucoin(common)
        : await connectCoinbase({ ...common, userWsUrl: ws });
  opened.keep(c);
  return c;
}

describe.each(['kraken', 'kucoin', 'coinbase'] as const)(
  '%s execution over the wire to the simulator',
  (exchange) => {
    it('orders are acked and filled by the stream, a poll repeats them once, cancel-all leaves none open (/sim/state)', async () => {
      const { sims, truth, rest, ws } = await startVenue(exchange);
      const account = accounts[exchange];
      const c = await connect(exchange, rest, ws, truth.instrument);
      expect(c.entry.stream?.connected).toBe(true);
      const { reports, sink } = recorder();
      c.venue.connect(sink);
      const ask = truth.book.bestAsk();
      const bid = truth.book.bestBid();
      const take = order({ side: 'buy', price: ask, size: 10, ioc: true });
      c.venue.submit(take, clientIds.next(exchange), 0);
      const rest1 = order({ side: 'buy', price: bid - 50, size: 10 });
      c.venue.submit(rest1, clientIds.next(exchange), 0);
      const rest2 = order({ side: 'buy', price: bid - 60, size: 10, postOnly: true });
      c.venue.submit(rest2, clientIds.next(exchange), 0);
      await c.venue.settled();
      expect(acceptedIds(reports)).toEqual([take.request.id, rest1.request.id, rest2.request.id].sort());
      await until(
        () => c.venue.tracker.get(take.request.id)!.done,
        3000,
        'the IOC order to end by the stream',
      );
      await c.venue.settled();
      // The fill came by the stream: no poll has run, and the stream counted it.
      expect(c.venue.counters.polls).toBe(0);
      expect(filledSize(reports, take.request.id)).toBeGreaterThan(0);
      expect(c.venue.counters.streamFills).toBe(reports.filter((r) => r.kind === 'filled').length);
      expect(c.venue.counters.badStreamMessages).toBe(0);
      await c.venue.poll(); // the fallback poll lists the same trades again: reported once
      expect(c.venue.counters.polledFills).toBe(0);
      expect(c.venue.tracker.counters.duplicateFills).toBeGreaterThan(0);
      expect((await simState(sims, exchange, account.apiKey)).openOrders).toHaveLength(2);
      expect(await c.venue.openOrders()).toHaveLength(2);

      await c.venue.cancelAll();
      const after = await simState(sims, exchange, account.apiKey);
      expect(after.openOrders).toHaveLength(0);
      expect(after.fills.length).toBeGreaterThan(0);
      expect(Number(after.balances.USDT!.locked)).toBe(0);
      expect(
        reports
          .filter((r) => r.kind === 'canceled')
          .map((r) => r.id)
          .sort(),
      ).toEqual([rest1.request.id, rest2.request.id].sort());

      const venueFills = await c.venue.fills(0);
      expect(venueFills.map((f) => f.tradeId).sort()).toEqual(
        reports
          .filter((r) => r.kind === 'filled')
          .map((r) => r.tradeId)
          .sort(),
      );
      const balances = await c.venue.balances();
      const now = (await simState(sims, exchange, account.apiKey)).balances;
      expect(balances.find((b) => b.asset === 'USDT')!.free).toBe(now.USDT!.free);
      wire.expectNoSecretsLogged(account.apiKey, account.apiSecret);
    });

    it('a dropped fill message and a dropped stream connection are recovered by REST, each fill reported once', async () => {
      const { sims, truth, rest, ws } = await startVenue(exchange);
      const account = accounts[exchange];
      const c = await connect(exchange, rest, ws, truth.instrument);
      const { reports, sink } = recorder();
      c.venue.connect(sink);
      const faults = sims.venues[exchange]!.privateApi.faults;
      const fillsOf = (id: number) => reports.filter((r) => r.kind === 'filled' && r.id === id);

      // A lost stream message: the next one shows the gap (Kraken, Coinbase: a sequence skip, then a
      // poll) or the order's end with more filled than reported (KuCoin: the fill history is read).
      faults.dropNextFillMessage();
      const first = order({ side: 'buy', type: 'market', price: Number.NaN, size: 5 });
      c.venue.submit(first, clientIds.next(exchange), 0);
      await until(
        () => c.venue.tracker.get(first.request.id)!.done,
        3000,
        'the order with a dropped fill to end',
      );
      await c.venue.settled();
      expect(faults.injected.dropped_fill).toBe(1);
      expect(fillsOf(first.request.id).length).toBeGreaterThan(0);
      if (exchange === 'kucoin') expect(c.venue.counters.polls).toBe(0);
      else {
        expect(c.venue.counters.sequenceGaps).toBe(1);
        expect(c.venue.counters.polledFills).toBeGreaterThan(0);
      }

      // A lost connection: the order fills while the stream is down; the reconnect's poll reports it.
      const polledBefore = c.venue.counters.polledFills;
      expect(faults.disconnectPrivateStreams()).toBe(1);
      const second = order({ side: 'buy', type: 'market', price: Number.NaN, size: 5 });
      c.venue.submit(second, clientIds.next(exchange), 0);
      await until(() => c.venue.counters.recoveries === 1, 5000, 'the stream to reconnect and recover');
      await until(
        () => c.venue.tracker.get(second.request.id)!.done,
        3000,
        'the order filled while away to end',
      );
      await c.venue.settled();
      expect(faults.injected.stream_disconnect).toBe(1);
      expect(c.entry.stream!.counters.disconnects).toBe(1);
      expect(c.entry.stream!.counters.connects).toBe(2);
      expect(c.venue.counters.polledFills).toBeGreaterThan(polledBefore);
      expect(fillsOf(second.request.id).length).toBeGreaterThan(0);

      const tradeIds = reports.filter((r) => r.kind === 'filled').map((r) => r.tradeId);
      expect(new Set(tradeIds).size).toBe(tradeIds.length);
      expect((await c.venue.fills(0)).map((f) => f.tradeId).sort()).toEqual([...tradeIds].sort());
      wire.expectNoSecretsLogged(account.apiKey, account.apiSecret);
    });

    it("an injected reject is the venue's insufficient-funds error; a bad signature surfaces the venue's error", async () => {
      const { sims, truth, rest, ws } = await startVenue(exchange);
      const account = accounts[exchange];
      {
        const c = await connect(exchange, rest, ws, truth.instrument);
        const { reports, sink } = recorder();
        c.venue.connect(sink);
        sims.venues[exchange]!.privateApi.rejectNextOrder();
        const o = order({ side: 'buy', price: truth.book.bestBid() - 50, size: 10 });
        c.venue.submit(o, clientIds.next(exchange), 0);
        await c.venue.settled();
        expect(sims.venues[exchange]!.privateApi.faults.injected.reject).toBe(1);
        expect(reports).toContainEqual({ kind: 'rejected', id: o.request.id, reason: 'insufficient_margin' });
        await c.close();
      }
      const wrong =
        exchange === 'kraken'
          ? Buffer.alloc(64, 7).toString('base64')
          : exchange === 'coinbase'
            ? otherCoinbaseKey()
            : 'wrong-secret-wrong-secret';
      const attempt = (async () => {
        const c = await connect(exchange, rest, ws, truth.instrument, wrong);
        expect(c.entry.stream!.counters.refusals).toBe(1); // the stream's token or JWT was refused too
        const { reports, sink } = recorder();
        c.venue.connect(sink);
        const o = order({ side: 'buy', price: truth.book.bestBid() - 50, size: 10 });
        c.venue.submit(o, clientIds.next(exchange), 0);
        await c.venue.settled();
        expect(reports.find((r) => r.id === o.request.id)?.reason).toBe('trading_halted');
        expect(c.venue.tracker.counters.halts).toBe(1);
        await c.venue.openOrders();
      })();
      const expected = {
        kraken: (e: VenueRequestError) => e.outcome.message === 'EAPI:Invalid signature',
        // A wrong secret also signs the passphrase wrongly (key version 2): KuCoin answers 400004 first.
        kucoin: (e: VenueRequestError) => e.outcome.code === 400004,
        coinbase: (e: VenueRequestError) => e.httpStatus === 401,
      }[exchange];
      await expect(attempt).rejects.toSatisfy(
        (e: unknown) => e instanceof VenueRequestError && e.outcome.kind === 'halt' && expected(e),
      );
      wire.expectNoSecretsLogged(account.apiKey, account.apiSecret);
      for (const line of logs) expect(line).not.toContain(wrong);
    });
  },
);

function otherCoinbaseKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

describe('kraken dead-man switch over the wire', () => {
  it('CancelAllOrdersAfter is armed at connect and refreshed; when refreshes stop, the venue cancels everything', async () => {
    const { sims, truth, rest } = await startVenue('kraken');
    const account = accounts.kraken;
    const clock = new ManualClock(Date.now());
    const c = await connectKraken({
      restUrl: rest,
      credentials: makeCredentials({
        exchange: 'kraken',
        apiKey: account.apiKey,
        apiSecret: account.apiSecret,
      }),
      instruments: [truth.instrument],
      clock,
      log: wire.log,
      fetch: recordingFetch,
      pollMs: 3_600_000,
      callCounter: { max: 1000, decayPerSecond: 100 },
      cancelAfterS: 1,
      cancelAfterRefreshMs: 500,
    });
    opened.keep(c);
    expect(c.cancelAfter!.refreshes).toBe(1);
    const first = c.cancelAfter!.triggerTime;
    expect(Date.parse(first)).toBeGreaterThan(Date.now() - 1000);
    const { reports, sink } = recorder();
    c.venue.connect(sink);
    const o = order({ side: 'buy', price: truth.book.bestBid() - 50, size: 10 });
    c.venue.submit(o, clientIds.next('kraken'), 0);
    await c.venue.settled();
    clock.advance(500); // our refresh timer fires: the venue's timer restarts
    await until(() => c.cancelAfter!.refreshes === 2, 2000, 'the refresh');
    expect((await simState(sims, 'kraken', account.apiKey)).openOrders).toHaveLength(1);
    // No more refreshes (our clock stands still, as a hung process's would): the venue's timer fires.
    await until(
      async () => (await simState(sims, 'kraken', account.apiKey)).openOrders.length === 0,
      3000,
      'the venue-side cancel',
    );
    await c.venue.poll();
    expect(reports).toContainEqual({ kind: 'canceled', id: o.request.id });
    opened.forget(c);
    await c.close();
    expect(c.cancelAfter!.triggerTime).toBe('0'); // disarmed on close
    wire.expectNoSecretsLogged(account.apiKey, account.apiSecret);
  });
});
