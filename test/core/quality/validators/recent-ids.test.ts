import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../../../core/quality/validators/recent-ids.ts';

describe('RecentIds', () => {
  it('reports an id seen before as a duplicate', () => {
    const ids = new RecentIds(4);
    expect(ids.seen('3735683259')).toBe(false);
    expect(ids.seen('3735683260')).toBe(false);
    expect(ids.seen('3735683259')).toBe(true);
  });

  it('forgets the oldest id beyond its capacity (bounded memory)', () => {
    const ids = new RecentIds(3);
    for (const id of ['a', 'b', 'c', 'd']) expect(ids.seen(id)).toBe(false);
    expect(ids.size).toBe(3);
    expect(ids.seen('a')).toBe(false); // forgotten: 'a' was the oldest
    expect(ids.seen('d')).toBe(true);
    expect(ids.size).toBe(3);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new RecentIds(0)).toThrow(RangeError);
  });

  it('agrees with a reference "last N distinct ids" model', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 12 })),
        (cap, stream) => {
          const ids = new RecentIds(cap);
          const model: string[] = [];
          for (const n of stream) {
            const id = String(n);
            const expected = model.includes(id);
            expect(ids.seen(id)).toBe(expected);
            if (!expected) {
              model.push(id);
              if (model.length > cap) model.shift();
            }
            expect(ids.size).toBe(model.length);
          }
        },
      ),
    );
  });
});
