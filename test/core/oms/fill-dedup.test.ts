import { describe, expect, it } from 'vitest';
import { DAY_US, FillDedup } from '../../../core/oms/fill-dedup.ts';

describe('FillDedup', () => {
  it('recognises an id within its scope only', () => {
    const d = new FillDedup();
    d.add(0, 'T1', 0);
    expect(d.has(0, 'T1')).toBe(true);
    expect(d.has(1, 'T1')).toBe(false);
    d.add(0, 'T1', 5);
    expect(d.size).toBe(1);
  });

  it('forgets entries more than 24 h older than the newest event time', () => {
    const d = new FillDedup();
    d.add(0, 'old', 1_000);
    d.add(0, 'mid', 2_000);
    d.add(0, 'edge', 1_000 + DAY_US); // exactly 24 h after 'old': not yet past it
    expect(d.has(0, 'old')).toBe(true);
    d.add(0, 'new', 1_001 + DAY_US);
    expect(d.has(0, 'old')).toBe(false);
    expect(d.has(0, 'mid')).toBe(true);
    expect(d.prunedByAge).toBe(1);
    d.add(1, 'later', 2_000 + 2 * DAY_US);
    expect([d.has(0, 'mid'), d.has(0, 'edge'), d.has(0, 'new'), d.has(1, 'later')]).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(d.prunedByAge).toBe(4);
    expect(d.size).toBe(1);
  });

  it('evicts the oldest arrival when full, however young', () => {
    const d = new FillDedup({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) d.add(0, id, 0);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => d.has(0, id))).toEqual([false, false, true, true, true]);
    expect(d.evictedByCap).toBe(2);
    expect(d.size).toBe(3);
    d.add(0, 'a', 0); // forgotten, so it is new again
    expect(d.has(0, 'a')).toBe(true);
    expect(d.has(0, 'c')).toBe(false);
  });

  it('refuses a bad cap', () => {
    expect(() => new FillDedup({ maxEntries: 0 })).toThrow(RangeError);
  });
});
