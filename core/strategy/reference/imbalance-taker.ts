/**
 * Reference taker on order-book imbalance:
 *   imbalance = (B − A) / (B + A), B and A the sizes of the best depth_levels bid / ask levels.
 * Above +threshold it buys order_size at market, below −threshold it sells, as long as the position
 * stays within ±max_position; after each order it waits cooldown_ms. A position older than hold_ms
 * is closed at market (0: held until the signal flips it).
 */
import type { StrategyContext } from '../context.ts';
import type { OrderUpdate } from '../order-types.ts';
import { num, type StrategyParams, str } from '../params.ts';
import type { StrategyDefinition } from '../registry.ts';
import type { Strategy } from '../strategy.ts';
import { pickInstrument, sizeUnits } from './units.ts';

/** Book imbalance over the best `levels` levels, in [−1, 1] (NaN for an empty book). */
export function bookImbalance(bidDepth: number, askDepth: number): number {
  const total = bidDepth + askDepth;
  return total > 0 ? (bidDepth - askDepth) / total : Number.NaN;
}

class ImbalanceTaker implements Strategy {
  private inst = 0;
  private size = 0;
  private maxPos = 0;
  private readyAt = 0;
  private pending = 0;
  private openedAt = Number.NaN;

  constructor(private p: StrategyParams) {}

  onParams(ctx: StrategyContext, params: StrategyParams): void {
    this.p = params;
    this.inst = pickInstrument(ctx, str(params, 'symbol'));
    const ins = ctx.instruments[this.inst]!;
    this.size = sizeUnits(ins, num(params, 'order_size'));
    this.maxPos = sizeUnits(ins, num(params, 'max_position'));
  }

  onBook(ctx: StrategyContext, instrument: number): void {
    if (instrument !== this.inst || this.pending !== 0) return;
    const now = ctx.now();
    if (now < this.readyAt) return;
    const p = this.p;
    const pos = ctx.position(instrument);
    const hold = num(p, 'hold_ms') * 1000;
    if (pos !== 0 && hold > 0 && now - this.openedAt >= hold) {
      this.send(ctx, pos > 0 ? 'sell' : 'buy', Math.abs(pos));
      return;
    }
    const levels = num(p, 'depth_levels');
    const book = ctx.book(instrument);
    const imb = bookImbalance(book.bids.depth(levels), book.asks.depth(levels));
    const threshold = num(p, 'threshold');
    if (imb > threshold && pos + this.size <= this.maxPos) this.send(ctx, 'buy', this.size);
    else if (imb < -threshold && pos - this.size >= -this.maxPos) this.send(ctx, 'sell', this.size);
  }

  private send(ctx: StrategyContext, side: 'buy' | 'sell', size: number): void {
    this.pending = ctx.submitMarket(this.inst, side, size);
    this.readyAt = ctx.now() + num(this.p, 'cooldown_ms') * 1000;
  }

  onOrderUpdate(ctx: StrategyContext, u: OrderUpdate): void {
    if (u.orderId !== this.pending || !u.done) return;
    this.pending = 0;
    const pos = ctx.position(this.inst);
    if (pos === 0) this.openedAt = Number.NaN;
    else if (Number.isNaN(this.openedAt)) this.openedAt = u.ts; // adding keeps the first open time
  }
}

export const imbalanceTaker: StrategyDefinition = {
  name: 'imbalance-taker',
  description:
    'Market orders in the direction of top-of-book size imbalance, with cooldown and a holding limit.',
  params: {
    symbol: { default: '', description: 'instrument to trade; first one when empty' },
    depth_levels: { default: 5, min: 1, description: 'levels per side in the imbalance' },
    threshold: { default: 0.6, min: 0, max: 1, description: 'imbalance that triggers an order' },
    order_size: { default: 0.002, min: 0, description: 'order size, base currency' },
    max_position: { default: 0.01, min: 0, description: 'largest position, base currency' },
    cooldown_ms: { default: 1000, min: 0, description: 'wait after each order, ms' },
    hold_ms: { default: 5000, min: 0, description: 'close a position older than this, ms (0: never)' },
  },
  create: (params) => new ImbalanceTaker(params),
};
