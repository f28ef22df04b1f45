/**
 * Reference strategy `hifa`, built on the four signal stages (core/signals):
 *   entry   stage 1's top-n imbalance beyond ±imbalance_threshold AND stage 2's micro-price at least
 *           microprice_edge_bps beyond mid on the same side → a market order of order_size, cut to
 *           stage 4's liquidity-based size when that is smaller;
 *   gate    no entry while stage 3's risk score (position, liquidity, venue health) is above
 *           max_risk_score;
 *   exit    a position older than hold_ms is closed by a TWAP of stage 4 (exit_horizon_ms /
 *           exit_interval_ms); every child is a market order through the context, so it passes
 *           the risk gate like any other, and a refused child goes back to the parent.
 * The pipeline reads only what the context shows (books, trades, own position), so the decisions
 * are the same in a backtest, a sweep and paper trading.
 */
import type { Side } from '../../market/events.ts';
import { Slicer } from '../../signals/execute/slicer.ts';
import { signalParamsSchema } from '../../signals/signal-params.ts';
import { type InstrumentSignals, SignalPipeline } from '../../signals/signal-pipeline.ts';
import type { StrategyContext } from '../context.ts';
import type { OrderId, OrderUpdate } from '../order-types.ts';
import { num, type StrategyParams, str } from '../params.ts';
import type { StrategyDefinition } from '../registry.ts';
import type { Strategy, TradeView } from '../strategy.ts';
import { pickInstrument, sizeUnits } from './units.ts';

class Hifa implements Strategy {
  private inst = 0;
  private size = 0;
  private maxPos = 0;
  private pipeline!: SignalPipeline;
  private signals: InstrumentSignals | undefined;
  private ctx: StrategyContext | undefined;
  private pending: OrderId = 0;
  private pendingSize = 0;
  private readyAt = 0;
  private openedAt = Number.NaN;
  private exit: Slicer | undefined;

  constructor(private p: StrategyParams) {}

  onParams(ctx: StrategyContext, params: StrategyParams): void {
    this.p = params;
    this.ctx = ctx;
    this.inst = pickInstrument(ctx, str(params, 'symbol'));
    const ins = ctx.instruments[this.inst]!;
    this.size = sizeUnits(ins, num(params, 'order_size'));
    this.maxPos = sizeUnits(ins, num(params, 'max_position'));
    const signalParams = signalParamsSchema.parse({
      detect: {
        imbalanceLevels: num(params, 'depth_levels'),
        imbalanceThreshold: num(params, 'imbalance_threshold'),
      },
      assess: { maxPosition: num(params, 'max_position'), slippageSize: num(params, 'order_size') },
    });
    const index = new Map(ctx.instruments.map((x, i) => [x, i]));
    this.pipeline = new SignalPipeline(signalParams, {
      positionOf: (instrument) => {
        const i = index.get(instrument);
        return i === undefined || !this.ctx ? 0 : this.ctx.position(i);
      },
    });
    this.signals = undefined;
  }

  onTrade(ctx: StrategyContext, t: TradeView): void {
    this.pipeline.onTrade(ctx.instruments[t.instrument]!, t.price, t.size, t.side, t.localTs);
  }

  onBook(ctx: StrategyContext, instrument: number): void {
    const book = ctx.book(instrument);
    const now = ctx.now();
    this.pipeline.onBook(ctx.instruments[instrument]!, book, now, 0);
    if (instrument !== this.inst || this.pending !== 0 || this.exit) return;
    this.signals ??= this.pipeline.find(
      ctx.instruments[instrument]!.exchange,
      ctx.instruments[instrument]!.symbol,
    );
    const s = this.signals;
    if (!s) return;
    const pos = ctx.position(instrument);
    const hold = num(this.p, 'hold_ms') * 1000;
    if (pos !== 0 && hold > 0 && now - this.openedAt >= hold) {
      this.startExit(ctx, pos);
      return;
    }
    if (now < this.readyAt || s.assessment.score > num(this.p, 'max_risk_score')) return;
    const mid = book.mid();
    if (!(mid > 0)) return;
    const edge = ((s.context.microprice - mid) / mid) * 10_000;
    const needEdge = num(this.p, 'microprice_edge_bps');
    const threshold = num(this.p, 'imbalance_threshold');
    const imb = s.detector.imbalance;
    const size = s.suggestedSize > 0 ? Math.min(this.size, s.suggestedSize) : this.size;
    if (imb >= threshold && edge >= needEdge && pos + size <= this.maxPos) this.send(ctx, 'buy', size);
    else if (imb <= -threshold && edge <= -needEdge && pos - size >= -this.maxPos)
      this.send(ctx, 'sell', size);
  }

  onTimer(ctx: StrategyContext): void {
    const exit = this.exit;
    if (!exit || this.pending !== 0) return;
    const size = exit.next(ctx.now(), ctx.book(this.inst));
    if (size > 0) this.sendChild(ctx, exit.spec.isBuy ? 'buy' : 'sell', size);
  }

  private startExit(ctx: StrategyContext, pos: number): void {
    const ins = ctx.instruments[this.inst]!;
    this.exit = new Slicer(
      {
        mode: 'twap',
        total: Math.abs(pos),
        isBuy: pos < 0,
        lotSize: ins.lotSize,
        minSize: ins.minSize,
        intervalUs: num(this.p, 'exit_interval_ms') * 1000,
        horizonUs: num(this.p, 'exit_horizon_ms') * 1000,
      },
      ctx.now(),
    );
    ctx.setTimer(num(this.p, 'exit_interval_ms') * 1000);
    this.onTimer(ctx);
  }

  private send(ctx: StrategyContext, side: Side, size: number): void {
    this.sendChild(ctx, side, size);
    this.readyAt = ctx.now() + num(this.p, 'cooldown_ms') * 1000;
  }

  private sendChild(ctx: StrategyContext, side: Side, size: number): void {
    this.pending = ctx.submitMarket(this.inst, side, size);
    this.pendingSize = size;
  }

  onOrderUpdate(ctx: StrategyContext, u: OrderUpdate): void {
    if (u.orderId !== this.pending || !u.done) return;
    this.pending = 0;
    const exit = this.exit;
    // What a child did not fill (refused, or the market order's unfilled rest) goes back to the parent.
    if (exit && u.filled < this.pendingSize) exit.refused(this.pendingSize - u.filled);
    const pos = ctx.position(this.inst);
    if (pos === 0) {
      this.openedAt = Number.NaN;
      if (exit) {
        this.exit = undefined;
        ctx.setTimer(0);
      }
    } else if (Number.isNaN(this.openedAt)) this.openedAt = u.ts;
    if (exit?.done && pos !== 0) {
      // Fills differed from the plan (partial fills, a position that moved): plan the rest again.
      this.exit = undefined;
      ctx.setTimer(0);
    }
  }
}

export const hifa: StrategyDefinition = {
  name: 'hifa',
  description:
    'Four-stage signals: imbalance + micro-price entries, gated by the stage-3 risk score, exits sliced by TWAP.',
  params: {
    symbol: { default: '', description: 'instrument to trade; first one when empty' },
    depth_levels: { default: 5, min: 1, description: 'levels per side in the imbalance' },
    imbalance_threshold: { default: 0.6, min: 0, max: 1, description: 'imbalance that allows an entry' },
    microprice_edge_bps: {
      default: 0.1,
      min: 0,
      description: 'micro-price beyond mid needed for an entry, bps',
    },
    max_risk_score: { default: 60, min: 0, max: 100, description: 'no entry above this stage-3 risk score' },
    order_size: { default: 0.002, min: 0, description: 'entry size, base currency' },
    max_position: { default: 0.01, min: 0, description: 'largest position, base currency' },
    cooldown_ms: { default: 1000, min: 0, description: 'wait after each entry, ms' },
    hold_ms: {
      default: 5000,
      min: 0,
      description: 'start the exit of a position older than this, ms (0: never)',
    },
    exit_horizon_ms: { default: 3000, min: 1, description: 'TWAP exit horizon, ms' },
    exit_interval_ms: { default: 1000, min: 1, description: 'TWAP exit interval, ms' },
  },
  create: (params) => new Hifa(params),
};
