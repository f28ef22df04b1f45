import { describe, expect, it } from 'vitest';
import { L2Book } from '../../../core/book/l2-book.ts';
import { topImbalance, WallFinder, weightedMid } from '../../../core/signals/detect/book-shape.ts';
import { DetectFlag, Detector } from '../../../core/signals/detect/detector.ts';
import { defaultSignalParams, signalParamsSchema } from '../../../core/signals/signal-params.ts';

/** A book of `levels` levels a side around 10000/10001, every level `size` unless overridden. */
function book(
  levels = 10,
  size = 100,
  overrides: Array<[isBid: boolean, index: number, size: number]> = [],
): L2Book {
  const b = new L2Book();
  for (let i = 0; i < levels; i++) {
    b.set(true, 10_000 - i, size);
    b.set(false, 10_001 + i, size);
  }
  for (const [isBid, i, s] of overrides) b.set(isBid, isBid ? 10_000 - i : 10_001 + i, s);
  return b;
}

describe('book shape', () => {
  it('weighted mid is (bid·askSize + ask·bidSize) / (bidSize + askSize), exactly', () => {
    const b = new L2Book();
    b.set(true, 100, 3);
    b.set(false, 104, 1);
    expect(weightedMid(b)).toBe((100 * 1 + 104 * 3) / 4); // 103: leans to the thin ask
    b.set(false, 104, 3);
    expect(weightedMid(b)).toBe(102);
    expect(weightedMid(new L2Book())).toBeNaN();
  });

  it('top-5 imbalance counts only the best five levels', () => {
    const b = book(10, 100, [
      [true, 0, 400],
      [false, 7, 10_000], // outside the top five: ignored
    ]);
    expect(topImbalance(b, 5)).toBe((800 - 500) / 1300);
  });

  it('a wall is a level ≥ k × the median of the top N', () => {
    const w = new WallFinder(10, 5);
    expect(w.find(book().bids)).toBe(false);
    expect(w.find(book(10, 100, [[true, 3, 499]]).bids)).toBe(false);
    expect(w.find(book(10, 100, [[true, 3, 500]]).bids)).toBe(true);
    expect(w.price).toBe(9997);
    expect(w.ratio).toBe(5);
  });
});

describe('Detector', () => {
  const params = defaultSignalParams();

  it('a quiet book raises nothing', () => {
    const d = new Detector(params);
    const b = book();
    let flags = 0;
    for (let t = 0; t < 100; t++) {
      b.set(true, 10_000 - (t % 10), 100 + (t % 3)); // small size churn, mid fixed
      flags |= d.onBook(b, t * 10_000);
    }
    for (let t = 0; t < 20; t++) flags |= d.onTrade(t % 2 === 0 ? 'buy' : 'sell', 5, 1_000_000 + t * 1000);
    expect(flags).toBe(0);
  });

  it('imbalance fires on the crossing, once, and again after it clears', () => {
    const d = new Detector(params);
    expect(d.onBook(book(), 0) & DetectFlag.Imbalance).toBe(0);
    const heavy = book(10, 100, [
      [true, 0, 2000],
      [true, 1, 2000],
    ]);
    expect(d.onBook(heavy, 1000) & DetectFlag.Imbalance).toBe(DetectFlag.Imbalance);
    expect(d.imbalanceDirection).toBe(1);
    expect(d.onBook(heavy, 2000) & DetectFlag.Imbalance).toBe(0); // held: no new signal
    expect(d.onBook(book(), 3000) & DetectFlag.Imbalance).toBe(0);
    expect(d.onBook(heavy, 4000) & DetectFlag.Imbalance).toBe(DetectFlag.Imbalance);
  });

  it('walls fire when a side gains one, per side', () => {
    const d = new Detector(params);
    d.onBook(book(), 0);
    const f = d.onBook(book(10, 100, [[false, 4, 900]]), 1000);
    expect(f & DetectFlag.AskWall).toBe(DetectFlag.AskWall);
    expect(f & DetectFlag.BidWall).toBe(0);
    expect(d.askWallPrice).toBe(10_005);
    expect(d.askWallRatio).toBe(9);
  });

  it('a flash move beyond x bps within y ms is a micro-move; the same move spread over longer is not', () => {
    const fast = new Detector(params);
    const slow = new Detector(params);
    // 10 bps up (10000 → 10010) in 200 ms, and the same over 20 s in steps of 1 unit each 2 s
    for (let k = 0; k <= 10; k++) {
      const shifted = new L2Book();
      for (let i = 0; i < 10; i++) {
        shifted.set(true, 10_000 + k - i, 100);
        shifted.set(false, 10_001 + k + i, 100);
      }
      const ff = fast.onBook(shifted, k * 20_000);
      const fs = slow.onBook(shifted, k * 2_000_000);
      expect(fs & DetectFlag.MicroMove).toBe(0);
      if (k === 6) {
        // 6 units on 10000.5 = 6.0 bps > 5 bps: fires here, not before
        expect(ff & DetectFlag.MicroMove).toBe(DetectFlag.MicroMove);
        expect(fast.microMoveBps).toBeCloseTo((6 / 10_000.5) * 10_000, 9);
      } else expect(ff & DetectFlag.MicroMove).toBe(0);
    }
  });

  it('trade flow fires when buys dominate the window', () => {
    const d = new Detector(params);
    let fired = 0;
    for (let t = 0; t < 12; t++) if (d.onTrade('buy', 10, t * 1000) & DetectFlag.TradeFlow) fired++;
    expect(fired).toBe(1);
    expect(d.tradeFlowImbalance).toBe(1);
    expect(d.buySellRatio).toBe(Number.POSITIVE_INFINITY);
    for (let t = 0; t < 12; t++) d.onTrade('sell', 10, 20_000 + t * 1000);
    expect(d.tradeFlowImbalance).toBe(0);
    expect(d.buySellRatio).toBe(1);
  });
});

describe('signal params', () => {
  it('refuse unknown keys and report every problem at once', () => {
    const r = signalParamsSchema.safeParse({ detect: { wallMultiple: -1, nope: 1 }, extra: true });
    expect(r.success).toBe(false);
    expect(r.error?.issues.length).toBeGreaterThanOrEqual(3);
  });
});
