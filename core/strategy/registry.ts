/**
 * Strategies by name: each definition declares its parameters (with defaults and descriptions) and
 * builds a fresh instance per run. `defaultRegistry()` holds the reference strategies.
 */
import { type ParamSpecs, resolveParams, type StrategyParams } from './params.ts';
import { avellanedaStoikov } from './reference/avellaneda-stoikov.ts';
import { hifa } from './reference/hifa.ts';
import { imbalanceTaker } from './reference/imbalance-taker.ts';
import { marketMaker } from './reference/market-maker.ts';
import type { Strategy } from './strategy.ts';

export interface StrategyDefinition {
  readonly name: string;
  readonly description: string;
  readonly params: ParamSpecs;
  create(params: StrategyParams): Strategy;
}

export class StrategyRegistry {
  private readonly byName = new Map<string, StrategyDefinition>();

  register(def: StrategyDefinition): this {
    if (this.byName.has(def.name)) throw new Error(`strategy "${def.name}" is already registered`);
    this.byName.set(def.name, def);
    return this;
  }

  get(name: string): StrategyDefinition {
    const def = this.byName.get(name);
    if (!def) throw new Error(`unknown strategy "${name}" (known: ${this.names().join(', ')})`);
    return def;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** A new instance with validated parameters (defaults overlaid with `overrides`). */
  create(
    name: string,
    overrides: Readonly<Record<string, unknown>> = {},
  ): {
    strategy: Strategy;
    params: StrategyParams;
  } {
    const def = this.get(name);
    const params = resolveParams(def.params, overrides);
    return { strategy: def.create(params), params };
  }
}

/** The reference strategies: market-maker, avellaneda-stoikov, imbalance-taker, hifa. */
export function defaultRegistry(): StrategyRegistry {
  return new StrategyRegistry()
    .register(marketMaker)
    .register(avellanedaStoikov)
    .register(imbalanceTaker)
    .register(hifa);
}
