import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingSums } from '../../../core/signals/windows/rolling-sums.ts';
import { WindowExtremes } from '../../../core/signals/windows/window-extremes.ts';

/** Samples as (time step, x, y); times non-decreasing. */
const samples = fc.array(
  fc.tuple(
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.integer({ min: -1000, max: 1000 }),
  ),
  { minLength: 1, maxLength: 400 },
);

describe('incremental windows equal a recomputation from scratch', () => {
  it('RollingSums: count, sums, slope and correlation', () => {
    fc.assert(
      fc.property(
        samples,
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 4, max: 16 }),
        (raw, span, capacity) => {
          const w = new RollingSums(span, capacity); // small capacity: exercises growth and rebuilds
          const all: Array<[number, number, number]> = [];
          let t = 0;
          for (const [dt, x, y] of raw) {
            t += dt;
            w.push(t, x, y);
            all.push([t, x, y]);
            const inWindow = all.filter(([ts]) => ts > t - span);
            expect(w.count).toBe(inWindow.length);
            const sx = inWindow.reduce((a, [, x1]) => a + x1, 0);
            const sy = inWindow.reduce((a, [, , y1]) => a + y1, 0);
            const sxy = inWindow.reduce((a, [, x1, y1]) => a + x1 * y1, 0);
            // integer inputs: the running sums are exact
            expect(w.sx).toBe(sx);
            expect(w.sy).toBe(sy);
            expect(w.sxy).toBe(sxy);
            const n = inWindow.length;
            const mx = sx / n;
            const my = sy / n;
            let cxy = 0;
            let cxx = 0;
            let cyy = 0;
            for (const [, x1, y1] of inWindow) {
              cxy += (x1 - mx) * (y1 - my);
              cxx += (x1 - mx) ** 2;
              cyy += (y1 - my) ** 2;
            }
            const slope = n >= 2 && cxx > 0 ? cxy / cxx : Number.NaN;
            const corr = n >= 2 && cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : Number.NaN;
            if (Number.isNaN(slope)) expect(w.slope()).toBeNaN();
            else expect(w.slope()).toBeCloseTo(slope, 8);
            if (Number.isNaN(corr)) expect(w.correlation()).toBeNaN();
            else expect(w.correlation()).toBeCloseTo(corr, 8);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('WindowExtremes: min and max over the window', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 1, max: 300 }), (raw, span) => {
        const w = new WindowExtremes(span, 2);
        const all: Array<[number, number]> = [];
        let t = 0;
        for (const [dt, v] of raw) {
          t += dt;
          w.push(t, v);
          all.push([t, v]);
          const vs = all.filter(([ts]) => ts > t - span).map(([, x]) => x);
          expect(w.min()).toBe(Math.min(...vs));
          expect(w.max()).toBe(Math.max(...vs));
        }
      }),
      { numRuns: 150 },
    );
  });
});
