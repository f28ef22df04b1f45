/**
 * Stage 2, context, for one instrument: rolling 1 s / 5 s / 15 s trade windows (volume, net taker
 * volume, VWAP), VPIN, Kyle's lambda, the size-weighted mid and Stoikov's micro-price, and the mid's
 * deviation from the longest window's VWAP. Prices are in price units; volumes in size units
 * (Kyle's lambda is scaled to quote currency per base unit by the caller's `priceToQuote`/`sizeToBase`).
 */
import type { Micros, Side } from '../../market/events.ts';
import type { BookView } from '../../strategy/book-view.ts';
import { weightedMid } from '../detect/book-shape.ts';
import type { SignalParams } from '../signal-params.ts';
import { RollingSums } from '../windows/rolling-sums.ts';
import { KyleLambda } from './kyle-lambda.ts';
import { StoikovMicroprice } from './stoikov-microprice.ts';
import { Vpin } from './vpin.ts';

export const ContextFlag = {
  ToxicFlow: 1,
  VwapDeviation: 2,
} as const;

export class InstrumentContext {
  /** Per window: x = price × size, y = size (VWAP = Σx/Σy). */
  readonly vwapWindows: readonly [RollingSums, RollingSums, RollingSums];
  /** Per window: x = signed size, y = size. */
  readonly flowWindows: readonly [RollingSums, RollingSums, RollingSums];
  readonly vpin: Vpin;
  readonly kyle: KyleLambda;
  readonly micro = new StoikovMicroprice();
  weightedMid = Number.NaN;
  microprice = Number.NaN;
  mid = Number.NaN;
  /** (mid − VWAP) / VWAP over the longest window, bps. */
  vwapDeviationBps = Number.NaN;
  private toxic = false;
  private deviated = 0;

  constructor(
    private readonly params: SignalParams,
    private readonly tick: number,
    /** price units × size units → quote currency (VPIN buckets are filled with traded notional). */
    private readonly notionalScale: number,
  ) {
    const [a, b, c] = params.context.windowsMs;
    this.vwapWindows = [new RollingSums(a * 1000), new RollingSums(b * 1000), new RollingSums(c * 1000)];
    this.flowWindows = [new RollingSums(a * 1000), new RollingSums(b * 1000), new RollingSums(c * 1000)];
    this.vpin = new Vpin(params.context.vpinBucketNotional, params.context.vpinBuckets);
    this.kyle = new KyleLambda(params.context.kyleWindowMs * 1000);
  }

  /** A book update; returns ContextFlag bits. */
  onBook(book: BookView, now: Micros): number {
    const mid = book.mid();
    this.mid = mid;
    const wm = weightedMid(book);
    this.weightedMid = wm;
    this.microprice = this.micro.observe(
      mid,
      book.bids.bestSize(),
      book.asks.bestSize(),
      book.asks.bestPrice() - book.bids.bestPrice(),
      this.tick,
      wm,
    );
    this.kyle.onMid(mid, now);
    let flags = 0;
    const w = this.vwapWindows[2];
    w.advance(now);
    for (let i = 0; i < 3; i++) {
      this.vwapWindows[i]!.advance(now);
      this.flowWindows[i]!.advance(now);
    }
    const vwap = w.sy > 0 ? w.sx / w.sy : Number.NaN;
    this.vwapDeviationBps = vwap > 0 && mid > 0 ? ((mid - vwap) / vwap) * 10_000 : Number.NaN;
    const limit = this.params.context.vwapDeviationBps;
    const d = this.vwapDeviationBps;
    const side = d >= limit ? 1 : d <= -limit ? -1 : 0;
    if (side !== 0 && side !== this.deviated) flags |= ContextFlag.VwapDeviation;
    this.deviated = side;
    return flags;
  }

  /** A trade; returns ContextFlag bits. */
  onTrade(price: number, size: number, side: Side | 'unknown', now: Micros): number {
    const signed = side === 'buy' ? size : side === 'sell' ? -size : 0;
    for (let i = 0; i < 3; i++) {
      this.vwapWindows[i]!.push(now, price * size, size);
      this.flowWindows[i]!.push(now, signed, size);
    }
    this.vpin.onTrade(price, price * size * this.notionalScale, side);
    if (signed !== 0) this.kyle.onTrade(signed);
    const v = this.vpin.value();
    const toxic = v >= this.params.context.vpinAlert;
    const fired = toxic && !this.toxic;
    this.toxic = toxic;
    return fired ? ContextFlag.ToxicFlow : 0;
  }

  /** VWAP of window i (0, 1, 2), price units. */
  vwap(i: 0 | 1 | 2): number {
    const w = this.vwapWindows[i];
    return w.sy > 0 ? w.sx / w.sy : Number.NaN;
  }
}
