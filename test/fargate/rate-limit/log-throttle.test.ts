import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heldBackNote, LogThrottle } from '../../../fargate/rate-limit/log-throttle.ts';

describe('LogThrottle', () => {
  it('tells the first occurrence, holds back repeats within the interval, then tells how many', () => {
    const t = new LogThrottle(1000);
    expect(t.admit('a', 0)).toBe(0);
    expect(t.admit('a', 10)).toBe(-1);
    expect(t.admit('b', 20)).toBe(0); // keys are apart
    expect(t.admit('a', 999)).toBe(-1);
    expect(t.admit('a', 1000)).toBe(2);
    expect(t.admit('a', 1500)).toBe(-1);
    expect(t.takeHeld('a')).toBe(1);
    expect(t.takeHeld('a')).toBe(0);
    expect(heldBackNote(2)).toBe(' (2 more like it since the last line)');
    expect(heldBackNote(0)).toBe('');
  });

  it('accounts for every occurrence, and tells at most one line per interval', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 200 }), (gaps) => {
        const t = new LogThrottle(1000);
        let now = 0;
        let told = 0;
        let heldReported = 0;
        let lastTold = Number.NEGATIVE_INFINITY;
        for (const gap of gaps) {
          now += gap;
          const held = t.admit('k', now);
          if (held < 0) continue;
          expect(now - lastTold).toBeGreaterThanOrEqual(1000);
          lastTold = now;
          told++;
          heldReported += held;
        }
        expect(told + heldReported + t.takeHeld('k')).toBe(gaps.length);
      }),
    );
  });
});
