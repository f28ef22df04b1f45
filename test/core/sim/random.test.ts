import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/sim/random.ts';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: 20 }, () => r());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('matches sfc32 seeded through splitmix32 (seed 1), so seeded results stay stable', () => {
    // Values from an independent port of the published algorithms (32-bit words, / 2^32).
    const r = seededRandom(1);
    expect(r()).toBe(0.13689070264808834);
    expect(r()).toBe(0.8611914063803852);
    expect(r()).toBe(0.5877783014439046);
  });

  it('stays in [0, 1) for any seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const r = seededRandom(seed);
        for (let i = 0; i < 200; i++) {
          const x = r();
          if (!(x >= 0 && x < 1)) return false;
        }
        return true;
      }),
    );
  });

  it('spreads integer draws evenly over [0, n)', () => {
    const r = seededRandom(9);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(r() * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});
