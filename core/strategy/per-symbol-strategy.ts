/**
 * One strategy definition run on several instruments at once: an instance per symbol, each handed
 * the same parameters with its own `symbol`, behind one Strategy (one kernel, one account, one risk
 * gate). Every callback goes to every instance; the reference strategies act only on their own
 * instrument and on updates of their own orders.
 */
import type { StrategyContext } from './context.ts';
import type { OrderUpdate } from './order-types.ts';
import type { StrategyParams } from './params.ts';
import type { StrategyDefinition } from './registry.ts';
import type { Strategy, TradeView } from './strategy.ts';

export class PerSymbolStrategy implements Strategy {
  private readonly instances: Strategy[];

  constructor(
    definition: StrategyDefinition,
    readonly symbols: readonly string[],
    params: StrategyParams,
  ) {
    this.instances = symbols.map((symbol) => definition.create({ ...params, symbol }));
  }

  onParams(ctx: StrategyContext, params: StrategyParams): void {
    for (let i = 0; i < this.instances.length; i++)
      this.instances[i]!.onParams?.(ctx, { ...params, symbol: this.symbols[i]! });
  }

  onBook(ctx: StrategyContext, instrument: number): void {
    for (const s of this.instances) s.onBook?.(ctx, instrument);
  }

  onTrade(ctx: StrategyContext, trade: TradeView): void {
    for (const s of this.instances) s.onTrade?.(ctx, trade);
  }

  onOrderUpdate(ctx: StrategyContext, update: OrderUpdate): void {
    for (const s of this.instances) s.onOrderUpdate?.(ctx, update);
  }

  onTimer(ctx: StrategyContext, now: number): void {
    for (const s of this.instances) s.onTimer?.(ctx, now);
  }
}
