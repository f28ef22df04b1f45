/**
 * Order entry against the local Binance spot and Bybit linear simulators (in this process, real HTTP
 * on loopback): our hand-written adapters against ccxt's `createOrder`, side by side, per venue.
 *
 * Round trip: resting limit buys far below the touch, one at a time, timed from the client call
 * to the client holding the ack (adapter: `venue.submit()` → the `accepted` report; ccxt: `await
 * createOrder`). Runs alternate between the two clients (rotating who goes first); every run's
 * orders are cancelled untimed afterwards. `processCpuUsPerOrder` is this process's CPU
 * (`process.cpuUsage`) over a run ÷ its orders: client, simulator and HTTP stack together — the
 * simulator's share is the same for both, so the difference is the clients'.
 *
 * Client CPU: the same clients with their transport swapped for one that answers the order POST
 * with the simulator's recorded ack (canned-ack-fetch.ts): nothing waits on I/O, so submit → ack
 * is the client's own CPU per order — parameters, signing, URL/headers, parsing the ack,
 * bookkeeping — without the HTTP stack, which both share (undici). Each order is timed with
 * performance.now(); a full GC runs before each run.
 *
 * Reported: per run p50/p99 of the per-order times; the figure is the median over runs, µs.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { percentileSorted } from '../../core/backtest/analytics/stats.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { VENUE_CONNECTORS } from '../../fargate/execution/venue-connectors.ts';
import { loadLocalAccounts } from '../../local/exchanges/private/local-accounts.ts';
import { startSimulators } from '../../local/exchanges/start-simulators.ts';
import { median } from '../stats.ts';
import { binanceAdapterClient } from './binance-adapter-client.ts';
import { binanceCcxtClient } from './binance-ccxt-client.ts';
import { bybitAdapterClient } from './bybit-adapter-client.ts';
import { bybitCcxtClient } from './bybit-ccxt-client.ts';
import { type CannedAck, cannedAckFetch, recordingFetch } from './canned-ack-fetch.ts';
import type { OrderClient, RestingOrder } from './order-client.ts';

export interface P50P99 {
  readonly p50: number;
  readonly p99: number;
}

export interface ClientFigures {
  readonly roundTripUs: P50P99;
  readonly cpuUs: P50P99;
  readonly processCpuUsPerOrder: number;
}

export interface ExecutionBenchResult {
  readonly method: string;
  readonly runs: number;
  readonly roundTripOrdersPerRun: number;
  readonly cpuOrdersPerRun: number;
  readonly warmupOrders: number;
  readonly binance: { readonly adapter: ClientFigures; readonly ccxt: ClientFigures };
  readonly bybit: { readonly adapter: ClientFigures; readonly ccxt: ClientFigures };
}

export interface ExecutionBenchOptions {
  /** Runs per client per measurement (default 5). */
  runs?: number;
  /** Round-trip orders per run (default 60: 5 runs × 60 = 300 per client). */
  roundTripOrders?: number;
  /** Canned-transport orders per run (default 2000). */
  cpuOrders?: number;
  /** Orders per client before anything is timed (default 200). */
  warmup?: number;
  log?: (line: string) => void;
}

export const EXECUTION_METHOD =
  'roundTripUs: client call → client holds the ack, real HTTP to the in-process venue simulator (Binance spot, Bybit linear), one order at a time; ' +
  'cpuUs: the same submit → ack with the order POST answered by the recorded simulator ack (no I/O: the client’s own CPU, HTTP stack excluded); ' +
  'processCpuUsPerOrder: process.cpuUsage over the round-trip runs ÷ orders (client + simulator + HTTP); ' +
  'p50/p99 per run, median over runs, µs';

const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const f: unknown = runInNewContext('gc');
  return typeof f === 'function' ? (f as () => void) : () => {};
})();

const round1 = (x: number) => Math.round(x * 10) / 10;

interface Run {
  readonly us: number[];
  readonly cpuUs: number;
}

async function timedRun(client: OrderClient, from: number, count: number): Promise<Run> {
  const us = new Array<number>(count);
  gc();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await client.submit(from + i);
    us[i] = (performance.now() - t0) * 1000;
  }
  const cpu = process.cpuUsage(cpu0);
  return { us, cpuUs: cpu.user + cpu.system };
}

function figure(runs: readonly Run[]): P50P99 {
  const p = (q: number) =>
    round1(
      median(
        runs.map((r) =>
          percentileSorted(
            [...r.us].sort((a, b) => a - b),
            q,
          ),
        ),
      ),
    );
  return { p50: p(50), p99: p(99) };
}

/** Interleaved runs of several clients; `between` runs untimed after each run. */
async function interleaved(
  clients: readonly OrderClient[],
  runs: number,
  perRun: number,
  from: number,
  between: () => Promise<void>,
): Promise<Run[][]> {
  const out: Run[][] = clients.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < clients.length; k++) {
      const c = (r + k) % clients.length;
      out[c]!.push(await timedRun(clients[c]!, from + r * perRun, perRun));
      await between();
    }
  }
  return out;
}

/** One venue under measurement: how to build its two clients against the running simulator. */
interface VenueUnderBench {
  readonly label: string;
  readonly isOrderPost: (url: string, method: string) => boolean;
  adapter(count: number, transport: typeof globalThis.fetch): Promise<AdapterUnderBench>;
  ccxt(transport?: typeof globalThis.fetch): Promise<OrderClient>;
}

interface AdapterUnderBench extends OrderClient {
  cancelAll(): Promise<void>;
  openOrders(): Promise<number>;
  close(): Promise<void>;
}

interface BenchShape {
  readonly runs: number;
  readonly rtOrders: number;
  readonly cpuOrders: number;
  readonly warmup: number;
  readonly log: (line: string) => void;
}

async function benchVenue(
  v: VenueUnderBench,
  b: BenchShape,
): Promise<{ adapter: ClientFigures; ccxt: ClientFigures }> {
  const { runs, rtOrders, cpuOrders, warmup, log } = b;
  const rtTotal = warmup + runs * rtOrders;
  const cpuTotal = warmup + runs * cpuOrders;
  let ack: CannedAck | undefined;
  const adapter = await v.adapter(
    rtTotal,
    recordingFetch(v.isOrderPost, (a) => {
      ack ??= a;
    }),
  );
  const ccxtClient = await v.ccxt();
  const cancelAll = () => adapter.cancelAll();
  log(`execution: ${v.label} round trip: ${warmup} warm-up + ${runs} × ${rtOrders} orders per client`);
  for (let i = 0; i < warmup; i++) {
    await adapter.submit(i);
    await ccxtClient.submit(i);
  }
  await cancelAll();
  const [adapterRt, ccxtRt] = await interleaved([adapter, ccxtClient], runs, rtOrders, warmup, cancelAll);
  // Every run's orders rested and were cancelled (checked while the connection is warm).
  const open = await adapter.openOrders();
  if (open !== 0) throw new Error(`${v.label}: ${open} bench orders left open on the simulator`);
  await adapter.close();
  const canned = ack;
  if (!canned) throw new Error(`${v.label}: no order ack was recorded from the simulator`);

  log(
    `execution: ${v.label} client CPU (canned ack): ${warmup} warm-up + ${runs} × ${cpuOrders} orders per client`,
  );
  const adapterCanned = cannedAckFetch(v.isOrderPost, canned);
  const ccxtCanned = cannedAckFetch(v.isOrderPost, canned);
  const adapterCpu = await v.adapter(cpuTotal, adapterCanned.fetch);
  const ccxtCpu = await v.ccxt(ccxtCanned.fetch);
  for (let i = 0; i < warmup; i++) {
    await adapterCpu.submit(i);
    await ccxtCpu.submit(i);
  }
  const [adapterCpuRuns, ccxtCpuRuns] = await interleaved(
    [adapterCpu, ccxtCpu],
    runs,
    cpuOrders,
    warmup,
    async () => {},
  );
  for (const [name, f] of [
    ['adapter', adapterCanned],
    ['ccxt', ccxtCanned],
  ] as const)
    if (f.answered() !== cpuTotal)
      throw new Error(
        `${v.label} ${name}: ${f.answered()} of ${cpuTotal} orders went through the canned transport`,
      );
  await adapterCpu.close();
  const perOrder = (rs: readonly Run[]) => round1(median(rs.map((r) => r.cpuUs / r.us.length)));
  return {
    adapter: {
      roundTripUs: figure(adapterRt!),
      cpuUs: figure(adapterCpuRuns!),
      processCpuUsPerOrder: perOrder(adapterRt!),
    },
    ccxt: {
      roundTripUs: figure(ccxtRt!),
      cpuUs: figure(ccxtCpuRuns!),
      processCpuUsPerOrder: perOrder(ccxtRt!),
    },
  };
}

/** An adapter client with the venue calls the bench needs between runs. */
function adapterUnderBench(c: {
  readonly name: OrderClient['name'];
  submit(i: number): Promise<void>;
  readonly connection: {
    readonly venue: { cancelAll(): Promise<void>; openOrders(): Promise<readonly unknown[]> };
  };
  close(): Promise<void>;
}): AdapterUnderBench {
  return {
    name: c.name,
    submit: (i) => c.submit(i),
    cancelAll: () => c.connection.venue.cancelAll(),
    openOrders: async () => (await c.connection.venue.openOrders()).length,
    close: () => c.close(),
  };
}

/** A resting buy 50 ticks under the simulator's best bid, 10 lots. */
function restingBuy(truth: {
  readonly instrument: Instrument;
  readonly book: { bestBid(): number };
}): RestingOrder {
  return {
    price: truth.book.bestBid() - 50 * truth.instrument.tickSize,
    size: 10 * truth.instrument.lotSize,
  };
}

export async function runExecutionBench(options: ExecutionBenchOptions = {}): Promise<ExecutionBenchResult> {
  const shape: BenchShape = {
    runs: options.runs ?? 5,
    rtOrders: options.roundTripOrders ?? 60,
    cpuOrders: options.cpuOrders ?? 2000,
    warmup: options.warmup ?? 200,
    log: options.log ?? (() => {}),
  };
  const accounts = loadLocalAccounts();
  const sims = await startSimulators({
    venues: ['binance', 'bybit'],
    source: 'synthetic',
    symbols: 1,
    autoStart: false,
  });
  try {
    sims.synthetic('binance')!.stepMany(50);
    sims.synthetic('bybit')!.stepMany(50);
    // Thousands of orders in seconds: lift the simulators' order-rate and weight limits.
    const binanceLimits = sims.venues.binance!.privateApi.limits;
    binanceLimits.ordersPer10s = 1e9;
    binanceLimits.weightPerMinute = 1e9;
    const bybitLimits = sims.venues.bybit!.privateApi.limits.perSecond;
    for (const path of Object.keys(bybitLimits)) bybitLimits[path] = 1e9;

    const binanceTruth = sims.venues.binance!.market.get('SYN1USDT')!;
    const binanceEndpoints = VENUE_CONNECTORS.binance!.simulator(sims.urls.binance!);
    const binanceKeys = { apiKey: accounts.binance.apiKey, apiSecret: accounts.binance.apiSecret };
    const binanceBase = {
      restUrl: binanceEndpoints.restUrl,
      ...binanceKeys,
      instrument: binanceTruth.instrument,
      order: restingBuy(binanceTruth),
    };
    const binance = await benchVenue(
      {
        label: 'binance spot',
        isOrderPost: (url, method) => method === 'POST' && new URL(url).pathname === '/api/v3/order',
        async adapter(count, fetch) {
          const c = await binanceAdapterClient({
            ...binanceBase,
            wsUrl: binanceEndpoints.wsUrl,
            count,
            fetch,
          });
          return adapterUnderBench(c);
        },
        ccxt: (fetch) => binanceCcxtClient({ ...binanceBase, ...(fetch ? { fetch } : {}) }),
      },
      shape,
    );

    const bybitTruth = sims.venues.bybit!.market.get('SYN1USDT')!;
    const bybitEndpoints = VENUE_CONNECTORS.bybit!.simulator(sims.urls.bybit!);
    const bybitBase = {
      restUrl: bybitEndpoints.restUrl,
      apiKey: accounts.bybit.apiKey,
      apiSecret: accounts.bybit.apiSecret,
      instrument: bybitTruth.instrument,
      order: restingBuy(bybitTruth),
    };
    const bybit = await benchVenue(
      {
        label: 'bybit linear',
        isOrderPost: (url, method) => method === 'POST' && new URL(url).pathname === '/v5/order/create',
        async adapter(count, fetch) {
          const c = await bybitAdapterClient({
            ...bybitBase,
            privateWsUrl: bybitEndpoints.wsUrl,
            count,
            fetch,
          });
          return adapterUnderBench(c);
        },
        ccxt: (fetch) => bybitCcxtClient({ ...bybitBase, ...(fetch ? { fetch } : {}) }),
      },
      shape,
    );
    return {
      method: EXECUTION_METHOD,
      runs: shape.runs,
      roundTripOrdersPerRun: shape.rtOrders,
      cpuOrdersPerRun: shape.cpuOrders,
      warmupOrders: shape.warmup,
      binance,
      bybit,
    };
  } finally {
    await sims.close();
  }
}
