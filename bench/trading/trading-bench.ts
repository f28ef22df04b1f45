/**
 * The trading path's speed on real data, in one process.
 *
 * Tick to order: the Binance spot and USD-M BTCUSDT captures (test/fixtures) replayed message by
 * message through the real feed into the live trader — book → market-maker → risk gate → OMS →
 * paper venue call — timed with performance.now(). Only ticks that ended in at least one venue call
 * (a submit, amend or cancel the paper venue received; an order the risk gate refused is no venue
 * call and is counted apart in `deniedOrders`) enter the tick-to-order histograms:
 * - `tickToOrderUs` (the definition): from the book updated — the feed's listener called
 *   with the message's level changes already in the book — to the last venue call: paper book,
 *   strategy, risk gate, OMS, venue.
 * - `messageToOrderUs`: the same ticks from the raw message text: `BinanceFeed.onMessage`, i.e. the
 *   parse, the sequence check and the book writes included.
 * `allTicksUs` is every message (parse included), `decisionUs` the order path alone per decision.
 * Heap growth per tick is measured over the whole replay (parse included) after a full GC.
 *
 * The replay runs under config/risk.json with the loss limits widened: the market maker loses on
 * this replay, and a halted breaker would turn every later tick into a refusal instead of a venue
 * call (the bench fails if trading is not ACTIVE at the end). The order-rate limit stays as
 * configured, so some ticks end in refusals: those are in `deniedOrders`, not in the histograms.
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
  /** Book updated (the feed's listener called) → last venue call: paper book, strategy, risk, OMS, venue. */
  readonly tickToOrderUs: Percentiles;
  /** The same ticks from the message text: parse, sequence check and book writes included. */
  readonly messageToOrderUs: Percentiles;
  /**
   * The trading path alone on the same ticks: kernel book callback → strategy → risk → OMS → venue
   * call, without the paper venue's own matching of the message (in live trading the venue's engine
   * does that, on its servers).
   */
  readonly kernelTickToOrderUs: Percentiles;
  /** The paper venue's matching of each message that led to an order (queue positions, due requests). */
  readonly paperVenueBookUs: Percentiles;
  /** Every tick from the message text, whether it led to a venue call or not. */
  readonly allTicksUs: Percentiles;
  /** The order path alone, per decision: strategy callback → risk gate → OMS → venue call. */
  readonly decisionUs: Percentiles;
  readonly ticks: number;
  readonly ticksWithOrders: number;
  readonly venueCalls: number;
  /** Orders the risk gate refused (no venue call; their ticks are not in the histograms). */
  readonly deniedOrders: number;
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

/** config/risk.json with loss limits the replay cannot reach (see the module comment). */
function replayRisk(): RiskParams {
  const base = loadRiskParams();
  const wide = { amount: '1000000000', currency: base.drawdown.maxLoss.currency };
  return {
    ...base,
    drawdown: { ...base.drawdown, maxLoss: wide },
    dailyLoss: { ...base.dailyLoss, maxLoss: { ...wide, currency: base.dailyLoss.maxLoss.currency } },
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
      const before = t.paper.requestsSent;
      const start = performance.now();
      onBook(sb, changes);
      const ns = Math.max(1, Math.round((performance.now() - start) * 1e6));
      record(ns, t.paper.requestsSent - before);
    },
  };
}

function percentiles(h: hdr.Histogram, scale: number): Percentiles {
  const q = (p: number) => Math.round((h.getValueAtPercentile(p) / scale) * 1000) / 1000;
  return { p50: q(50), p99: q(99), p999: q(99.9) };
}

function histogram(): hdr.Histogram {
  // Nanosecond-valued: 1 ns .. 10 s, 3 significant digits.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 1e10,
    numberOfSignificantValueDigits: 3,
  });
}

/**
 * Times the kernel's book callback of `t` in place (the paper venue has matched the message by
 * then); `record` gets the ns and the venue calls it made.
 */
function timeKernelBooks(t: LiveTrader, record: (ns: number, calls: number) => void): void {
  const kernel = t.kernel;
  const onBook = kernel.onBook.bind(kernel);
  kernel.onBook = (instrument, now) => {
    const before = t.paper.requestsSent;
    const start = performance.now();
    onBook(instrument, now);
    const ns = Math.max(1, Math.round((performance.now() - start) * 1e6));
    record(ns, t.paper.requestsSent - before);
  };
}

function tickToOrder(captures: readonly HftbacktestCapture[], rounds: number) {
  const fromMessage = histogram();
  const kernelOnly = histogram();
  const paperBook = histogram();
  const all = histogram();
  const fromBook = histogram();
  const decisions = histogram();
  let ticks = 0;
  let withOrders = 0;
  let calls = 0;
  let denied = 0;
  let heapGrowth = 0;
  for (const capture of captures) {
    const exchange = capture.market === 'usdm' ? 'binance-futures' : 'binance';
    const inst = instrument(exchange);
    const t = trader([inst], replayRisk(), 'market-maker', (us) =>
      decisions.recordValue(Math.max(1, Math.round(us * 1000))),
    );
    let kernelNs = 0;
    let kernelCalls = 0;
    timeKernelBooks(t, (ns, calls) => {
      kernelNs = ns;
      kernelCalls = calls;
    });
    const feed = new BinanceFeed({
      market: capture.market as BinanceMarket,
      instruments: new InstrumentRegistry([inst]),
      listener: timedBooks(
        t.listenerFor(exchange),
        (ns, calls) => {
          if (calls > 0) {
            fromBook.recordValue(ns);
            paperBook.recordValue(Math.max(1, ns - kernelNs));
          }
          if (kernelCalls > 0) kernelOnly.recordValue(kernelNs);
          kernelNs = 0;
          kernelCalls = 0;
        },
        t,
      ),
    });
    const shifted = new ShiftedRounds(capture);
    shifted.prepare(rounds);
    const paper = t.paper;
    feed.onSnapshot(capture.symbol, capture.snapshot.json, capture.snapshot.localTs);
    const deniedBefore = t.kernel.counters.denied;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const span = capture.depth[capture.depth.length - 1]!.localTs - capture.depth[0]!.localTs + 100_000;
    for (let r = 0; r < rounds; r++) {
      const lines = shifted.round(r);
      const ts = shifted.localTs(r);
      for (let i = 0; i < lines.length; i++) {
        const before = paper.requestsSent;
        const start = performance.now();
        feed.onMessage(lines[i]!, ts[i]! + r * span);
        const ns = Math.max(1, Math.round((performance.now() - start) * 1e6));
        all.recordValue(ns);
        const after = paper.requestsSent;
        if (after > before) {
          fromMessage.recordValue(ns);
          withOrders++;
          calls += after - before;
        }
        ticks++;
      }
    }
    heapGrowth += process.memoryUsage().heapUsed - heapBefore;
    denied += t.kernel.counters.denied - deniedBefore;
    if (t.kernel.tradingState !== 'ACTIVE')
      throw new Error(
        `trading bench: ${exchange} replay ended ${t.kernel.tradingState} (${t.kernel.gate.breaker.reason})`,
      );
  }
  return {
    tickToOrderUs: percentiles(fromBook, 1000),
    messageToOrderUs: percentiles(fromMessage, 1000),
    kernelTickToOrderUs: percentiles(kernelOnly, 1000),
    paperVenueBookUs: percentiles(paperBook, 1000),
    allTicksUs: percentiles(all, 1000),
    decisionUs: percentiles(decisions, 1000),
    ticks,
    ticksWithOrders: withOrders,
    venueCalls: calls,
    deniedOrders: denied,
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
  const pct = (p: Percentiles) => `p50 ${p.p50} µs, p99 ${p.p99} µs, p99.9 ${p.p999} µs`;
  log(
    `  ${t.ticksWithOrders} of ${t.ticks} ticks ended in ${t.venueCalls} venue calls (${t.deniedOrders} orders refused by the risk gate)\n` +
      `  tick-to-order (book updated → venue call): ${pct(t.tickToOrderUs)}\n` +
      `  message-to-order (parse included): ${pct(t.messageToOrderUs)}\n` +
      `  trading path alone (kernel book callback → venue call, paper matching excluded): ${pct(t.kernelTickToOrderUs)}; paper venue matching of those messages: ${pct(t.paperVenueBookUs)}\n` +
      `  every tick (parse included): ${pct(t.allTicksUs)}; order path alone: ${pct(t.decisionUs)}; heap ${t.heapBytesPerTick} B/tick`,
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
