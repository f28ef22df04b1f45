/**
 * Stage 1, detect: per instrument, on every book update and trade, the events a strategy may act on.
 *   imbalance   top-n imbalance crosses ±threshold (fires on the crossing, not while it stays there)
 *   wall        a level ≥ k × the median of the best N appears on a side (fires when a side gains one
 *               or its wall moves to another price)
 *   micro_move  the mid moved more than x bps within y ms (fires once per excursion: the window
 *               restarts from the current mid after firing)
 *   trade_flow  (buy − sell) / (buy + sell) volume over the window crosses ±threshold
 * Values are kept on the object for reports (`imbalance5`-style figures are read from here).
 */
import type { Micros, Side } from '../../market/events.ts';
import type { BookView } from '../../strategy/book-view.ts';
import type { SignalParams } from '../signal-params.ts';
import { RollingSums } from '../windows/rolling-sums.ts';
import { WindowExtremes } from '../windows/window-extremes.ts';
import { depthWeightedImbalance, topImbalance, WallFinder } from './book-shape.ts';

/** What one call found; the pipeline turns each flag into a signal event. */
export const DetectFlag = {
  Imbalance: 1,
  BidWall: 2,
  AskWall: 4,
  MicroMove: 8,
  TradeFlow: 16,
} as const;

export class Detector {
  private readonly p: SignalParams['detect'];
  private readonly walls: WallFinder;
  private readonly mids: WindowExtremes;
  /** x = signed size (buy +, sell −), y = |size|. */
  private readonly flow: RollingSums;
  imbalance = Number.NaN;
  weightedImbalance = Number.NaN;
  private imbalanceSide: -1 | 0 | 1 = 0;
  bidWallPrice = Number.NaN;
  bidWallRatio = 0;
  askWallPrice = Number.NaN;
  askWallRatio = 0;
  /** Last micro-move, bps (signed). */
  microMoveBps = 0;
  tradeFlowImbalance = Number.NaN;
  /** Buy ÷ sell volume over the trade-flow window (∞ with no sells, NaN with no trades). */
  buySellRatio = Number.NaN;
  private flowSide: -1 | 0 | 1 = 0;

  constructor(params: SignalParams) {
    this.p = params.detect;
    this.walls = new WallFinder(this.p.wallLevels, this.p.wallMultiple);
    this.mids = new WindowExtremes(this.p.microMoveMs * 1000);
    this.flow = new RollingSums(this.p.tradeFlowMs * 1000);
  }

  /** A book update at `now`; returns DetectFlag bits. */
  onBook(book: BookView, now: Micros): number {
    let flags = 0;
    const p = this.p;
    const imb = topImbalance(book, p.imbalanceLevels);
    this.imbalance = imb;
    this.weightedImbalance = depthWeightedImbalance(book, p.imbalanceLevels, p.depthWeightDecay);
    const side = imb >= p.imbalanceThreshold ? 1 : imb <= -p.imbalanceThreshold ? -1 : 0;
    if (side !== 0 && side !== this.imbalanceSide) flags |= DetectFlag.Imbalance;
    this.imbalanceSide = side;

    const hadBid = this.bidWallPrice;
    if (this.walls.find(book.bids)) {
      if (this.walls.price !== hadBid) flags |= DetectFlag.BidWall;
      this.bidWallPrice = this.walls.price;
      this.bidWallRatio = this.walls.ratio;
    } else {
      this.bidWallPrice = Number.NaN;
      this.bidWallRatio = 0;
    }
    const hadAsk = this.askWallPrice;
    if (this.walls.find(book.asks)) {
      if (this.walls.price !== hadAsk) flags |= DetectFlag.AskWall;
      this.askWallPrice = this.walls.price;
      this.askWallRatio = this.walls.ratio;
    } else {
      this.askWallPrice = Number.NaN;
      this.askWallRatio = 0;
    }

    const mid = book.mid();
    if (mid > 0) {
      this.mids.push(now, mid);
      const lo = this.mids.min();
      const hi = this.mids.max();
      const up = ((mid - lo) / lo) * 10_000;
      const down = ((hi - mid) / hi) * 10_000;
      if (up > p.microMoveBps || down > p.microMoveBps) {
        this.microMoveBps = up >= down ? up : -down;
        flags |= DetectFlag.MicroMove;
        this.mids.clear();
        this.mids.push(now, mid);
      }
    }
    return flags;
  }

  /** A trade at `now`; returns DetectFlag bits. */
  onTrade(side: Side | 'unknown', size: number, now: Micros): number {
    if (side === 'unknown') {
      this.flow.advance(now);
      return 0;
    }
    this.flow.push(now, side === 'buy' ? size : -size, size);
    const signed = this.flow.sx;
    const total = this.flow.sy;
    this.tradeFlowImbalance = total > 0 ? signed / total : Number.NaN;
    const buy = (total + signed) / 2;
    const sell = (total - signed) / 2;
    this.buySellRatio = total > 0 ? (sell > 0 ? buy / sell : Number.POSITIVE_INFINITY) : Number.NaN;
    const p = this.p;
    const fi = this.tradeFlowImbalance;
    const s =
      this.flow.count >= p.tradeFlowMinTrades
        ? fi >= p.tradeFlowThreshold
          ? 1
          : fi <= -p.tradeFlowThreshold
            ? -1
            : 0
        : 0;
    const fired = s !== 0 && s !== this.flowSide;
    this.flowSide = s;
    return fired ? DetectFlag.TradeFlow : 0;
  }

  get imbalanceDirection(): -1 | 0 | 1 {
    return this.imbalanceSide;
  }

  get flowDirection(): -1 | 0 | 1 {
    return this.flowSide;
  }
}
