/**
 * Backtest throughput on real data: the Binance USD-M BTCUSDT capture (test/fixtures, 6 minutes,
 * ~467 k tape rows) built into a tape once (untimed), looped `loops` times, and run with the full
 * model — two views joined by latency, the probabilistic queue model (power, n = 3), constant
 * 5 ms / 5 ms order latency, fees, liquidity consumption — and the reference market-maker.
 * Only the engine run is timed; the figure is the median of `runs` runs (a full GC before each).
 *
 * events/s counts tape rows (one per level change, trade, clear), the unit hftbacktest uses.
 * `usdmSeconds` is the time for the whole USD-M capture once (median run time / loops).
 * `breakdown` says where time goes: the same tape with a strategy that does nothing (books,
 * queues and the event loop alone), and the fast approximate mode on the top-20 tape.
 */
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fees from '../../config/fees.json' with { type: 'json' };
import { configuredInstruments } from '../../config/instruments.ts';
import { fastModeTape } from '../../core/backtest/engine/fast-mode.ts';
import { type BacktestOptions, runBacktestWithStats } from '../../core/backtest/engine/run-backtest.ts';
import { buildTape } from '../../core/backtest/tape/capture-tape.ts';
import { loopTape } from '../../core/backtest/tape/loop-tape.ts';
import type { Tape } from '../../core/backtest/tape/tape.ts';
import { parseFeeTable } from '../../core/sim/fees/fee-table.ts';
import type { Strategy } from '../../core/strategy/strategy.ts';
import { readCapture } from '../../local/capture/read-capture.ts';
import { median } from '../stats.ts';

export interface BacktestBenchOptions {
  /** Measured runs (median reported). Default 5. */
  readonly runs?: number;
  /** Copies of the capture per run. Default 10 (~4.7 M rows). */
  readonly loops?: number;
  /** Also measure the no-op strategy and fast mode. Default true. */
  readonly breakdown?: boolean;
  readonly log?: (line: string) => void;
}

export interface BacktestBenchResult {
  /** Median tape rows per second, full model + market-maker. */
  readonly eventsPerSec: number;
  readonly runs: number;
  /** Seconds for the whole USD-M capture once (median). */
  readonly usdmSeconds: number;
  /** Rows per second of each run. */
  readonly rates: readonly number[];
  readonly rowsPerRun: number;
  readonly captureRows: number;
  readonly loops: number;
  /** Fills per run (sanity: the strategy trades). */
  readonly fills: number;
  readonly breakdown?: {
    /** Same tape, strategy that does nothing: the floor of the full model. */
    readonly noStrategyEventsPerSec: number;
    /** Fast approximate mode on the top-20 tape (rows of the FULL tape per second, comparable). */
    readonly fastModeEventsPerSec: number;
    readonly fastTapeRowShare: number;
  };
}

// Resolved from the working directory (npm scripts run in the project root): this file is also
// bundled into .bench/, where a path relative to the module would point elsewhere.
const CAPTURE = resolve('test/fixtures/binance/hftbacktest_usdm_btcusdt_20240808.gz');

/** A full GC between runs (untimed), so one run's garbage is not collected on the next one's clock. */
const collect: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
})();

/** The USD-M capture as a tape (untimed work). */
export function usdmTape(): Tape {
  const capture = readCapture(CAPTURE);
  return buildTape([{ name: CAPTURE, exchange: capture.exchange, records: capture.records }], {
    instruments: configuredInstruments(),
  });
}

function timeRun(options: BacktestOptions): { seconds: number; fills: number } {
  collect();
  const t0 = process.hrtime.bigint();
  const { result } = runBacktestWithStats(options);
  const t1 = process.hrtime.bigint();
  return { seconds: Number(t1 - t0) / 1e9, fills: result.fills.length };
}

const idle: Strategy = {};

export function runBacktestBench(options: BacktestBenchOptions = {}): BacktestBenchResult {
  const runs = options.runs ?? 5;
  const loops = options.loops ?? 10;
  const log = options.log ?? (() => {});
  const capture = usdmTape();
  const tape = loopTape(capture, loops);
  const table = parseFeeTable(fees);
  const full: BacktestOptions = {
    tape,
    strategy: 'market-maker',
    fees: table,
    sim: {
      queue: { model: 'prob', fn: 'power', n: 3 },
      latency: { model: 'constant', entryUs: 5000, responseUs: 5000 },
    },
  };
  log(
    `backtest: USD-M BTCUSDT capture ${capture.length} rows × ${loops} loops = ${tape.length} rows per run`,
  );
  timeRun(full); // warm-up (JIT)
  const rates: number[] = [];
  const seconds: number[] = [];
  let fills = 0;
  for (let i = 0; i < runs; i++) {
    const r = timeRun(full);
    rates.push(tape.length / r.seconds);
    seconds.push(r.seconds);
    fills = r.fills;
    log(
      `  run ${i + 1}: ${(tape.length / r.seconds / 1e6).toFixed(2)} M rows/s (${r.seconds.toFixed(3)} s, ${r.fills} fills)`,
    );
  }
  let breakdown: BacktestBenchResult['breakdown'];
  if (options.breakdown ?? true) {
    const noop: BacktestOptions = { ...full, strategy: { name: 'idle', instance: idle } };
    timeRun(noop);
    const noopRates: number[] = [];
    for (let i = 0; i < runs; i++) noopRates.push(tape.length / timeRun(noop).seconds);
    const fastTape = fastModeTape(tape);
    const fast: BacktestOptions = { ...full, tape: fastTape, mode: 'fast' };
    timeRun(fast);
    const fastRates: number[] = [];
    for (let i = 0; i < runs; i++) fastRates.push(tape.length / timeRun(fast).seconds);
    breakdown = {
      noStrategyEventsPerSec: median(noopRates),
      fastModeEventsPerSec: median(fastRates),
      fastTapeRowShare: fastTape.length / tape.length,
    };
    log(
      `  no-op strategy: ${(breakdown.noStrategyEventsPerSec / 1e6).toFixed(2)} M rows/s; fast mode (top-20, ` +
        `${(breakdown.fastTapeRowShare * 100).toFixed(0)} % of rows): ${(breakdown.fastModeEventsPerSec / 1e6).toFixed(2)} M full-tape rows/s`,
    );
  }
  return {
    eventsPerSec: median(rates),
    runs,
    usdmSeconds: median(seconds) / loops,
    rates,
    rowsPerRun: tape.length,
    captureRows: capture.length,
    loops,
    fills,
    ...(breakdown ? { breakdown } : {}),
  };
}
