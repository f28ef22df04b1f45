import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/sim/random.ts';
import { Backoff } from '../../../fargate/connectors/backoff.ts';

const DEFAULTS = { initialMs: 100, maxMs: 30_000, multiplier: 2, jitter: 0.5 };

describe('Backoff', () => {
  it('grows 100 ms → 30 s and adds 0–50 % jitter', () => {
    const b = new Backoff(DEFAULTS, seededRandom(42));
    const bases = [100, 200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000];
    for (const base of bases) {
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(base);
      expect(d).toBeLessThanOrEqual(base * 1.5);
    }
    expect(b.attempts).toBe(bases.length);
  });

  it('is reproducible with a seed and uses the jitter range', () => {
    const run = (seed: number) => {
      const b = new Backoff(DEFAULTS, seededRandom(seed));
      return Array.from({ length: 50 }, () => {
        const d = b.next();
        b.reset();
        return d;
      });
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    const first = run(3);
    // First attempt: 100–150 ms, and the jitter really spreads (not a constant).
    expect(Math.min(...first)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...first)).toBeLessThanOrEqual(150);
    expect(new Set(first).size).toBeGreaterThan(10);
  });

  it('starts over after reset', () => {
    const b = new Backoff({ ...DEFAULTS, jitter: 0 }, seededRandom(1));
    expect([b.next(), b.next(), b.next()]).toEqual([100, 200, 400]);
    b.reset();
    expect(b.next()).toBe(100);
  });
});
