/**
 * Loads config/scenarios.json — the backtest scenarios behind `--scenario` — validated whole (zod:
 * unknown keys refused, every problem reported at once).
 *
 * A scenario says how much a strategy may risk and on what capital; local/backtest/scenario-sizing.ts
 * turns it into strategy parameters once the data (and so the price) is known:
 *
 *   riskPerTrade       notional of ONE order as a fraction of initialCapital, at the tape's opening
 *                      price — the most a single fill can lose. conservative 1 %, balanced 3 %,
 *                      aggressive 5 % (the architecture map's "risk per trade").
 *   maxPositionOrders  the strategy's position limit, in orders of that size.
 *   initialCapital     quote currency.
 *   sim                simulator settings over the defaults of core/sim/sim-config.ts (queue,
 *                      latency, maxLeverage, …); capital is the scenario's own field, not set here.
 *   sizing             per strategy, the parameter names that receive the order size and the
 *                      position limit (base currency); a strategy not listed runs with its own sizes.
 *
 * The shipped scenarios keep the simulator's fill model identical (risk-averse queue, 5 ms/5 ms):
 * how realistic fills are must not depend on risk appetite, so the scenarios differ only in what the
 * strategy risks (size, inventory, leverage cap).
 */
import { z } from 'zod';
import { SimConfigSchema } from '../core/sim/sim-config.ts';
import { defaultRegistry, type StrategyRegistry } from '../core/strategy/registry.ts';
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';
import { formatConfigPath, zodProblems } from './zod-problems.ts';

const FILE = 'scenarios.json';

const ScenarioSchema = z.strictObject({
  description: z.string().min(1),
  riskPerTrade: z.number().gt(0, 'must be above 0').max(1, 'at most 1 (the whole capital per order)'),
  maxPositionOrders: z.number().int().min(1),
  initialCapital: z.number().positive(),
  /** Capital is the scenario's own field: `sim.initialCapital` is refused as an unknown key. */
  sim: SimConfigSchema.omit({ initialCapital: true }).default(() =>
    SimConfigSchema.omit({ initialCapital: true }).parse({}),
  ),
});

const SizingSchema = z.strictObject({
  /** Parameter that receives the order size, base currency. */
  orderSize: z.string().min(1),
  /** Parameter that receives the position limit, base currency. */
  positionLimit: z.string().min(1),
});

const ScenariosFileSchema = z.strictObject({
  $comment: z.string().optional(),
  scenarios: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case names'), ScenarioSchema),
  sizing: z.record(z.string(), SizingSchema).default({}),
});

export type Scenario = z.output<typeof ScenarioSchema> & { readonly name: string };
export type StrategySizing = z.output<typeof SizingSchema>;

export interface Scenarios {
  readonly scenarios: ReadonlyMap<string, Scenario>;
  readonly sizing: Readonly<Record<string, StrategySizing>>;
}

/**
 * Validate a scenarios document; throws a ConfigError listing every problem. Sizing entries are
 * checked against the strategy registry (a strategy or parameter name that does not exist is a typo).
 */
export function parseScenarios(json: unknown, registry: StrategyRegistry = defaultRegistry()): Scenarios {
  const result = ScenariosFileSchema.safeParse(json, { reportInput: true });
  const problems: string[] = [];
  if (!result.success) problems.push(...zodProblems(result.error.issues));
  else if (Object.keys(result.data.scenarios).length === 0) problems.push('scenarios: none defined');
  // The sizing table is checked against the registry even when other parts are broken (all errors at once).
  const sizing = z.object({ sizing: z.record(z.string(), SizingSchema).default({}) }).safeParse(json ?? {});
  if (sizing.success) problems.push(...sizingProblems(sizing.data.sizing, registry));
  if (problems.length > 0 || !result.success) throw new ConfigError(configFileLabel(FILE), problems);
  const scenarios = new Map<string, Scenario>();
  for (const [name, s] of Object.entries(result.data.scenarios)) scenarios.set(name, { ...s, name });
  return { scenarios, sizing: result.data.sizing };
}

function sizingProblems(
  table: Readonly<Record<string, StrategySizing>>,
  registry: StrategyRegistry,
): string[] {
  const problems: string[] = [];
  for (const [strategy, sizing] of Object.entries(table)) {
    if (!registry.has(strategy)) {
      problems.push(
        `${formatConfigPath(['sizing', strategy])}: no such strategy (known: ${registry.names().join(', ')})`,
      );
      continue;
    }
    const params = registry.get(strategy).params;
    for (const key of ['orderSize', 'positionLimit'] as const) {
      const name = sizing[key];
      const spec = params[name];
      const at = formatConfigPath(['sizing', strategy, key]);
      if (!spec) problems.push(`${at}: "${name}" is not a parameter of ${strategy}`);
      else if (typeof spec.default !== 'number') problems.push(`${at}: "${name}" is not a numeric parameter`);
    }
  }
  return problems;
}

/** scenarios.json from the config folder (read-config-file.ts), read and validated now. */
export function loadScenarios(json: unknown = readConfigFile(FILE)): Scenarios {
  return parseScenarios(json);
}

/** One scenario by name; the error lists the known names. */
export function scenarioByName(scenarios: Scenarios, name: string): Scenario {
  const s = scenarios.scenarios.get(name);
  if (!s)
    throw new Error(`unknown scenario "${name}" (known: ${[...scenarios.scenarios.keys()].join(', ')})`);
  return s;
}
