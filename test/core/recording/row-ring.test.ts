import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowRing } from '../../../core/recording/row-ring.ts';

function push(ring: RowRing, value: number, text = '', weight = 0): void {
  const slot = ring.push(weight);
  ring.data[slot * ring.width] = value;
  if (ring.width > 1) ring.data[slot * ring.width + 1] = -value;
  if (ring.textColumns > 0) ring.setText(slot, 0, text);
}

function values(ring: RowRing): number[] {
  return Array.from({ length: ring.count }, (_, i) => {
    const slot = ring.index(i);
    // Every number of a row moves with it.
    if (ring.width > 1) expect(ring.number(slot, 1)).toBe(-ring.number(slot, 0));
    return ring.number(slot, 0);
  });
}

describe('RowRing', () => {
  it('keeps rows in order while growing', () => {
    const ring = new RowRing(2, 0, 100, Number.POSITIVE_INFINITY, 2);
    for (let i = 0; i < 50; i++) push(ring, i);
    expect(values(ring)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ring.dropped).toBe(0);
  });

  it('drops the OLDEST rows when full, and counts them', () => {
    const ring = new RowRing(1, 1, 5, Number.POSITIVE_INFINITY, 2);
    for (let i = 0; i < 12; i++) push(ring, i, `r${i}`);
    expect(values(ring)).toEqual([7, 8, 9, 10, 11]);
    expect(ring.dropped).toBe(7);
    expect(Array.from({ length: 5 }, (_, i) => ring.text(ring.index(i), 0))).toEqual([
      'r7',
      'r8',
      'r9',
      'r10',
      'r11',
    ]);
    // Dropped rows' bytes are garbage now, no longer live.
    expect(ring.texts.liveBytes).toBe(12);
  });

  it('drops by weight too (characters of raw text), but always takes a row alone', () => {
    const ring = new RowRing(1, 1, 100, 10);
    push(ring, 1, 'aaaa', 4);
    push(ring, 2, 'bbbb', 4);
    push(ring, 3, 'cccc', 4); // 12 > 10: the oldest goes
    expect(values(ring)).toEqual([2, 3]);
    expect(ring.weight).toBe(8);
    push(ring, 4, 'x'.repeat(50), 50); // heavier than the limit: kept, alone
    expect(values(ring)).toEqual([4]);
    expect(ring.dropped).toBe(3);
  });

  it('clear() empties, text bytes included', () => {
    const ring = new RowRing(1, 1, 4);
    for (let i = 0; i < 6; i++) push(ring, i, 'x');
    ring.clear();
    expect(ring.count).toBe(0);
    expect(ring.weight).toBe(0);
    expect([ring.texts.end, ring.texts.liveBytes]).toEqual([0, 0]);
    push(ring, 9);
    expect(values(ring)).toEqual([9]);
  });

  it('always holds the newest min(n, max) rows in order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 200 }), (max, n) => {
        const ring = new RowRing(2, 0, max, Number.POSITIVE_INFINITY, 1);
        for (let i = 0; i < n; i++) push(ring, i);
        const kept = Math.min(n, max);
        expect(values(ring)).toEqual(Array.from({ length: kept }, (_, i) => n - kept + i));
        expect(ring.dropped).toBe(n - kept);
      }),
    );
  });
});
