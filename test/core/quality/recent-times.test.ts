import { describe, expect, it } from 'vitest';
import { RecentTimes } from '../../../core/quality/recent-times.ts';

describe('RecentTimes', () => {
  it('counts occurrences in (from, to]', () => {
    const r = new RecentTimes(8);
    for (const ts of [10, 20, 30, 40]) r.record(ts);
    expect(r.countBetween(0, 100)).toBe(4);
    expect(r.countBetween(10, 30)).toBe(2); // 20, 30
    expect(r.countBetween(40, 100)).toBe(0);
  });

  it('keeps only the last `capacity` occurrences', () => {
    const r = new RecentTimes(3);
    for (const ts of [1, 2, 3, 4, 5]) r.record(ts);
    expect(r.countBetween(0, 10)).toBe(3);
    expect(r.countBetween(0, 2)).toBe(0); // 1 and 2 were overwritten
  });
});
