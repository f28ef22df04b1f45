/**
 * Avellaneda–Stoikov market maker with Hummingbot's formulas (docs/backtest-models.md,
 * avellaneda_market_making.pyx `c_calculate_reservation_price_and_optimal_spread`):
 *
 *   q = (position − target) / inventory_scale        relative inventory
 *   τ = 1                                             infinite horizon (Hummingbot's default mode)
 *   r = mid − q·γ·σ·τ                                 reservation price (σ, not σ², as Hummingbot)
 *   δ = γ·σ·τ + (2/γ)·ln(1 + γ/κ)                     total optimal spread
 *   bid = min(r − δ/2, mid − min_spread/2);  ask = max(r + δ/2, mid + min_spread/2)
 *
 * Units: every price quantity (σ, δ, r − mid, min_spread) is measured in BASIS POINTS of mid, so
 * γ (risk_factor) and κ (order book liquidity) mean the same on a $0.1 coin and on BTC. Hummingbot
 * works in quote currency and estimates κ online; here κ is a parameter.
 * σ: standard deviation of mid changes (bps) between samples taken every sigma_sample_ms, over the
 * last volatility_buffer_size samples (Hummingbot's InstantVolatilityIndicator); no quotes until 3
 * samples exist. η (order_amount_shape_factor) shrinks the side that would add inventory:
 * size × e^(−η·|q|). Orders are amended when more than order_refresh_tolerance_bps off.
 */
import type { StrategyContext } from '../context.ts';
import type { OrderUpdate } from '../order-types.ts';
import { num, type StrategyParams, str } from '../params.ts';
import type { StrategyDefinition } from '../registry.ts';
import type { Strategy } from '../strategy.ts';
import { ceilTick, floorTick, pickInstrument, sizeUnits } from './units.ts';

/** The A–S quotes for a state (bps relative to mid): exported for tests. */
export function avellanedaStoikovQuotes(
  q: number,
  sigmaBps: number,
  gamma: number,
  kappa: number,
  minSpreadBps: number,
  tau = 1,
): { reservationBps: number; spreadBps: number; bidBps: number; askBps: number } {
  const reservation = -q * gamma * sigmaBps * tau;
  const spread = gamma * sigmaBps * tau + (2 / gamma) * Math.log(1 + gamma / kappa);
  const bid = Math.min(reservation - spread / 2, -minSpreadBps / 2);
  const ask = Math.max(reservation + spread / 2, minSpreadBps / 2);
  return { reservationBps: reservation, spreadBps: spread, bidBps: bid, askBps: ask };
}

class AvellanedaStoikov implements Strategy {
  private inst = 0;
  private size = 0;
  private scale = 1;
  private target = 0;
  private samples: number[] = [];
  private lastMid = Number.NaN;
  private bid = 0;
  private ask = 0;

  constructor(private p: StrategyParams) {}

  onParams(ctx: StrategyContext, params: StrategyParams): void {
    this.p = params;
    this.inst = pickInstrument(ctx, str(params, 'symbol'));
    const ins = ctx.instruments[this.inst]!;
    this.size = sizeUnits(ins, num(params, 'order_size'));
    this.scale = sizeUnits(ins, num(params, 'inventory_scale'));
    this.target = Math.round(num(params, 'inventory_target') * 10 ** ins.sizeScale);
    ctx.setTimer(num(params, 'sigma_sample_ms') * 1000);
  }

  /** Sample the mid for σ. */
  onTimer(ctx: StrategyContext): void {
    const mid = ctx.book(this.inst).mid();
    if (Number.isNaN(mid)) return;
    if (!Number.isNaN(this.lastMid)) {
      this.samples.push(((mid - this.lastMid) / this.lastMid) * 1e4);
      const max = num(this.p, 'volatility_buffer_size');
      if (this.samples.length > max) this.samples.splice(0, this.samples.length - max);
    }
    this.lastMid = mid;
    this.requote(ctx);
  }

  onBook(ctx: StrategyContext, instrument: number): void {
    if (instrument === this.inst) this.requote(ctx);
  }

  private sigma(): number {
    const s = this.samples;
    if (s.length < 3) return Number.NaN;
    let mean = 0;
    for (const x of s) mean += x;
    mean /= s.length;
    let v = 0;
    for (const x of s) v += (x - mean) ** 2;
    return Math.sqrt(v / (s.length - 1));
  }

  private requote(ctx: StrategyContext): void {
    const sigma = this.sigma();
    const book = ctx.book(this.inst);
    const mid = book.mid();
    if (Number.isNaN(sigma) || Number.isNaN(mid)) return;
    const p = this.p;
    const ins = ctx.instruments[this.inst]!;
    const pos = ctx.position(this.inst);
    const q = (pos - this.target) / this.scale;
    const quotes = avellanedaStoikovQuotes(
      q,
      sigma,
      num(p, 'gamma'),
      num(p, 'kappa'),
      num(p, 'min_spread_bps'),
    );
    let bid = floorTick(ins, mid * (1 + quotes.bidBps / 1e4));
    let ask = ceilTick(ins, mid * (1 + quotes.askBps / 1e4));
    const bestBid = book.bestBid();
    const bestAsk = book.bestAsk();
    if (bid >= bestAsk) bid = bestAsk - ins.tickSize;
    if (ask <= bestBid) ask = bestBid + ins.tickSize;
    const eta = num(p, 'order_amount_shape_factor');
    const lot = ins.lotSize;
    const bidSize = Math.max(lot, Math.floor((this.size * Math.exp(-eta * Math.max(q, 0))) / lot) * lot);
    const askSize = Math.max(lot, Math.floor((this.size * Math.exp(-eta * Math.max(-q, 0))) / lot) * lot);
    const maxQ = num(p, 'max_inventory_ratio');
    const tolerance = (mid * num(p, 'order_refresh_tolerance_bps')) / 1e4;
    this.bid = this.keep(ctx, this.bid, 'buy', bid, bidSize, q < maxQ, tolerance);
    this.ask = this.keep(ctx, this.ask, 'sell', ask, askSize, q > -maxQ, tolerance);
  }

  private keep(
    ctx: StrategyContext,
    id: number,
    side: 'buy' | 'sell',
    price: number,
    size: number,
    wanted: boolean,
    tolerance: number,
  ): number {
    const o = id ? ctx.order(id) : undefined;
    if (!wanted || !(price > 0)) {
      if (o && o.state !== 'pending_cancel') ctx.cancel(id);
      return o ? id : 0;
    }
    if (!o) return ctx.submitLimit(this.inst, side, price, size, { postOnly: true });
    if (o.state === 'open' && (Math.abs(o.price - price) > tolerance || o.size - o.filled !== size)) {
      ctx.amend(id, price, o.filled + size);
    }
    return id;
  }

  onOrderUpdate(_ctx: StrategyContext, u: OrderUpdate): void {
    if (!u.done) return;
    if (u.orderId === this.bid) this.bid = 0;
    if (u.orderId === this.ask) this.ask = 0;
  }
}

export const avellanedaStoikov: StrategyDefinition = {
  name: 'avellaneda-stoikov',
  description: 'Avellaneda–Stoikov reservation price and optimal spread (Hummingbot formulas, bps units).',
  params: {
    symbol: { default: '', description: 'instrument to quote; first one when empty' },
    gamma: { default: 0.5, min: 1e-9, description: 'risk factor γ (1/bps)' },
    kappa: { default: 2, min: 1e-9, description: 'order book liquidity κ (1/bps)' },
    min_spread_bps: { default: 0.2, min: 0, description: 'quotes at least this far apart, bps' },
    order_size: { default: 0.002, min: 0, description: 'quote size, base currency' },
    inventory_scale: { default: 0.01, min: 0, description: 'position (base) that counts as q = 1' },
    inventory_target: { default: 0, description: 'target position, base currency' },
    max_inventory_ratio: { default: 1, min: 0, description: 'stop adding beyond |q| of this' },
    order_amount_shape_factor: { default: 0, min: 0, description: 'η: size × e^(−η|q|) on the adding side' },
    sigma_sample_ms: { default: 1000, min: 1, description: 'mid sampling interval for σ, ms' },
    volatility_buffer_size: { default: 30, min: 3, description: 'samples in the σ window' },
    order_refresh_tolerance_bps: {
      default: 0.5,
      min: 0,
      description: 'amend when a quote is this far off, bps',
    },
  },
  create: (params) => new AvellanedaStoikov(params),
};
