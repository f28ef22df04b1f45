/**
 * What every run command (backtest, sweep, the Step Functions sweep steps) does before the engine
 * runs: load the data into a tape (load-tape.ts), size the strategy from the scenario
 * (scenario-sizing.ts; explicit params win) and apply the simulator overrides. One function, so a
 * grid point run by a Lambda sees exactly the tape, parameters and simulator `npm run sweep` sees.
 */
import { loadScenarios, scenarioByName } from '../../config/scenarios.ts';
import type { QueueSpec } from '../../core/sim/queue/queue-spec.ts';
import type { SimConfigInput } from '../../core/sim/sim-config.ts';
import { checkRange } from './cli-args.ts';
import { type CommandIo, isoOf } from './command-io.ts';
import { loadTape } from './load-tape.ts';
import { applyScenario, type Sizing } from './scenario-sizing.ts';

/** Options shared by backtest and sweep: what data, which scenario, which simulator overrides. */
export interface RunInputOptions {
  readonly strategy: string;
  readonly scenario: string;
  readonly data: string;
  readonly from?: number;
  readonly to?: number;
  readonly symbols?: readonly string[];
  /** Raw k=v overrides (the strategy's spec converts and checks them). */
  readonly params?: Readonly<Record<string, string>>;
  readonly seed: number;
  readonly queue?: QueueSpec;
  /** Constant order latency per leg, µs (from --latency-ms). */
  readonly latencyUs?: number;
  readonly out?: string;
  readonly quiet?: boolean;
  /** Write Parquet copies of the tables (default true; --no-parquet). */
  readonly parquet?: boolean;
}

/** Data + scenario + CLI overrides → what a run needs (shared with the sweep command). */
export async function prepareRun(opts: RunInputOptions, io: CommandIo) {
  checkRange(opts.from, opts.to);
  const scenarios = loadScenarios();
  const scenario = scenarioByName(scenarios, opts.scenario);
  io.status(`loading ${opts.data} …`);
  const data = await loadTape(opts.data, {
    ...(opts.from !== undefined ? { from: opts.from } : {}),
    ...(opts.to !== undefined ? { to: opts.to } : {}),
    ...(opts.symbols ? { symbols: opts.symbols } : {}),
  });
  const applied = applyScenario(scenarios, scenario, opts.strategy, data.tape, opts.params ?? {});
  const sim: SimConfigInput = {
    ...applied.sim,
    ...(opts.queue ? { queue: opts.queue } : {}),
    ...(opts.latencyUs !== undefined
      ? { latency: { model: 'constant', entryUs: opts.latencyUs, responseUs: opts.latencyUs } }
      : {}),
  };
  const t = data.tape;
  io.status(
    `${data.kind}: ${data.files.length} file(s), ${t.length.toLocaleString('en-US')} tape rows, ` +
      `${t.instruments.map((i) => `${i.exchange}:${i.symbol}`).join(', ')}, ${isoOf(t.startTs)} → ${isoOf(t.endTs)}`,
  );
  return { scenario, data, params: applied.params, sim, sizing: applied.sizing };
}

export function describeSizing(scenario: string, sizing: Sizing | undefined): string {
  if (!sizing) return `scenario ${scenario}: strategy sized by its own parameters (no sizing entry)`;
  return (
    `scenario ${scenario}: ${sizing.orderSizeParam}=${sizing.orderSize}, ${sizing.positionLimitParam}=` +
    `${sizing.positionLimit} (${sizing.instrument} opening price ${sizing.price}; one order ≈ ` +
    `${sizing.orderNotional.toFixed(2)} quote)`
  );
}
