/**
 * One unit of sweep work and the code that runs it — the same function in a worker thread and in
 * the main thread (serial mode), so a parallel sweep gives exactly the serial sweep's numbers.
 */
import { computeMetrics, type Metrics } from '../../../core/backtest/analytics/metrics.ts';
import type { EngineMode } from '../../../core/backtest/engine/engine.ts';
import { type FastModeError, measureFastModeError } from '../../../core/backtest/engine/fast-mode.ts';
import { runBacktest } from '../../../core/backtest/engine/run-backtest.ts';
import type { BacktestResult } from '../../../core/backtest/result.ts';
import type { Tape } from '../../../core/backtest/tape/tape.ts';
import type { FeeTable } from '../../../core/sim/fees/fee-table.ts';
import type { SimConfig } from '../../../core/sim/sim-config.ts';
import type { StrategyParams } from '../../../core/strategy/params.ts';

interface JobBase {
  readonly strategy: string;
  readonly params: StrategyParams;
  readonly sim: SimConfig;
  readonly seed: number;
  readonly scenario: string;
}

/** A backtest on the tape named `tape` (for fast mode: a reduced tape, see fast-mode.ts). */
export interface RunJob extends JobBase {
  readonly kind: 'run';
  readonly tape: string;
  readonly mode: EngineMode;
  /** Send the whole BacktestResult back (the report run), not just the metrics. */
  readonly keepResult?: boolean;
}

/** measureFastModeError: full mode on `tape`, fast mode on `fastTape`. */
export interface FastErrorJob extends JobBase {
  readonly kind: 'fast-error';
  readonly tape: string;
  readonly fastTape: string;
}

export type Job = RunJob | FastErrorJob;

export type JobOutput =
  | { readonly kind: 'run'; readonly metrics: Metrics; readonly result?: BacktestResult }
  | { readonly kind: 'fast-error'; readonly error: FastModeError };

export type TapeSet = ReadonlyMap<string, Tape>;

function tapeOf(tapes: TapeSet, key: string): Tape {
  const tape = tapes.get(key);
  if (!tape) throw new Error(`sweep: no tape "${key}"`);
  return tape;
}

export function executeJob(job: Job, tapes: TapeSet, fees: FeeTable): JobOutput {
  const common = {
    strategy: job.strategy,
    params: job.params,
    sim: job.sim,
    seed: job.seed,
    scenario: job.scenario,
    fees,
  };
  if (job.kind === 'fast-error') {
    const error = measureFastModeError(
      { ...common, tape: tapeOf(tapes, job.tape) },
      tapeOf(tapes, job.fastTape),
    );
    return { kind: 'fast-error', error };
  }
  const result = runBacktest({ ...common, tape: tapeOf(tapes, job.tape), mode: job.mode });
  const metrics = computeMetrics(result);
  return job.keepResult ? { kind: 'run', metrics, result } : { kind: 'run', metrics };
}
