import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DailyLoss } from '../../../core/risk/loss/daily-loss.ts';
import { RollingDrawdown } from '../../../core/risk/loss/rolling-drawdown.ts';

const MINUTE = 60_000_000;

describe('RollingDrawdown', () => {
  it('measures from the highest PnL still in the window', () => {
    const d = new RollingDrawdown(60 * MINUTE);
    d.update(0, 10);
    d.update(20 * MINUTE, 30);
    d.update(40 * MINUTE, 5);
    expect(d.drawdown).toBe(25);
    // At 75 min the 30 (sampled at 20 min) is still inside the last hour; at 81 min it is gone.
    d.update(75 * MINUTE, 5);
    expect(d.drawdown).toBe(25);
    d.update(81 * MINUTE, 5);
    expect(d.drawdown).toBe(0);
  });

  it('keeps a peak for the whole window and at most one slot (15 s of an hour) past it', () => {
    const d = new RollingDrawdown(60 * MINUTE);
    d.update(14_000_000, 100); // late in the first 15 s slot
    d.update(60 * MINUTE + 13_999_999, 0); // just under an hour old: counts
    expect(d.drawdown).toBe(100);
    d.update(60 * MINUTE + 14_999_999, 0); // an hour old: its slot is the oldest kept
    expect(d.drawdown).toBe(100);
    d.update(60 * MINUTE + 15_000_000, 0); // its slot has left (the sample is 60 min 1 s old)
    expect(d.drawdown).toBe(0);
  });

  it('uses fixed memory however many samples arrive', () => {
    const d = new RollingDrawdown(60 * MINUTE);
    for (let t = 0; t < 100_000; t++) d.update(t * 1000, Math.sin(t / 100) * 10);
    expect(d.drawdown).toBeGreaterThanOrEqual(0);
    expect(d.drawdown).toBeLessThanOrEqual(20);
  });
});

describe('DailyLoss', () => {
  it('counts from 0 on the first day and from the last PnL before midnight after', () => {
    const day = 86_400_000_000;
    const l = new DailyLoss();
    l.update(5, -30);
    expect(l.loss).toBe(30);
    l.update(day - 1, 20);
    expect(l.loss).toBe(-20);
    l.update(day, 15);
    expect(l.loss).toBe(5);
  });
});

describe('RollingDrawdown against a recomputation from every sample', () => {
  it('property: equals the peak of all samples whose slot is in the window, minus the latest', () => {
    const windowMicros = 60_000_000;
    const width = windowMicros / 240;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30_000_000 }), fc.integer({ min: -1000, max: 1000 })), {
          minLength: 1,
          maxLength: 300,
        }),
        (steps) => {
          const dd = new RollingDrawdown(windowMicros);
          const samples: Array<[number, number]> = [];
          let now = 0;
          for (const [dt, pnl] of steps) {
            now += dt;
            dd.update(now, pnl);
            samples.push([now, pnl]);
            const slot = Math.floor(now / width);
            let peak = pnl;
            for (const [t, p] of samples) {
              const s = Math.floor(t / width);
              if (s >= slot - 240 && s <= slot && p > peak) peak = p;
            }
            expect(dd.drawdown).toBe(peak - pnl);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
