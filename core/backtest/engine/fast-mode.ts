/**
 * The fast approximate mode for sweeps, and what it costs.
 *
 * Fast = the engine's single-view mode (one book at receive time: feed latency ignored, order
 * latency kept) over a tape reduced to the best `levels` levels per side (tape/top-levels.ts).
 * On the Binance USD-M BTCUSDT capture top-20 keeps ~1/6 of the rows, and each kept row is applied
 * once instead of twice. Strategies that look deeper than `levels` see a truncated book, and
 * resting orders deeper than it see no queue ahead.
 *
 * `measureFastModeError` runs both modes on the same inputs and reports the differences of the
 * numbers a sweep ranks by (PnL, fills, volume, fees, final position).
 */
import type { BacktestResult } from '../result.ts';
import type { Tape } from '../tape/tape.ts';
import { topLevelsTape } from '../tape/top-levels.ts';
import { type BacktestOptions, runBacktestWithStats } from './run-backtest.ts';

export const DEFAULT_FAST_LEVELS = 20;

const reduced = new WeakMap<Tape, Map<number, Tape>>();

/** The reduced tape for fast mode (built once per tape and depth, then cached). */
export function fastModeTape(tape: Tape, levels = DEFAULT_FAST_LEVELS): Tape {
  let byDepth = reduced.get(tape);
  if (!byDepth) {
    byDepth = new Map();
    reduced.set(tape, byDepth);
  }
  let t = byDepth.get(levels);
  if (!t) {
    t = topLevelsTape(tape, levels);
    byDepth.set(levels, t);
  }
  return t;
}

export interface RunSummary {
  /** Final equity − initial capital, quote. */
  readonly pnl: number;
  readonly fills: number;
  /** Base volume traded. */
  readonly volume: number;
  readonly fees: number;
  readonly orders: number;
  readonly finalPosition: number;
  readonly rows: number;
}

export interface FastModeError {
  readonly full: RunSummary;
  readonly fast: RunSummary;
  /** fast − full. */
  readonly pnlError: number;
  /** |fast − full| / max(|full|, tiny), per measure. */
  readonly relative: {
    readonly pnl: number;
    readonly fills: number;
    readonly volume: number;
    readonly fees: number;
  };
  /** Share of the tape's rows the fast tape keeps. */
  readonly rowRatio: number;
}

export function summarize(result: BacktestResult): RunSummary {
  const last = result.equity[result.equity.length - 1];
  let volume = 0;
  let fees = 0;
  for (const f of result.fills) {
    volume += f.size;
    fees += f.fee;
  }
  return {
    pnl: (last?.equity ?? result.initialCapital) - result.initialCapital,
    fills: result.fills.length,
    volume,
    fees,
    orders: result.orders.length,
    finalPosition: last?.position ?? 0,
    rows: result.events,
  };
}

function rel(a: number, b: number): number {
  const d = Math.abs(a - b);
  return d === 0 ? 0 : d / Math.max(Math.abs(b), 1e-12);
}

/** Run `options` in full mode and in fast mode (on `fastTape`, default: top-20) and compare. */
export function measureFastModeError(
  options: Omit<BacktestOptions, 'mode'>,
  fastTape: Tape = fastModeTape(options.tape),
): FastModeError {
  const full = summarize(runBacktestWithStats({ ...options, mode: 'full' }).result);
  const fast = summarize(runBacktestWithStats({ ...options, tape: fastTape, mode: 'fast' }).result);
  return {
    full,
    fast,
    pnlError: fast.pnl - full.pnl,
    relative: {
      pnl: rel(fast.pnl, full.pnl),
      fills: rel(fast.fills, full.fills),
      volume: rel(fast.volume, full.volume),
      fees: rel(fast.fees, full.fees),
    },
    rowRatio: options.tape.length > 0 ? fastTape.length / options.tape.length : 1,
  };
}

/** One line for logs: "fast mode: PnL −1.23 vs −1.10 (11.8 %), fills 216 vs 221 (2.3 %), rows 17 %". */
export function formatFastModeError(e: FastModeError): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return (
    `fast mode vs full: PnL ${e.fast.pnl.toFixed(2)} vs ${e.full.pnl.toFixed(2)} (${pct(e.relative.pnl)}), ` +
    `fills ${e.fast.fills} vs ${e.full.fills} (${pct(e.relative.fills)}), ` +
    `volume ${e.fast.volume.toFixed(4)} vs ${e.full.volume.toFixed(4)} (${pct(e.relative.volume)}), ` +
    `rows kept ${pct(e.rowRatio)}`
  );
}
