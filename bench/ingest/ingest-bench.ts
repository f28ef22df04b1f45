/**
 * Live ingest under load: the exchange simulators (synthetic source, `symbols` symbols spread over
 * every configured venue) → the real connectors (startAggregator over real WebSockets and REST, as
 * `npm start` wires them) → exact books; with `record`, also the recorder writing raw frames, books
 * and trades to Parquet in a temp folder.
 *
 * Latency is measured per applied book update as (receive-side clock when the book has been updated,
 * in the feed listener's onBook) − (the simulator's clock when it made the change, which is the
 * exchange timestamp on the wire; the message is sent in the same turn). Both clocks are µs wall
 * time from the high-resolution timer; with the simulators in their own process (the default) the
 * offset between the two processes is measured over IPC and subtracted. Only venues whose wire
 * carries µs timestamps count for the headline: Binance (timeUnit=MICROSECOND), Binance futures,
 * Coinbase, Kraken. Bybit and KuCoin stamp milliseconds: they are reported separately, truncation
 * adds 0–1 ms. Snapshots (REST or in-band) are not latency samples.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import {
  loadVenuesConfig,
  type ResolvedVenue,
  resolveVenues,
  type SimulatorEndpoint,
} from '../../config/venues.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';
import { type Aggregator, startAggregator } from '../../fargate/aggregator/start-aggregator.ts';
import { type Clock, systemClock } from '../../fargate/connectors/clock.ts';
import type { ConnectorListener } from '../../fargate/connectors/connector-events.ts';
import { Recorder, type RecorderStats } from '../../fargate/recorder/recorder.ts';
import { RecorderWiring } from '../../fargate/recorder/recorder-wiring.ts';
import { startSimulators } from '../../local/exchanges/index.ts';
import { ParquetSink } from '../../local/storage/parquet-sink.ts';
import { ThreadedParquetSink } from '../../local/storage/threaded-parquet-sink.ts';
import { microsNow, type SimulatorMark, startSimulatorProcess } from './simulator-process.ts';

export interface IngestBenchOptions {
  /** Symbols over all venues (default 2000). */
  symbols?: number;
  /** Book messages per second per venue (default 2000). */
  messagesPerSecondPerVenue?: number;
  /** Measured seconds (default 20). */
  seconds?: number;
  /** Longest wait for every book to be trusted before measuring (s, default 30). */
  warmupTimeoutSeconds?: number;
  /** Simulators in a child process (default) or in this process. */
  simulators?: 'process' | 'same-process';
  /**
   * Also record raw frames, books and trades to Parquet during the run (default false: the ingest
   * path alone). Batches are 30 s / 100 k rows: 2000 symbols flushed every second would be ~4000
   * new files a second, and creating a file costs ~0.5 ms of CPU on this machine's file system.
   */
  record?: boolean;
  /** Recorder writer threads (ThreadedParquetSink, as `npm start`; default 2); 0 = ParquetSink on the event loop. */
  recordThreads?: number;
  /** This program's entry (re-run as the simulator process). */
  script: string;
  log?: (line: string) => void;
}

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export interface VenueIngest {
  exchange: ExchangeId;
  symbols: number;
  trusted: number;
  messages: number;
  messagesPerSec: number;
  /** Wire timestamps in µs (true) or ms. */
  microsecondWire: boolean;
  latency: LatencySummary;
  gaps: number;
  resyncs: number;
  rejected: number;
}

export interface IngestBenchResult {
  symbols: number;
  venues: VenueIngest[];
  seconds: number;
  messages: number;
  messagesPerSec: number;
  /** Simulator steps (book changes + trades) made during the window: what was offered. */
  offeredPerSec: number;
  /** Latency over the µs-stamped venues: the headline. */
  latency: LatencySummary;
  /** Latency over the ms-stamped venues (Bybit, KuCoin; +0–1 ms of truncation). */
  latencyMsWire: LatencySummary;
  clock: { mode: 'process' | 'same-process'; offsetMicros: number; uncertaintyMicros: number };
  warmupSeconds: number;
  trustedAtStart: number;
  /** This process (connectors, books, recorder): CPU as a share of one core, memory. */
  cpu: { userPct: number; systemPct: number; totalPct: number };
  memory: { rssMb: number; maxRssMb: number; heapUsedMb: number; maxHeapUsedMb: number };
  /** The simulator process, when separate. */
  simulatorCpuPct: number | null;
  simulatorRssMb: number | null;
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number };
  recorder: {
    enabled: boolean;
    /** Writer threads (0: on the event loop). */
    threads: number;
    rows: number;
    rowsPerSec: number;
    written: number;
    dropped: number;
    failed: number;
  } | null;
  machine: { cores: number; loadAverage: number[]; node: string };
}

const MICROSECOND_WIRE: ReadonlySet<ExchangeId> = new Set([
  'binance',
  'binance-futures',
  'coinbase',
  'kraken',
]);

function histogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

function summarize(h: hdr.Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    samples: h.totalCount,
    p50Ms: ms(h.getValueAtPercentile(50)),
    p90Ms: ms(h.getValueAtPercentile(90)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    p999Ms: ms(h.getValueAtPercentile(99.9)),
    maxMs: ms(h.maxValue),
  };
}

/** Spread `total` symbols over the venues: each venue takes the first of its simulator's symbols. */
function split(total: number, venues: readonly ExchangeId[]): Map<ExchangeId, number> {
  const out = new Map<ExchangeId, number>();
  venues.forEach((e, i) => {
    out.set(e, Math.floor(total / venues.length) + (i < total % venues.length ? 1 : 0));
  });
  return out;
}

function totalRows(s: RecorderStats): { accepted: number; written: number; dropped: number; failed: number } {
  const kinds = [s.raw, s.book, s.trade, s.event];
  return {
    accepted: kinds.reduce((n, k) => n + k.accepted, 0),
    written: kinds.reduce((n, k) => n + k.written, 0),
    dropped: kinds.reduce((n, k) => n + k.dropped, 0),
    failed: kinds.reduce((n, k) => n + k.failed, 0),
  };
}

export async function runIngestBench(options: IngestBenchOptions): Promise<IngestBenchResult> {
  const log = options.log ?? (() => {});
  const totalSymbols = options.symbols ?? 2000;
  const rate = options.messagesPerSecondPerVenue ?? 2000;
  const seconds = options.seconds ?? 20;
  const mode = options.simulators ?? 'process';
  const record = options.record ?? false;
  const recordThreads = options.recordThreads ?? 2;
  const config = loadVenuesConfig();
  const enabled = (Object.keys(config.venues) as ExchangeId[]).filter((e) => config.venues[e]?.enabled);
  const perVenue = split(totalSymbols, enabled);
  const simSymbols = Math.max(...perVenue.values());
  const simOptions = { symbols: simSymbols, messagesPerSecond: rate, tradeRatio: 0.1, seed: 1 };

  // One µs clock for both sides: the connectors' timers stay the system clock's.
  const base = systemClock();
  const clock: Clock = { ...base, nowMicros: microsNow };

  log(
    `starting simulators (${mode}): ${enabled.length} venues × ${simSymbols} symbols, ${rate} msg/s per venue…`,
  );
  let stopSimulators: () => Promise<void>;
  let markSimulators: (() => Promise<SimulatorMark>) | undefined;
  let urls: Partial<Record<ExchangeId, { ws: string; rest: string }>>;
  let served: Partial<Record<ExchangeId, string[]>>;
  let offset = { offsetMicros: 0, uncertaintyMicros: 0 };
  if (mode === 'process') {
    const child = await startSimulatorProcess(options.script, simOptions);
    urls = child.urls;
    served = child.symbols;
    offset = await child.calibrate();
    stopSimulators = () => child.stop();
    markSimulators = () => child.mark();
    log(
      `simulator process ${child.pid}; clock offset ${offset.offsetMicros.toFixed(1)} µs ± ${offset.uncertaintyMicros.toFixed(1)} µs`,
    );
  } else {
    const sims = await startSimulators({ source: 'synthetic', ...simOptions, clock: microsNow });
    urls = sims.urls;
    served = {};
    for (const e of Object.keys(sims.urls) as ExchangeId[]) served[e] = sims.symbols(e);
    stopSimulators = () => sims.close();
  }

  const endpoints: Partial<Record<ExchangeId, SimulatorEndpoint>> = {};
  const symbols: Partial<Record<ExchangeId, readonly string[]>> = {};
  for (const e of enabled) {
    const u = urls[e];
    if (!u) throw new Error(`no simulator for ${e}`);
    endpoints[e] = new URL(u.ws).host;
    symbols[e] = (served[e] ?? []).slice(0, perVenue.get(e) ?? 0);
  }
  // Binance stamps µs when asked (the feed reads either unit).
  const venues: ResolvedVenue[] = resolveVenues(config, 'local', endpoints, symbols).map((v) =>
    v.exchange === 'binance' || v.exchange === 'binance-futures'
      ? { ...v, wsUrl: `${v.wsUrl}${v.wsUrl.includes('?') ? '&' : '?'}timeUnit=MICROSECOND` }
      : v,
  );

  let root: string | undefined;
  let recorder: Recorder | undefined;
  if (record) {
    root = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
    recorder = new Recorder({
      sink:
        recordThreads > 0
          ? await ThreadedParquetSink.open({ root, threads: recordThreads })
          : await ParquetSink.open({ root }),
      policy: { maxDelayMs: 30_000, maxRows: 100_000, maxBufferedRows: 200_000 },
    });
  }
  const wiring = recorder ? new RecorderWiring(recorder) : undefined;

  const histograms = new Map<ExchangeId, hdr.Histogram>(enabled.map((e) => [e, histogram()]));
  let measuring = false;
  const lastSnapshots = new WeakMap<SymbolBook, number>();
  const listenerFor = (exchange: ExchangeId): ConnectorListener => {
    const h = histograms.get(exchange)!;
    const recording = wiring?.listenerFor(exchange);
    return {
      onBook(book, changes) {
        recording?.onBook(book);
        if (!measuring) return;
        const now = microsNow();
        const snapshots = book.counters.snapshots;
        if (lastSnapshots.get(book) !== snapshots) {
          lastSnapshots.set(book, snapshots); // a snapshot: not a latency sample
          return;
        }
        if (book.trust !== 'trusted' || book.exchangeTs <= 0 || changes.count === 0) return;
        const us = now - book.exchangeTs - offset.offsetMicros;
        h.recordValue(Math.max(1, Math.round(us)));
      },
      onTrade: (trade) => recording?.onTrade(trade),
      onEvent: (event) => recording?.onEvent(event),
      onAlert: (a) => log(`ALERT ${a.exchange} ${a.kind}: ${a.detail}`),
    };
  };

  log(`connecting to ${venues.length} venues, ${totalSymbols} symbols…`);
  const aggregator: Aggregator = startAggregator({
    venues,
    clock,
    listener: listenerFor,
    ...(wiring ? { rawTap: wiring.rawTap } : {}),
  });
  for (const [exchange, handle] of aggregator.venues) wiring?.attach(exchange, handle.feed);

  try {
    // Warm-up: until every book is trusted (or the timeout), then reset and measure.
    const warmStart = performance.now();
    const timeout = (options.warmupTimeoutSeconds ?? 30) * 1000;
    const trustedCount = () => {
      let n = 0;
      for (const [, handle] of aggregator.venues)
        for (const b of handle.feed.books()) if (b.trust === 'trusted') n++;
      return n;
    };
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const trusted = trustedCount();
      if (trusted >= totalSymbols || performance.now() - warmStart > timeout) break;
    }
    const warmupSeconds = (performance.now() - warmStart) / 1000;
    const trustedAtStart = trustedCount();
    log(
      `${trustedAtStart}/${totalSymbols} books trusted after ${warmupSeconds.toFixed(1)} s; measuring ${seconds} s…`,
    );

    const startCounts = new Map<ExchangeId, number>();
    for (const [e, handle] of aggregator.venues) startCounts.set(e, handle.counters().messages);
    const simBefore = markSimulators ? await markSimulators() : undefined;
    const recBefore = recorder ? totalRows(recorder.stats()) : undefined;
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    let maxRss = 0;
    let maxHeap = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      maxRss = Math.max(maxRss, m.rss);
      maxHeap = Math.max(maxHeap, m.heapUsed);
    }, 500);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    measuring = true;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    measuring = false;
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    loop.disable();
    const simAfter = markSimulators ? await markSimulators() : undefined;
    const mem = process.memoryUsage();
    maxRss = Math.max(maxRss, mem.rss);
    maxHeap = Math.max(maxHeap, mem.heapUsed);

    const us = histogram();
    const msWire = histogram();
    const perVenueResults: VenueIngest[] = [];
    let messages = 0;
    for (const [e, handle] of aggregator.venues) {
      const c = handle.counters();
      const n = c.messages - (startCounts.get(e) ?? 0);
      messages += n;
      const h = histograms.get(e)!;
      (MICROSECOND_WIRE.has(e) ? us : msWire).add(h);
      const books = [...handle.feed.books()];
      perVenueResults.push({
        exchange: e,
        symbols: symbols[e]?.length ?? 0,
        trusted: books.filter((b) => b.trust === 'trusted').length,
        messages: n,
        messagesPerSec: n / elapsed,
        microsecondWire: MICROSECOND_WIRE.has(e),
        latency: summarize(h),
        gaps: c.gaps,
        resyncs: c.resyncs,
        rejected: c.rejected,
      });
    }
    let offered = 0;
    if (simBefore && simAfter)
      for (const e of enabled) offered += (simAfter.steps[e] ?? 0) - (simBefore.steps[e] ?? 0);
    const recAfter = recorder ? totalRows(recorder.stats()) : undefined;
    const pct = (micros: number) => (micros / 1e6 / elapsed) * 100;
    const simCpu =
      simBefore && simAfter
        ? pct(simAfter.cpu.user - simBefore.cpu.user + (simAfter.cpu.system - simBefore.cpu.system))
        : null;
    const result: IngestBenchResult = {
      symbols: totalSymbols,
      venues: perVenueResults,
      seconds: elapsed,
      messages,
      messagesPerSec: messages / elapsed,
      offeredPerSec: simBefore ? offered / elapsed : enabled.length * rate,
      latency: summarize(us),
      latencyMsWire: summarize(msWire),
      clock: { mode, ...offset },
      warmupSeconds,
      trustedAtStart,
      cpu: { userPct: pct(cpu.user), systemPct: pct(cpu.system), totalPct: pct(cpu.user + cpu.system) },
      memory: {
        rssMb: mem.rss / 2 ** 20,
        maxRssMb: maxRss / 2 ** 20,
        heapUsedMb: mem.heapUsed / 2 ** 20,
        maxHeapUsedMb: maxHeap / 2 ** 20,
      },
      simulatorCpuPct: simCpu,
      simulatorRssMb: simAfter ? simAfter.rss / 2 ** 20 : null,
      eventLoopDelay: {
        p50Ms: loop.percentile(50) / 1e6,
        p99Ms: loop.percentile(99) / 1e6,
        maxMs: loop.max / 1e6,
      },
      recorder:
        recBefore && recAfter
          ? {
              enabled: true,
              threads: recordThreads,
              rows: recAfter.accepted - recBefore.accepted,
              rowsPerSec: (recAfter.accepted - recBefore.accepted) / elapsed,
              written: recAfter.written,
              dropped: recAfter.dropped,
              failed: recAfter.failed,
            }
          : null,
      machine: { cores: availableParallelism(), loadAverage: loadavg(), node: process.version },
    };
    return result;
  } finally {
    log('stopping connectors, recorder and simulators…');
    await aggregator.stop();
    await stopSimulators();
    if (recorder) await recorder.close();
    if (root) rmSync(root, { recursive: true, force: true });
    for (const h of histograms.values()) h.destroy();
  }
}
