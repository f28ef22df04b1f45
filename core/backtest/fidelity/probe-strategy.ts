/**
 * The fidelity check's strategy: every `intervalUs` it cancels its probes and places a post-only
 * buy at the best bid and a post-only sell at the best ask it sees, `size` units each. A probe
 * therefore lives one interval (cancel at the next tick); probes never share a price level with
 * each other for long, so they do not compete for the same trades.
 */
import type { StrategyContext } from '../../strategy/context.ts';
import type { Strategy } from '../../strategy/strategy.ts';

export interface Probe {
  readonly id: number;
  readonly isBuy: boolean;
  readonly price: number;
  /** Local time the probe was sent. */
  readonly sentTs: number;
}

export class ProbeStrategy implements Strategy {
  readonly probes: Probe[] = [];
  private live: number[] = [];

  constructor(
    private readonly instrument: number,
    private readonly intervalUs: number,
    private readonly size: number,
  ) {}

  onParams(ctx: StrategyContext): void {
    ctx.setTimer(this.intervalUs);
  }

  onTimer(ctx: StrategyContext): void {
    for (const id of this.live) if (ctx.order(id)) ctx.cancel(id);
    this.live = [];
    const book = ctx.book(this.instrument);
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (Number.isNaN(bid) || Number.isNaN(ask)) return;
    const now = ctx.now();
    const b = ctx.submitLimit(this.instrument, 'buy', bid, this.size, { postOnly: true });
    const a = ctx.submitLimit(this.instrument, 'sell', ask, this.size, { postOnly: true });
    this.live.push(b, a);
    this.probes.push(
      { id: b, isBuy: true, price: bid, sentTs: now },
      { id: a, isBuy: false, price: ask, sentTs: now },
    );
  }
}
