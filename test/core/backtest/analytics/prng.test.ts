import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../core/backtest/analytics/prng.ts';

describe('mulberry32', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    const sb = Array.from({ length: 20 }, () => b.next());
    const sc = Array.from({ length: 20 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('matches the reference mulberry32 output (seed 1), so results are stable across versions', () => {
    // Reference values from the published algorithm (t += 0x6D2B79F5; …) / 2^32.
    const r = mulberry32(1);
    expect(r.next()).toBeCloseTo(0.6270739405881613, 15);
    expect(r.next()).toBeCloseTo(0.002735721180215478, 15);
    expect(r.next()).toBeCloseTo(0.5274470399599522, 15);
  });

  it('stays in [0, 1) and nextInt in [0, n), roughly uniformly', () => {
    const r = mulberry32(9);
    const buckets = new Array<number>(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r.next();
      if (!(v >= 0 && v < 1)) outOfRange++;
      const k = r.nextInt(10);
      if (!(Number.isInteger(k) && k >= 0 && k < 10)) outOfRange++;
      else buckets[k]!++;
    }
    expect(outOfRange).toBe(0);
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});
