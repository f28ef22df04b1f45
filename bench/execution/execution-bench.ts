/**
 * Order entry against the local Binance spot simulator (in this process, real HTTP on loopback):
 * our hand-written adapter against ccxt's `createOrder`, side by side.
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
import { loadLocalAccounts } from '../../local/exchanges/private/local-accounts.ts';
import { startSimulators } from '../../local/exchanges/start-simulators.ts';
import { median } from '../stats.ts';
import { binanceAdapterClient } from './binance-adapter-client.ts';
import { binanceCcxtClient } from './binance-ccxt-client.ts';
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
  'roundTripUs: client call → client holds the ack, real HTTP to the in-process Binance spot simulator, one order at a time; ' +
  'cpuUs: the same submit → ack with the order POST answered by the recorded simulator ack (no I/O: the client’s own CPU, HTTP stack excluded); ' +
  'processCpuUsPerOrder: process.cpuUsage over the round-trip runs ÷ orders (client + simulator + HTTP); ' +
  'p50/p99 per run, median over runs, µs';

const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const f: unknown = runInNewContext('gc');
  return typeof f === 'function' ? (f as () => void) : () => {};
})();

const isSpotOrderPost = (url: string, method: string) =>
  method === 'POST' && new URL(url).pathname === '/api/v3/order';

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

export async function runExecutionBench(options: ExecutionBenchOptions = {}): Promise<ExecutionBenchResult> {
  const runs = options.runs ?? 5;
  const rtOrders = options.roundTripOrders ?? 60;
  const cpuOrders = options.cpuOrders ?? 2000;
  const warmup = options.warmup ?? 200;
  const log = options.log ?? (() => {});
  const account = loadLocalAccounts().binance;
  const sims = await startSimulators({
    venues: ['binance'],
    source: 'synthetic',
    symbols: 1,
    autoStart: false,
  });
  try {
    sims.synthetic('binance')!.stepMany(50);
    const limits = sims.venues.binance!.privateApi.limits;
    // Thousands of orders in seconds: lift the simulator's ORDERS/10 s and weight limits.
    limits.ordersPer10s = 1e9;
    limits.weightPerMinute = 1e9;
    const truth = sims.venues.binance!.market.get('SYN1USDT')!;
    const instrument = truth.instrument;
    const order: RestingOrder = {
      price: truth.book.bestBid() - 50 * instrument.tickSize,
      size: 10 * instrument.lotSize,
    };
    const rest = sims.urls.binance!.rest;
    const wsUrl = `${sims.urls.binance!.ws}/ws-api/v3`;
    const keys = { apiKey: account.apiKey, apiSecret: account.apiSecret };
    const rtTotal = warmup + runs * rtOrders;
    const cpuTotal = warmup + runs * cpuOrders;

    let ack: CannedAck | undefined;
    const adapter = await binanceAdapterClient({
      restUrl: rest,
      wsUrl,
      ...keys,
      instrument,
      order,
      count: rtTotal,
      fetch: recordingFetch(isSpotOrderPost, (a) => {
        ack ??= a;
      }),
    });
    const ccxtClient = await binanceCcxtClient({ restUrl: rest, ...keys, instrument, order });
    const cancelAll = () => adapter.connection.venue.cancelAll();
    log(`execution: binance spot round trip: ${warmup} warm-up + ${runs} × ${rtOrders} orders per client`);
    for (let i = 0; i < warmup; i++) {
      await adapter.submit(i);
      await ccxtClient.submit(i);
    }
    await cancelAll();
    const [adapterRt, ccxtRt] = await interleaved([adapter, ccxtClient], runs, rtOrders, warmup, cancelAll);
    // Every run's orders rested and were cancelled (checked while the connection is warm).
    const open = (await adapter.connection.venue.openOrders()).length;
    if (open !== 0) throw new Error(`${open} bench orders left open on the simulator`);
    await adapter.close();
    const canned = ack;
    if (!canned) throw new Error('no order ack was recorded from the simulator');

    log(
      `execution: binance spot client CPU (canned ack): ${warmup} warm-up + ${runs} × ${cpuOrders} orders per client`,
    );
    const adapterCanned = cannedAckFetch(isSpotOrderPost, canned);
    const ccxtCanned = cannedAckFetch(isSpotOrderPost, canned);
    const adapterCpu = await binanceAdapterClient({
      restUrl: rest,
      wsUrl,
      ...keys,
      instrument,
      order,
      count: cpuTotal,
      fetch: adapterCanned.fetch,
    });
    const ccxtCpu = await binanceCcxtClient({
      restUrl: rest,
      ...keys,
      instrument,
      order,
      fetch: ccxtCanned.fetch,
    });
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
        throw new Error(`${name}: ${f.answered()} of ${cpuTotal} orders went through the canned transport`);
    await adapterCpu.close();
    const perOrder = (rs: readonly Run[]) => round1(median(rs.map((r) => r.cpuUs / r.us.length)));
    return {
      method: EXECUTION_METHOD,
      runs,
      roundTripOrdersPerRun: rtOrders,
      cpuOrdersPerRun: cpuOrders,
      warmupOrders: warmup,
      binance: {
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
      },
    };
  } finally {
    await sims.close();
  }
}
