/**
 * Recorder throughput: rows/s from `record…()` calls to Parquet files on disk (Recorder →
 * ParquetSink → our Parquet writer), median of several runs, each into a fresh temp folder.
 *
 * A "row" is one record…() call — one raw frame, one top-20 book snapshot (89 numbers: 80 of them
 * price/size units), one trade — whatever the storage layout; so the figure compares across
 * layouts (a long book layout would store 40 rows per snapshot: not counted as 40).
 *
 * Workloads (rows are built before the clock starts; only recording and writing are timed):
 * - real: what recording a real market costs — the bundled Binance spot BTCUSDT capture replayed
 *   through the feed beforehand: per message its frame, the top-20 row after it, and the capture's
 *   trades at its own rate, as `symbols` symbols;
 * - mixed (synthetic, the worst case; the headline): per message the raw frame (a
 *   ~350-character Binance depth diff), a top-20 book row after the applied update, and a trade
 *   after every other message; `symbols` symbols round-robin;
 * - raw, book, trade alone, to show where the time goes.
 * Book states are random (sizes change at every level from one row of a symbol to the next), the
 * worst case for delta encoding: real books change a few levels per update.
 * The producer records in bursts of `burst` rows and yields to the event loop between bursts, as a
 * WebSocket callback would; flushing runs in the background meanwhile. Each run first records and
 * writes the same number of rows untimed (a running recorder's buffers have grown), then times
 * `rows` rows from the first record…() call until all are on disk; CPU time (all threads) is
 * measured too — on a shared machine it is the steadier figure. A run counts only when every row
 * was written (no drops).
 *
 * `npx tsx bench/ingest/recorder-bench.ts [--rows N] [--runs N]` prints the result.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { L2Book } from '../../core/book/l2-book.ts';
import { replayCapture } from '../../core/capture/replay-capture.ts';
import type { TradeEvent } from '../../core/market/events.ts';
import { type Instrument, makeInstrument } from '../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { formatDecimal } from '../../core/num/format-decimal.ts';
import type { RecordingSink } from '../../core/recording/recording-sink.ts';
import type { RecordingKind } from '../../core/recording/recording-tables.ts';
import { seededRandom } from '../../core/sim/random.ts';
import { BinanceFeed } from '../../core/venues/binance/binance-feed.ts';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { readCapture } from '../../local/capture/read-capture.ts';
import { type ParquetCompression, ParquetSink } from '../../local/storage/parquet-sink.ts';
import { ThreadedParquetSink } from '../../local/storage/threaded-parquet-sink.ts';
import { median } from '../stats.ts';

export type RecorderWorkload = 'mixed' | 'raw' | 'book' | 'trade' | 'real';

export interface RecorderBenchOptions {
  /** Rows per run (default 400 000: long enough that the last batch's write is a small part of a run). */
  rows?: number;
  /** Runs of the mixed workload; the median is reported (default 5). */
  runs?: number;
  /** Runs of each single-kind workload (default 3). */
  kindRuns?: number;
  /** Symbols the rows are spread over (default 20). */
  symbols?: number;
  /** Book levels per side (default 20). */
  depth?: number;
  /** Rows recorded between yields to the event loop (default 2000). */
  burst?: number;
  /** Rows per table that start a flush (the recorder's maxRows; default 20 000 ≈ 1 s of a busy session). */
  batchRows?: number;
  /**
   * Which other workloads to measure (default real, raw, book and trade; [] for none). `real` is
   * mixed from a real capture (see realFixture).
   */
  kinds?: Array<'raw' | 'book' | 'trade' | 'real'>;
  compression?: ParquetCompression;
  /**
   * Writer threads: ThreadedParquetSink with this many worker threads (default 2, what `npm start`
   * uses); 0 = ParquetSink on the event loop.
   */
  threads?: number;
}

export interface WorkloadResult {
  /** Median rows/s over the runs. */
  rowsPerSec: number;
  runs: number[];
  rowsPerRun: number;
  /** Rows of each kind per run. */
  rows: Partial<Record<RecordingKind, number>>;
  /** Parquet bytes per row (median run). */
  bytesPerRow: number;
  files: number;
  /** Longest single slice of sink work on the event loop over all runs (ms): the longest the writer held up the feed (threads: the hand-over). */
  longestFillMs: number;
  /** Event-loop time the sink took per row (µs, median run): encoding, or with threads the hand-over. */
  fillMicrosPerRow: number;
  /** CPU time per row, all threads (µs, median of the runs): rows/s on an idle core would be ~1e6 / this. */
  cpuMicrosPerRow: number;
}

export interface RecorderBenchResult {
  /** The headline: median rows/s of the mixed workload. */
  rowsPerSec: number;
  /** Book level values (price or size) written per second in the mixed workload. */
  levelValuesPerSec: number;
  mixed: WorkloadResult;
  byKind: Partial<Record<'raw' | 'book' | 'trade' | 'real', WorkloadResult>>;
  depth: number;
  symbols: number;
  compression: ParquetCompression;
  threads: number;
}

export interface Fixture {
  instruments: Instrument[];
  books: L2Book[][];
  frames: string[];
  trades: TradeEvent[];
  /** The real capture's messages, book states and trades (loaded for the `real` workload). */
  real?: RealFixture;
}

/** Where the real workload's capture is: the bundled hftbacktest Binance spot BTCUSDT diffs. */
const REAL_CAPTURE = 'test/fixtures/binance/hftbacktest_spot_btcusdt_20240808.gz';
/** Book states kept from the capture (each `depth` levels a side). */
const REAL_STATES = 40_000;

interface RealFixture {
  frames: string[];
  /** Top-`depth` levels after each applied message: state k, side (bids 0, asks 1), level l → [price, size]. */
  levels: Float64Array;
  counts: Int32Array;
  states: number;
  depth: number;
  trades: TradeEvent[];
}

/** One side of a stored real book state, as the recorder reads a book. */
class StoredSide {
  state = 0;
  constructor(
    private readonly f: RealFixture,
    private readonly side: 0 | 1,
  ) {}
  private at(): number {
    return (this.state * 2 + this.side) * this.f.depth * 2;
  }
  get count(): number {
    return this.f.counts[this.state * 2 + this.side]!;
  }
  priceAt(i: number): number {
    return this.f.levels[this.at() + i * 2]!;
  }
  sizeAt(i: number): number {
    return this.f.levels[this.at() + i * 2 + 1]!;
  }
  copyLevels(levels: number, out: Float64Array, at: number, stride: number): number {
    const n = Math.min(levels, this.count);
    const from = this.at();
    for (let i = 0; i < n; i++, at += stride) {
      out[at] = this.f.levels[from + i * 2]!;
      out[at + 1] = this.f.levels[from + i * 2 + 1]!;
    }
    return n;
  }
}

/**
 * The real workload's data: the bundled Binance spot BTCUSDT capture (hftbacktest, 2024-08-08)
 * replayed through the feed — its frames as received, the top-`depth` book after each applied
 * message (the first REAL_STATES), and its trades. Real books change a few levels per message:
 * what a recording of a live market costs, where the synthetic rows are the worst case.
 */
export function realFixture(depth: number): RealFixture {
  const capture = readCapture(resolve(REAL_CAPTURE));
  const levels = new Float64Array(REAL_STATES * 2 * depth * 2);
  const counts = new Int32Array(REAL_STATES * 2);
  const trades: TradeEvent[] = [];
  let states = 0;
  const feed = new BinanceFeed({
    market: 'spot',
    instruments: new InstrumentRegistry(),
    listener: {
      onBook(book) {
        if (states >= REAL_STATES) return;
        const base = states * 2;
        counts[base] = book.book.bids.copyLevels(depth, levels, base * depth * 2, 2);
        counts[base + 1] = book.book.asks.copyLevels(depth, levels, (base + 1) * depth * 2, 2);
        states++;
      },
      onTrade: (trade) => {
        trades.push(trade);
      },
    },
  });
  replayCapture(capture.records, feed);
  const frames = capture.records.filter((r) => r.kind === 'message').map((r) => r.body);
  if (states === 0 || frames.length === 0) throw new Error(`${REAL_CAPTURE}: no book states`);
  return { frames, levels, counts, states, depth, trades };
}

const T0 = 1723161253937085;
const STATES_PER_SYMBOL = 32;

export function fixtureFor(symbols: number, depth: number): Fixture {
  // Seeded: the same rows every run.
  const random = seededRandom(42);
  const instruments: Instrument[] = [];
  const books: L2Book[][] = [];
  for (let s = 0; s < symbols; s++) {
    const base = `C${s}`;
    const instrument = makeInstrument({
      exchange: s % 2 === 0 ? 'binance' : 'bybit',
      venueSymbol: `${base}USDT`,
      symbol: `${base}/USDT`,
      base,
      quote: 'USDT',
      kind: 'spot',
      priceScale: 2,
      sizeScale: 8,
    });
    instruments.push(instrument);
    // A random walk of the mid with depth+5 levels a side, sizes 0.001–5 (as units at 1e-8).
    const states: L2Book[] = [];
    let mid = 6_000_000 + Math.floor(random() * 100_000);
    for (let k = 0; k < STATES_PER_SYMBOL; k++) {
      mid += Math.floor(random() * 21) - 10;
      const book = new L2Book();
      for (let l = 0; l < depth + 5; l++) {
        book.set(
          true,
          mid - 1 - l * (1 + Math.floor(random() * 3)),
          100_000 + Math.floor(random() * 500_000_000),
        );
        book.set(
          false,
          mid + 1 + l * (1 + Math.floor(random() * 3)),
          100_000 + Math.floor(random() * 500_000_000),
        );
      }
      states.push(book);
    }
    books.push(states);
  }
  const frames: string[] = [];
  const trades: TradeEvent[] = [];
  for (let k = 0; k < 1024; k++) {
    const i = instruments[k % symbols]!;
    const book = books[k % symbols]![k % STATES_PER_SYMBOL]!;
    const level = (isBid: boolean, n: number) => {
      const side = isBid ? book.bids : book.asks;
      return `["${formatDecimal(side.priceAt(n), 2)}","${formatDecimal(side.sizeAt(n), 8)}"]`;
    };
    frames.push(
      `{"stream":"${i.venueSymbol.toLowerCase()}@depth@100ms","data":{"e":"depthUpdate","E":${1723161255208 + k},"s":"${i.venueSymbol}","U":${50093239189 + k * 10},"u":${50093239198 + k * 10},"b":[${level(true, 0)},${level(true, 3)},${level(true, 7)}],"a":[${level(false, 0)},${level(false, 2)},${level(false, 9)}]}}`,
    );
    trades.push({
      type: 'trade',
      exchange: i.exchange,
      symbol: i.symbol,
      exchangeTs: T0 + k * 1000,
      localTs: T0 + k * 1000 + 700,
      tradeId: String(3_000_000_000 + k),
      price: book.bestAsk(),
      size: 1_000 + Math.floor(random() * 10_000_000),
      side: random() < 0.5 ? 'buy' : 'sell',
    });
  }
  return { instruments, books, frames, trades };
}

interface RunResult {
  rowsPerSec: number;
  /** CPU time (all threads: event loop, thread pool, GC) per row, µs. */
  cpuMicrosPerRow: number;
  bytes: number;
  files: number;
  kinds: Partial<Record<RecordingKind, number>>;
  longestFillMs: number;
  fillMs: number;
}

/** Record `rows` rows of `workload`, yielding every `burst` rows as a socket callback would. */
export async function produce(
  recorder: Recorder,
  workload: RecorderWorkload,
  rows: number,
  f: Fixture,
  burst: number,
): Promise<void> {
  const symbols = f.instruments.length;
  let done = 0;
  let step = 0;
  if (workload === 'real') return produceReal(recorder, rows, f, burst);
  while (done < rows) {
    const stop = Math.min(rows, done + burst);
    while (done < stop) {
      const s = step % symbols;
      const ts = T0 + step * 50; // 20 k messages/s of receive time
      const frame = f.frames[step & 1023]!;
      const trade = f.trades[step & 1023]!;
      const instrument = f.instruments[s]!;
      const book = f.books[s]![step % STATES_PER_SYMBOL]!;
      if (workload === 'raw' || workload === 'mixed') {
        recorder.recordMessage(instrument.exchange, 'c1', ts, frame);
        done++;
      }
      if ((workload === 'book' || workload === 'mixed') && done < rows) {
        recorder.recordBookLevels(instrument, ts, ts - 800, 50093239198 + step, book.bids, book.asks);
        done++;
      }
      if ((workload === 'trade' || (workload === 'mixed' && step % 2 === 0)) && done < rows) {
        recorder.recordTrade(trade, instrument);
        done++;
      }
      step++;
    }
    await yieldToLoop();
  }
}

/** Size of every Parquet file under `root`, staged (`.staging/…/*.staged`) or placed. */
function storedFiles(root: string): Map<string, number> {
  const sizes = new Map<string, number>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.parquet') || entry.name.endsWith('.staged'))
        sizes.set(full, statSync(full).size);
    }
  };
  walk(root);
  return sizes;
}

/** The sink every run of a bench writes through (threads stay warm across runs, as in a session). */
interface BenchSink {
  root: string;
  sink: RecordingSink;
  /** Event-loop time of the sink so far: encoding when inline; with threads only the hand-over. */
  loopTime(): { ms: number; longest: number };
  close(): Promise<void>;
}

async function openBenchSink(compression: ParquetCompression, threads: number): Promise<BenchSink> {
  const root = mkdtempSync(join(tmpdir(), 'recorder-bench-'));
  const sink =
    threads > 0
      ? await ThreadedParquetSink.open({ root, compression, threads })
      : await ParquetSink.open({ root, compression });
  return {
    root,
    sink,
    loopTime() {
      if (sink instanceof ThreadedParquetSink) {
        const st = sink.stats();
        return { ms: st.loopMs, longest: st.longestLoopMs };
      }
      const st = sink.stats();
      return { ms: st.fillMs, longest: st.longestFillMs };
    },
    async close() {
      await sink.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The real workload: per message its raw frame, the book row after it and its trades, the capture's
 * symbol recorded as `symbols` symbols (each from its own point of the capture).
 */
async function produceReal(recorder: Recorder, rows: number, f: Fixture, burst: number): Promise<void> {
  const real = f.real!;
  const symbols = f.instruments.length;
  const bids = new StoredSide(real, 0);
  const asks = new StoredSide(real, 1);
  let done = 0;
  let step = 0;
  let trade = 0;
  while (done < rows) {
    const stop = Math.min(rows, done + burst);
    while (done < stop) {
      const s = step % symbols;
      const k = (Math.floor(step / symbols) + s * 997) % real.states;
      const ts = T0 + step * 50;
      const instrument = f.instruments[s]!;
      recorder.recordMessage(instrument.exchange, 'c1', ts, real.frames[k % real.frames.length]!);
      done++;
      if (done < rows) {
        bids.state = k;
        asks.state = k;
        recorder.recordBookLevels(instrument, ts, ts - 800, 50093239198 + step, bids, asks);
        done++;
      }
      // Trades at the capture's own rate relative to its book messages.
      while (done < rows && real.trades.length > 0 && trade * real.states < (step + 1) * real.trades.length) {
        recorder.recordTrade(real.trades[trade % real.trades.length]!, instrument);
        trade++;
        done++;
      }
      step++;
    }
    await yieldToLoop();
  }
}

/**
 * One run: a recorder that has already recorded and written `rows` rows (so its buffers have
 * grown, as in a running session), then `rows` more, timed from the first record…() call until
 * every row is on disk. A fresh recorder's first rows also pay for growing its buffers.
 */
async function runOnce(
  workload: RecorderWorkload,
  rows: number,
  f: Fixture,
  depth: number,
  burst: number,
  batchRows: number,
  bench: BenchSink,
): Promise<RunResult> {
  const { root } = bench;
  {
    // The recorder closes its sink on close(): this one outlives the run.
    const sink: RecordingSink = {
      ...(bench.sink.sharedRows ? { sharedRows: true } : {}),
      write: (batch) => bench.sink.write(batch),
      close: async () => {},
    };
    const loopTime = () => bench.loopTime();
    const recorder = new Recorder({
      sink,
      depth,
      // Batches of `batchRows` per table, written while the next fill (as a live recorder's 1 s
      // flushes); a buffer big enough to never drop: the bench measures throughput, not shedding.
      policy: { maxRows: Math.min(batchRows, rows), maxBufferedRows: rows + 1, maxBufferedChars: 2 ** 31 },
    });
    await produce(recorder, workload, rows, f, burst); // warm-up
    await recorder.flush();
    const before = storedFiles(root);
    const fillBefore = loopTime();
    const writtenBefore = totalWritten(recorder);
    const cpu = process.cpuUsage();
    const start = performance.now();
    await produce(recorder, workload, rows, f, burst);
    await recorder.flush();
    const seconds = (performance.now() - start) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    const fill = loopTime();
    await recorder.close();
    const stats = recorder.stats();
    const kinds: Partial<Record<RecordingKind, number>> = {};
    for (const kind of ['raw', 'book', 'trade', 'event'] as const) {
      const t = stats[kind];
      if (t.dropped > 0 || t.failed > 0) throw new Error(`bench lost ${kind} rows: ${JSON.stringify(t)}`);
      if (t.written > 0) kinds[kind] = t.written / 2;
    }
    const written = totalWritten(recorder) - writtenBefore;
    if (written !== rows) throw new Error(`bench wrote ${written} of ${rows} rows`);
    // Hourly files stay staged (and grow a row group per batch) until their hour closes: count
    // what each file grew by in this run, staged or placed.
    let bytes = 0;
    let files = 0;
    for (const [file, size] of storedFiles(root)) {
      const grown = size - (before.get(file) ?? 0);
      if (grown > 0) {
        bytes += grown;
        files++;
      }
    }
    return {
      rowsPerSec: rows / seconds,
      cpuMicrosPerRow: (cpuUsed.user + cpuUsed.system) / rows,
      bytes,
      files,
      kinds,
      longestFillMs: fill.longest,
      fillMs: fill.ms - fillBefore.ms,
    };
  }
}

function totalWritten(recorder: Recorder): number {
  const s = recorder.stats();
  return s.raw.written + s.book.written + s.trade.written + s.event.written;
}

async function workload(
  kind: RecorderWorkload,
  count: number,
  o: Required<RecorderBenchOptions>,
  f: Fixture,
  bench: BenchSink,
): Promise<WorkloadResult> {
  const runs: RunResult[] = [];
  for (let r = 0; r < count; r++)
    runs.push(await runOnce(kind, o.rows, f, o.depth, o.burst, o.batchRows, bench));
  const rates = runs.map((r) => r.rowsPerSec);
  const mid = median(rates);
  const closest = runs.reduce((a, b) =>
    Math.abs(b.rowsPerSec - mid) < Math.abs(a.rowsPerSec - mid) ? b : a,
  );
  return {
    rowsPerSec: mid,
    runs: rates,
    rowsPerRun: o.rows,
    rows: closest.kinds,
    bytesPerRow: closest.bytes / o.rows,
    files: closest.files,
    longestFillMs: Math.max(...runs.map((r) => r.longestFillMs)),
    fillMicrosPerRow: (closest.fillMs * 1000) / o.rows,
    cpuMicrosPerRow: median(runs.map((r) => r.cpuMicrosPerRow)),
  };
}

export async function runRecorderBench(options: RecorderBenchOptions = {}): Promise<RecorderBenchResult> {
  const o: Required<RecorderBenchOptions> = {
    rows: options.rows ?? 400_000,
    runs: options.runs ?? 5,
    kindRuns: options.kindRuns ?? 3,
    symbols: options.symbols ?? 20,
    depth: options.depth ?? 20,
    burst: options.burst ?? 2_000,
    batchRows: options.batchRows ?? 20_000,
    kinds: options.kinds ?? ['real', 'raw', 'book', 'trade'],
    compression: options.compression ?? 'snappy',
    threads: options.threads ?? 2,
  };
  const f = fixtureFor(o.symbols, o.depth);
  if (o.kinds.includes('real')) f.real = realFixture(o.depth);
  const bench = await openBenchSink(o.compression, o.threads);
  const byKind: RecorderBenchResult['byKind'] = {};
  let mixed: WorkloadResult;
  try {
    // Warm-up: load DuckDB, start the threads, JIT the record and write paths.
    await runOnce('mixed', Math.min(o.rows, 20_000), f, o.depth, o.burst, o.batchRows, bench);
    mixed = await workload('mixed', o.runs, o, f, bench);
    for (const k of o.kinds) byKind[k] = await workload(k, o.kindRuns, o, f, bench);
  } finally {
    await bench.close();
  }
  const bookShare = (mixed.rows.book ?? 0) / o.rows;
  return {
    rowsPerSec: mixed.rowsPerSec,
    levelValuesPerSec: mixed.rowsPerSec * bookShare * 4 * o.depth,
    mixed,
    byKind,
    depth: o.depth,
    symbols: o.symbols,
    compression: o.compression,
    threads: o.threads,
  };
}

export function formatRecorderBench(r: RecorderBenchResult): string {
  const k = (n: number) => `${Math.round(n / 1000).toLocaleString('en-US')}k`;
  const line = (name: string, w: WorkloadResult) =>
    `  ${name.padEnd(6)} ${k(w.rowsPerSec).padStart(7)} rows/s  (runs ${w.runs.map(k).join(' ')}; CPU ${w.cpuMicrosPerRow.toFixed(2)} µs/row = ${k(1e6 / w.cpuMicrosPerRow)} rows per CPU-second; ${w.bytesPerRow.toFixed(1)} B/row, ${w.files} files; event loop ${w.fillMicrosPerRow.toFixed(2)} µs/row, longest slice ${w.longestFillMs.toFixed(1)} ms)`;
  const lines = [
    `recorder → Parquet (${r.threads > 0 ? `${r.threads} writer threads` : 'on the event loop'}, ${r.compression}, top-${r.depth} books, ${r.symbols} symbols): median of ${r.mixed.runs.length} runs of ${r.mixed.rowsPerRun.toLocaleString('en-US')} rows`,
    line('mixed', r.mixed),
  ];
  for (const kind of ['real', 'raw', 'book', 'trade'] as const) {
    const w = r.byKind[kind];
    if (w) lines.push(line(kind, w));
  }
  lines.push(
    `  mixed = ${JSON.stringify(r.mixed.rows)}; ${(r.levelValuesPerSec / 1e6).toFixed(1)} M book level values/s`,
  );
  if (r.byKind.real)
    lines.push(`  real = ${JSON.stringify(r.byKind.real.rows)} (Binance spot BTCUSDT capture)`);
  return lines.join('\n');
}

// Run as a script (not when bundled into bench:ingest, where import.meta.url is the bundle's).
if (
  /recorder-bench\.[cm]?[jt]s$/.test(process.argv[1] ?? '') &&
  import.meta.url === pathToFileURL(process.argv[1]!).href
) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      runs: { type: 'string' },
      depth: { type: 'string' },
      threads: { type: 'string' },
      kinds: { type: 'string' },
    },
  });
  const result = await runRecorderBench({
    ...(values.rows ? { rows: Number(values.rows) } : {}),
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values.depth ? { depth: Number(values.depth) } : {}),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
    ...(values.kinds !== undefined
      ? { kinds: values.kinds.split(',').filter(Boolean) as Array<'raw' | 'book' | 'trade' | 'real'> }
      : {}),
  });
  console.log(formatRecorderBench(result));
}
