/**
 * Reference market maker: `num_levels` bids and asks around a fair price, re-priced when they drift.
 *
 *   fair  = mid × (1 − skew_bps/10⁴ × inventory),  inventory = position / max_position ∈ [−1, 1]
 *   bid_k = floor_tick(fair × (1 − (spread_bps/2 + k·level_spacing_bps)/10⁴))   k = 0 … num_levels−1
 *   ask_k = ceil_tick (fair × (1 + (spread_bps/2 + k·level_spacing_bps)/10⁴))
 * Inventory management: the skew leans both quotes against the position (a long quotes lower, so
 * it sells sooner and buys later), and at |position| ≥ max_position the side that would add to it
 * is pulled. An order is amended when its price is more than reprice_threshold_bps from where it
 * should be (amending costs queue position, so small drifts are left alone). Quotes are post-only
 * by default and never cross the book we see.
 */

import type { StrategyContext } from '../context.ts';
import type { OrderUpdate } from '../order-types.ts';
import { bool, num, type StrategyParams, str } from '../params.ts';
import type { StrategyDefinition } from '../registry.ts';
import type { Strategy } from '../strategy.ts';
import { ceilTick, floorTick, pickInstrument, sizeUnits } from './units.ts';

class MarketMaker implements Strategy {
  private inst = -1;
  private size = 0;
  private maxPos = 0;
  private bids: number[] = [];
  private asks: number[] = [];
  // What the last pass saw (the mid follows from the touch). A pass that sent nothing, met again with the same inputs and no order
  // update since, would send nothing again: it is skipped (most book messages move no quote input).
  private seenBid = Number.NaN;
  private seenAsk = Number.NaN;
  private seenPos = Number.NaN;
  /** An order update or new params since the last pass, or the last pass sent a request. */
  private dirty = true;

  constructor(private p: StrategyParams) {}

  onParams(ctx: StrategyContext, params: StrategyParams): void {
    this.p = params;
    this.dirty = true;
    this.inst = pickInstrument(ctx, str(params, 'symbol'));
    const instrument = ctx.instruments[this.inst]!;
    this.size = sizeUnits(instrument, num(params, 'order_size'));
    this.maxPos = sizeUnits(instrument, num(params, 'max_position'));
    const levels = num(params, 'num_levels');
    // Levels beyond a new num_levels are canceled; new ones filled on the next book.
    for (let k = levels; k < this.bids.length; k++) {
      if (this.bids[k]) ctx.cancel(this.bids[k]!);
      if (this.asks[k]) ctx.cancel(this.asks[k]!);
    }
    this.bids.length = levels;
    this.asks.length = levels;
    for (let k = 0; k < levels; k++) {
      this.bids[k] ??= 0;
      this.asks[k] ??= 0;
    }
  }

  onBook(ctx: StrategyContext, instrument: number): void {
    if (instrument !== this.inst) return;
    const book = ctx.book(instrument);
    const mid = book.mid();
    if (Number.isNaN(mid)) return;
    const pos = ctx.position(instrument);
    const bestBid = book.bestBid();
    const bestAsk = book.bestAsk();
    if (!this.dirty && pos === this.seenPos && bestBid === this.seenBid && bestAsk === this.seenAsk) return;
    this.seenPos = pos;
    this.seenBid = bestBid;
    this.seenAsk = bestAsk;
    this.dirty = false;
    const p = this.p;
    const ins = ctx.instruments[instrument]!;
    const inv = Math.max(-1, Math.min(1, pos / this.maxPos));
    const fair = mid * (1 - (num(p, 'skew_bps') / 1e4) * inv);
    const half = num(p, 'spread_bps') / 2;
    const spacing = num(p, 'level_spacing_bps');
    const threshold = (mid * num(p, 'reprice_threshold_bps')) / 1e4;
    const postOnly = bool(p, 'post_only');
    for (let k = 0; k < this.bids.length; k++) {
      const off = (half + k * spacing) / 1e4;
      let bid = floorTick(ins, fair * (1 - off));
      let ask = ceilTick(ins, fair * (1 + off));
      if (!Number.isNaN(bestAsk) && bid >= bestAsk) bid = bestAsk - ins.tickSize;
      if (!Number.isNaN(bestBid) && ask <= bestBid) ask = bestBid + ins.tickSize;
      this.bids[k] = this.quote(ctx, this.bids[k]!, 'buy', bid, pos < this.maxPos, threshold, postOnly);
      this.asks[k] = this.quote(ctx, this.asks[k]!, 'sell', ask, pos > -this.maxPos, threshold, postOnly);
    }
  }

  /** Keep one quote slot at `price`; returns the slot's order id (0: empty). */
  private quote(
    ctx: StrategyContext,
    id: number,
    side: 'buy' | 'sell',
    price: number,
    wanted: boolean,
    threshold: number,
    postOnly: boolean,
  ): number {
    const current = id ? ctx.order(id) : undefined;
    if (!wanted || !(price > 0)) {
      if (current && current.state !== 'pending_cancel') {
        ctx.cancel(id);
        this.dirty = true;
      }
      return current ? id : 0;
    }
    if (!current) {
      this.dirty = true;
      return ctx.submitLimit(this.inst, side, price, this.size, { postOnly });
    }
    if (current.state === 'open' && Math.abs(current.price - price) > threshold) {
      ctx.amend(id, price, current.size);
      this.dirty = true;
    }
    return id;
  }

  onOrderUpdate(_ctx: StrategyContext, u: OrderUpdate): void {
    this.dirty = true;
    if (!u.done) return;
    freeSlot(this.bids, u.orderId);
    freeSlot(this.asks, u.orderId);
  }
}

/** Empty the slot holding `id`, if any (a plain function: no closure per update). */
function freeSlot(slots: number[], id: number): void {
  const k = slots.indexOf(id);
  if (k >= 0) slots[k] = 0;
}

export const marketMaker: StrategyDefinition = {
  name: 'market-maker',
  description:
    'Symmetric quotes around an inventory-skewed mid, num_levels deep, re-priced past a threshold.',
  params: {
    symbol: {
      default: '',
      description: 'instrument to quote (unified or venue symbol); first one when empty',
    },
    spread_bps: { default: 1, min: 0, description: 'distance between our best bid and best ask, bps of mid' },
    order_size: {
      default: 0.002,
      min: 0,
      description: 'size of each quote, base currency (rounded to lots)',
    },
    num_levels: { default: 1, min: 1, max: 20, description: 'quotes per side' },
    level_spacing_bps: { default: 1, min: 0, description: 'extra distance of each deeper level, bps' },
    max_position: {
      default: 0.01,
      min: 0,
      description: 'position (base) at which the adding side is pulled',
    },
    skew_bps: { default: 1, description: 'fair-price shift at full inventory, bps (against the position)' },
    reprice_threshold_bps: {
      default: 0.5,
      min: 0,
      description: 'amend a quote when it is this far off, bps',
    },
    post_only: { default: true, description: 'quotes never take liquidity' },
  },
  create: (params) => new MarketMaker(params),
};
