import { describe, expect, it } from 'vitest';
import { MonotonicClock } from '../../../../core/quality/validators/monotonic-clock.ts';

describe('MonotonicClock', () => {
  it('accepts increasing and equal times', () => {
    const c = new MonotonicClock();
    for (const ts of [1_723_161_255_208_000, 1_723_161_255_308_000, 1_723_161_255_308_000]) {
      expect(c.wentBackwards(ts)).toBe(false);
    }
  });

  it('reports a step back once, then follows the new time', () => {
    const c = new MonotonicClock();
    c.wentBackwards(2_000);
    expect(c.wentBackwards(1_000)).toBe(true);
    expect(c.wentBackwards(1_500)).toBe(false);
    expect(c.latest).toBe(1_500);
  });

  it('tolerates a step back within the tolerance', () => {
    const c = new MonotonicClock(500);
    c.wentBackwards(2_000);
    expect(c.wentBackwards(1_500)).toBe(false);
    expect(c.wentBackwards(900)).toBe(true);
  });

  it('ignores 0 (no venue time) and restarts after reset', () => {
    const c = new MonotonicClock();
    c.wentBackwards(2_000);
    expect(c.wentBackwards(0)).toBe(false);
    expect(c.latest).toBe(2_000);
    c.reset();
    expect(c.wentBackwards(1_000)).toBe(false);
  });
});
