/**
 * The trading path's speed on real data, in one process.
 *
 * Tick to order: the Binance spot and USD-M BTCUSDT captures (test/fixtures) replayed message by
 * message through the real feed into the live trader — book → market-maker → risk gate → OMS →
 * paper venue call — each `onMessage` timed with performance.now(). The histogram holds the ticks
 * that ended in at least one venue call (submit, amend or cancel): that is tick-to-order, parsing
 * and the book included. Heap growth per tick is measured over the whole replay after a full GC.
 *
 * Kill: 50 resting orders on two venues (25 spot, 25 USD-M), then kill: every cancel sent at once
 * and confirmed by the paper venue (its response latency is event time, advanced at once here),
 * timed from the kill call to the last confirmation. This is the kernel's own cost; on a real
 * venue the network's round trip adds to it.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as hdr from 'hdr-histogram-js';
import fees from '../../config/fees.json' with { type: 'json' };
import { configuredInstruments } from '../../config/instruments.ts';
import { loadRiskParams } from '../../config/risk.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import type { RiskParams } from '../../core/risk/risk-params.ts';
import { parseFeeTable } from '../../core/sim/fees/fee-table.ts';
import { resolveSimConfig } from '../../core/sim/sim-config.ts';
import { defaultRegistry, type StrategyDefinition } from '../../core/strategy/registry.ts';
import { BinanceFeed, type BinanceMarket } from '../../core/venues/binance/binance-feed.ts';
import type { ConnectorListener } from '../../fargate/connectors/connector-events.ts';
import { killAndConfirm } from '../../fargate/trading/kill-and-confirm.ts';
import { LiveTrader } from '../../fargate/trading/live-trader.ts';
import type { HftbacktestCapture } from '../load-hftbacktest.ts';
import { ShiftedRounds } from '../shifted-rounds.ts';
import { median } from '../stats.ts';

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
}

export interface TradingBenchResult {
  readonly tickToOrderUs: Percentiles;
  /** Every tick, whether it led to a venue call or not. */
  readonly allTicksUs: Percentiles;
  /** From the book updated (the feed's listener called) to the venue call: paper book, strategy, risk, OMS. */
  readonly bookToOrderUs: Percentiles;
  /** The order path alone, per decision: strategy callback → risk gate → OMS → venue call. */
  readonly decisionUs: Percentiles;
  readonly ticks: number;
  readonly ticksWithOrders: number;
  readonly venueCalls: number;
  readonly heapBytesPerTick: number;
  readonly killAllCancelledMs: Percentiles;
  readonly killOrders: number;
  readonly killRuns: number;
}

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function instrument(exchange: string): Instrument {
  const i = configuredInstruments().find((x) => x.exchange === exchange && x.venueSymbol === 'BTCUSDT');
  if (!i) throw new Error(`no ${exchange} BTCUSDT in config/instruments.json`);
  return i;
}

/** Limits wide enough that the kill bench can rest 50 orders (the gate still runs every check). */
function roomyRisk(): RiskParams {
  const base = loadRiskParams();
  const wide = { maxPosition: '10', maxOrderSize: '1', maxMarketOrderSize: '1' };
  return {
    ...base,
    limits: {
      ...base.limits,
      'BTC/USDT': { ...base.limits['BTC/USDT']!, ...wide },
      'BTC/USDT:USDT': { ...base.limits['BTC/USDT:USDT']!, ...wide },
    },
    orderRate: { perSecond: 100_000, perMinute: 1_000_000 },
    concentration: {
      ...base.concentration,
      minGrossExposure: { ...base.concentration.minGrossExposure, amount: '100000000' },
    },
  };
}

/** A strategy that places nothing by itself: the kill bench places the orders. */
const IDLE: StrategyDefinition = {
  name: 'idle',
  description: 'places no orders',
  params: {},
  create: () => ({}),
};

function trader(
  instruments: readonly Instrument[],
  risk: RiskParams,
  strategy = 'market-maker',
  onDecision?: (us: number) => void,
): LiveTrader {
  return new LiveTrader({
    ...(onDecision ? { onDecision } : {}),
    instruments,
    registry: defaultRegistry().register(IDLE),
    strategy,
    risk,
    fees: parseFeeTable(fees),
    sim: resolveSimConfig({}),
    adminToken: 'bench',
    seed: 1,
    instance: 1,
    epoch: 1,
  });
}

/** The listener with its onBook timed; `record` gets the ns and the venue calls it led to. */
function timedBooks(
  listener: ConnectorListener,
  record: (ns: number, calls: number) => void,
  t: LiveTrader,
): ConnectorListener {
  const onBook = listener.onBook!;
  return {
    ...listener,
    onBook: (sb, changes) => {
      const before = t.kernel.counters.denied + t.paper.requestsSent;
      const start = performance.now();
      onBook(sb, changes);
      const ns = Math.max(1, Math.round((performance.now() - start) * 1e6));
      record(ns, t.kernel.counters.denied + t.paper.requestsSent - before);
    },
  };
}

function percentiles(h: hdr.Histogram, scale: number): Percentiles {
  const q = (p: number) => Math.round((h.getValueAtPercentile(p) / scale) * 1000) / 1000;
  return { p50: q(50), p99: q(99), p999: q(99.9) };
}

function tickToOrder(captures: readonly HftbacktestCapture[], rounds: number) {
  // Nanosecond-valued histogram: 1 ns .. 10 s, 3 significant digits.
  const orders = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 1e10,
    numberOfSignificantValueDigits: 3,
  });
  const all = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 1e10,
    numberOfSignificantValueDigits: 3,
  });
  let ticks = 0;
  let withOrders = 0;
  let calls = 0;
  let heapGrowth = 0;
  const fromBook = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 1e10,
    numberOfSignificantValueDigits: 3,
  });
  const decisions = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 1e10,
    numberOfSignificantValueDigits: 3,
  });
  for (const capture of captures) {
    const exchange = capture.market === 'usdm' ? 'binance-futures' : 'binance';
    const inst = instrument(exchange);
    const t = trader([inst], loadRiskParams(), 'market-maker', (us) =>
      decisions.recordValue(Math.max(1, Math.round(us * 1000))),
    );
    const feed = new BinanceFeed({
      market: capture.market as BinanceMarket,
      instruments: new InstrumentRegistry([inst]),
      listener: timedBooks(
        t.listenerFor(exchange),
        (ns, calls) => {
          if (calls > 0) fromBook.recordValue(ns);
        },
        t,
      ),
    });
    const shifted = new ShiftedRounds(capture);
    shifted.prepare(rounds);
    const kernel = t.kernel;
    feed.onSnapshot(capture.symbol, capture.snapshot.json, capture.snapshot.localTs);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const span = capture.depth[capture.depth.length - 1]!.localTs - capture.depth[0]!.localTs + 100_000;
    for (let r = 0; r < rounds; r++) {
      const lines = shifted.round(r);
      const ts = shifted.localTs(r);
      for (let i = 0; i < lines.length; i++) {
        const before = kernel.counters.denied + t.paper.requestsSent;
        const start = performance.now();
        feed.onMessage(lines[i]!, ts[i]! + r * span);
        const ns = Math.max(1, Math.round((performance.now() - start) * 1e6));
        all.recordValue(ns);
        const after = kernel.counters.denied + t.paper.requestsSent;
        if (after > before) {
          orders.recordValue(ns);
          withOrders++;
          calls += after - before;
        }
        ticks++;
      }
    }
    heapGrowth += process.memoryUsage().heapUsed - heapBefore;
  }
  return {
    tickToOrderUs: percentiles(orders, 1000),
    allTicksUs: percentiles(all, 1000),
    decisionUs: percentiles(decisions, 1000),
    bookToOrderUs: percentiles(fromBook, 1000),
    ticks,
    ticksWithOrders: withOrders,
    venueCalls: calls,
    heapBytesPerTick: Math.round((heapGrowth / Math.max(1, ticks)) * 10) / 10,
  };
}

async function killBench(runs: number) {
  const spot = instrument('binance');
  const usdm = instrument('binance-futures');
  const samples: number[] = [];
  let orders = 0;
  for (let run = 0; run < runs; run++) {
    const t = trader([spot, usdm], roomyRisk(), 'idle');
    const k = t.kernel;
    const books = [spot, usdm].map((inst) => {
      const feed = new BinanceFeed({
        market: inst.exchange === 'binance' ? 'spot' : 'usdm',
        instruments: new InstrumentRegistry([inst]),
        listener: t.listenerFor(inst.exchange),
      });
      const tick = inst.tickSize;
      const p = (units: number) => (units / 10 ** inst.priceScale).toFixed(inst.priceScale);
      const mid = 6_000_000 * 10 ** (inst.priceScale - 2);
      feed.onSnapshot(
        'BTCUSDT',
        JSON.stringify({ lastUpdateId: 100, bids: [[p(mid - tick), '5']], asks: [[p(mid + tick), '5']] }),
        1_000_000,
      );
      return { inst, mid, tick };
    });
    // 25 resting bids per instrument, one tick apart, below the touch.
    const now = 1_000_000;
    for (const [i, b] of books.entries())
      for (let n = 0; n < 25; n++)
        k.submitLimit(i, 'buy', b.mid - (n + 2) * b.tick, 2 * 10 ** (b.inst.sizeScale - 3), {
          postOnly: true,
        });
    t.paper.advance(now + 20_000);
    t.paper.advance(now + 40_000);
    if (k.orders.openCount !== 50) throw new Error(`kill bench: ${k.orders.openCount} of 50 orders resting`);
    orders = k.orders.openCount;
    const start = performance.now();
    const killed = killAndConfirm(k, 'bench');
    t.paper.advance(now + 60_000);
    t.paper.advance(now + 80_000);
    const report = await killed;
    const ms = performance.now() - start;
    if (report.cancelled !== 50 || (k.orders.openCount as number) !== 0 || t.paper.exchange.openOrders !== 0)
      throw new Error(`kill bench: ${report.cancelled} cancelled, ${k.orders.openCount} still open`);
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]! * 1000) / 1000;
  return {
    killAllCancelledMs: { p50: at(50), p99: at(99), p999: at(99.9) },
    killOrders: orders,
    killRuns: runs,
    medianMs: median(samples),
  };
}

export async function runTradingBench(
  captures: readonly HftbacktestCapture[],
  options: { rounds?: number; killRuns?: number; log?: (line: string) => void } = {},
): Promise<TradingBenchResult> {
  const log = options.log ?? (() => {});
  const rounds = options.rounds ?? 10;
  tickToOrder(captures, 1); // warm-up: JIT the whole path
  const t = tickToOrder(captures, rounds);
  log(
    `  tick-to-order: ${t.ticksWithOrders} of ${t.ticks} ticks ended in ${t.venueCalls} venue calls; ` +
      `p50 ${t.tickToOrderUs.p50} µs, p99 ${t.tickToOrderUs.p99} µs, p99.9 ${t.tickToOrderUs.p999} µs; every tick p50 ${t.allTicksUs.p50} µs, p99 ${t.allTicksUs.p99} µs; book → venue call p50 ${t.bookToOrderUs.p50} µs, p99 ${t.bookToOrderUs.p99} µs; order path alone p50 ${t.decisionUs.p50} µs, p99 ${t.decisionUs.p99} µs`,
  );
  const kill = await killBench(options.killRuns ?? 200);
  log(
    `  kill 50 orders on two venues: p50 ${kill.killAllCancelledMs.p50} ms, p99 ${kill.killAllCancelledMs.p99} ms`,
  );
  return {
    ...t,
    killAllCancelledMs: kill.killAllCancelledMs,
    killOrders: kill.killOrders,
    killRuns: kill.killRuns,
  };
}
