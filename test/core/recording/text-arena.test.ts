import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowRing, textAt } from '../../../core/recording/row-ring.ts';

type Op = { kind: 'push'; texts: string[] } | { kind: 'clear' };

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }), // multi-byte UTF-8
  fc.constant(''),
  fc.string({ minLength: 200, maxLength: 3000 }), // frames bigger than the first buffer slices
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      texts: fc.array(text, { minLength: 3, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('TextArena (a RowRing’s texts as UTF-8 outside the heap)', () => {
  it('gives back every live row’s texts exactly through drops, growth, compaction and clears (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.boolean(),
        fc.array(op, { maxLength: 300 }),
        (maxRows, maxChars, shared, ops) => {
          const ring = new RowRing(1, 3, maxRows, maxChars, 2, shared);
          let model: string[][] = [];
          for (const o of ops) {
            if (o.kind === 'clear') {
              ring.clear();
              model = [];
              continue;
            }
            const weight = o.texts.reduce((n, t) => n + t.length, 0);
            const slot = ring.push(weight);
            for (const [c, t] of o.texts.entries()) ring.setText(slot, c, t);
            model.push(o.texts);
            model = model.slice(model.length - ring.count);
            const live = Array.from({ length: ring.count }, (_, i) =>
              [0, 1, 2].map((c) => ring.text(ring.index(i), c)),
            );
            expect(live).toEqual(model);
            // The same through the sink's view of the bytes.
            expect(textAt(ring, ring.index(ring.count - 1), 2)).toBe(o.texts[2]);
            const a = ring.texts;
            let bytes = 0;
            for (let i = 0; i < ring.count; i++)
              for (let c = 0; c < 3; c++) bytes += a.length[ring.index(i) * 3 + c]!;
            expect(a.liveBytes).toBe(bytes);
            expect(a.end).toBeLessThanOrEqual(a.bytes.length);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stays bounded while the oldest rows keep being dropped (compaction instead of growth)', () => {
    const ring = new RowRing(1, 1, 1_000_000, 100_000, 1024, true);
    const frame = 'x'.repeat(350);
    for (let i = 0; i < 20_000; i++) ring.setText(ring.push(frame.length), 0, frame); // 7 MB through a 100 k-char buffer
    expect(ring.count).toBe(285);
    expect(ring.texts.bytes.length).toBeLessThanOrEqual(1 << 19);
    expect(ring.texts.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
