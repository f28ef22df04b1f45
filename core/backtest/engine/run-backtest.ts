/**
 * The engine's public entry point: a strategy (by registry name, or an instance), a tape, simulator
 * settings, fees and a seed in; a BacktestResult out. Same inputs → byte-identical result.
 */
import type { RiskParams } from '../../risk/risk-params.ts';
import type { FeeTable } from '../../sim/fees/fee-table.ts';
import { resolveSimConfig, type SimConfig, type SimConfigInput } from '../../sim/sim-config.ts';
import type { StrategyParams } from '../../strategy/params.ts';
import { defaultRegistry, type StrategyRegistry } from '../../strategy/registry.ts';
import type { Strategy } from '../../strategy/strategy.ts';
import type { BacktestResult } from '../result.ts';
import type { Tape } from '../tape/tape.ts';
import { Engine, type EngineMode, type EngineStats, type Progress } from './engine.ts';
import { roundTrips } from './round-trips.ts';
import { runId } from './run-id.ts';

export interface BacktestOptions {
  readonly tape: Tape;
  /** A registered strategy name, or a ready instance with the name to report. */
  readonly strategy: string | { readonly name: string; readonly instance: Strategy };
  /** Parameter overrides (validated against the strategy's spec when it comes from the registry). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Risk limits of the kernel's gate (default: open limits, core/backtest/engine/open-risk-params.ts). */
  readonly risk?: RiskParams;
  /** Simulator settings; defaults documented in core/sim/sim-config.ts. */
  readonly sim?: SimConfigInput | SimConfig;
  readonly fees: FeeTable;
  /** Default 1. */
  readonly seed?: number;
  /** Label for reports (the CLI's conservative|balanced|aggressive). Default 'custom'. */
  readonly scenario?: string;
  /** 'full' (default) or 'fast' (approximate; see engine.ts). */
  readonly mode?: EngineMode;
  readonly registry?: StrategyRegistry;
  readonly onProgress?: (p: Progress) => void;
}

export interface BacktestRun {
  readonly result: BacktestResult;
  readonly stats: EngineStats;
}

export function runBacktest(options: BacktestOptions): BacktestResult {
  return runBacktestWithStats(options).result;
}

export function runBacktestWithStats(options: BacktestOptions): BacktestRun {
  const sim = resolveSimConfig(options.sim ?? {});
  const seed = options.seed ?? 1;
  let name: string;
  let strategy: Strategy;
  let params: StrategyParams;
  if (typeof options.strategy === 'string') {
    const created = (options.registry ?? defaultRegistry()).create(options.strategy, options.params ?? {});
    name = options.strategy;
    strategy = created.strategy;
    params = created.params;
  } else {
    name = options.strategy.name;
    strategy = options.strategy.instance;
    params = Object.freeze({ ...((options.params ?? {}) as StrategyParams) });
  }
  const tape = options.tape;
  const engine = new Engine({
    tape,
    strategy,
    params,
    sim,
    fees: options.fees,
    seed,
    mode: options.mode ?? 'full',
    strategyName: name,
    ...(options.risk ? { risk: options.risk } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const stats = engine.run();
  const rec = engine.recorder;
  const endTs = tape.length > 0 ? tape.endTs : 0;
  const result: BacktestResult = {
    runId: runId(name, [
      params,
      seed,
      sim,
      options.mode ?? 'full',
      tape.fingerprint(),
      options.scenario ?? 'custom',
    ]),
    strategy: name,
    params,
    scenario: options.scenario ?? 'custom',
    seed,
    symbols: tape.instruments.map((i) => i.symbol),
    startTs: tape.length > 0 ? tape.startTs : 0,
    endTs,
    initialCapital: sim.initialCapital,
    events: stats.rows,
    orders: rec.orderRecords(endTs),
    fills: rec.fillRecords(),
    roundTrips: roundTrips(rec.fills, tape.instruments),
    equity: rec.equity,
    funding: engine.account.funding,
  };
  return { result, stats };
}
