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
