import { describe, expect, it } from 'vitest';
import { summarizeWalkForward } from '../../../../core/backtest/analytics/walk-forward-summary.ts';
import { walkForwardWindows } from '../../../../core/backtest/analytics/walk-forward-windows.ts';
import { metricsWith } from './metrics-fixture.ts';

const plain = (w: ReturnType<typeof walkForwardWindows>) =>
  w.map((f) => [f.inSample.start, f.inSample.end, f.outOfSample.start, f.outOfSample.end]);

describe('walk-forward windows', () => {
  it('one fold is the plain 60/40 split', () => {
    expect(plain(walkForwardWindows(0, 1000))).toEqual([[0, 600, 600, 1000]]);
  });

  it('rolling: IS = 1.5 × OOS, OOS windows tile the end of the range', () => {
    // 900 = IS + 3 × OOS with IS = 1.5 OOS → OOS 200, IS 300.
    expect(plain(walkForwardWindows(0, 900, { folds: 3 }))).toEqual([
      [0, 300, 300, 500],
      [200, 500, 500, 700],
      [400, 700, 700, 900],
    ]);
  });

  it('anchored: in-sample always starts at the start', () => {
    expect(plain(walkForwardWindows(0, 900, { folds: 3, anchored: true }))).toEqual([
      [0, 300, 300, 500],
      [0, 500, 500, 700],
      [0, 700, 700, 900],
    ]);
  });

  it('other fractions and offsets', () => {
    expect(plain(walkForwardWindows(1000, 1300, { folds: 2, inSampleFraction: 0.5 }))).toEqual([
      [1000, 1100, 1100, 1200],
      [1100, 1200, 1200, 1300],
    ]);
  });

  it('rounds to whole µs, keeps windows contiguous and ends exactly at the end', () => {
    const w = walkForwardWindows(0, 1001, { folds: 3 });
    for (const f of w) {
      expect(Number.isInteger(f.inSample.end)).toBe(true);
      expect(f.outOfSample.start).toBe(f.inSample.end);
    }
    for (let k = 1; k < w.length; k++) expect(w[k]!.outOfSample.start).toBe(w[k - 1]!.outOfSample.end);
    expect(w[2]!.outOfSample.end).toBe(1001);
  });

  it('rejects bad configurations', () => {
    expect(() => walkForwardWindows(0, 1000, { folds: 0 })).toThrow(RangeError);
    expect(() => walkForwardWindows(0, 1000, { folds: 1.5 })).toThrow(RangeError);
    expect(() => walkForwardWindows(0, 1000, { inSampleFraction: 1 })).toThrow(RangeError);
    expect(() => walkForwardWindows(10, 10)).toThrow(RangeError);
    expect(() => walkForwardWindows(0, 3, { folds: 5 })).toThrow(RangeError);
  });
});

describe('walk-forward summary', () => {
  const windows = walkForwardWindows(0, 900, { folds: 2 });

  it('degradation = mean OOS / mean IS of the metric', () => {
    const s = summarizeWalkForward([
      {
        window: windows[0]!,
        inSample: metricsWith({ sharpe: 2 }),
        outOfSample: metricsWith({ sharpe: 1, pnl: 10 }),
      },
      {
        window: windows[1]!,
        inSample: metricsWith({ sharpe: 1 }),
        outOfSample: metricsWith({ sharpe: 0.25, pnl: -4 }),
      },
    ]);
    expect(s.metric).toBe('sharpe');
    expect(s.meanInSample).toBe(1.5);
    expect(s.meanOutOfSample).toBe(0.625);
    expect(s.degradation).toBeCloseTo(0.625 / 1.5, 12);
    expect(s.folds.map((f) => f.ratio)).toEqual([0.5, 0.25]);
    expect(s.outOfSampleProfitableShare).toBe(0.5);
    expect(s.outOfSamplePnl).toBe(6);
  });

  it('no in-sample edge: the ratio is null, not a sign-flipped number', () => {
    const s = summarizeWalkForward(
      [
        {
          window: windows[0]!,
          inSample: metricsWith({ totalReturn: -0.1 }),
          outOfSample: metricsWith({ totalReturn: 0.05 }),
        },
      ],
      'totalReturn',
    );
    expect(s.degradation).toBeNull();
    expect(s.folds[0]!.ratio).toBeNull();
  });

  it('no folds', () => {
    const s = summarizeWalkForward([]);
    expect(s.degradation).toBeNull();
    expect(s.outOfSampleProfitableShare).toBe(0);
  });
});

describe('walk-forward on windows too short to annualize', () => {
  it('compares the per-sample Sharpe and names it', () => {
    const windows = walkForwardWindows(0, 600_000_000);
    const short = (sharpePerSample: number) =>
      metricsWith({ sharpe: Number.NaN, sharpePerSample, periodSec: 300 });
    const s = summarizeWalkForward([{ window: windows[0]!, inSample: short(0.4), outOfSample: short(0.1) }]);
    expect(s.metric).toBe('sharpePerSample');
    expect(s.meanInSample).toBe(0.4);
    expect(s.degradation).toBeCloseTo(0.25, 12);
  });
});
