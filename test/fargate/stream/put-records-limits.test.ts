import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entryBytes,
  MAX_BYTES_PER_RECORD,
  MAX_BYTES_PER_REQUEST,
  MAX_ENTRIES_PER_REQUEST,
  takeForRequest,
} from '../../../fargate/stream/put-records-limits.ts';

describe('takeForRequest', () => {
  it('packs every queue into requests within 500 entries and 5 MiB, in order, at least one each', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: MAX_BYTES_PER_RECORD }), { maxLength: 2000 }),
        (sizes) => {
          let from = 0;
          while (from < sizes.length) {
            const n = takeForRequest((i) => sizes[from + i]!, sizes.length - from);
            expect(n).toBeGreaterThanOrEqual(1);
            expect(n).toBeLessThanOrEqual(MAX_ENTRIES_PER_REQUEST);
            const bytes = sizes.slice(from, from + n).reduce((a, b) => a + b, 0);
            expect(bytes).toBeLessThanOrEqual(MAX_BYTES_PER_REQUEST);
            // Greedy: the next entry would not have fitted.
            if (from + n < sizes.length && n < MAX_ENTRIES_PER_REQUEST)
              expect(bytes + sizes[from + n]!).toBeGreaterThan(MAX_BYTES_PER_REQUEST);
            from += n;
          }
        },
      ),
    );
  });

  it('counts the partition key in an entry', () => {
    expect(entryBytes('binance:BTC-USDT', new Uint8Array(10))).toBe(26);
  });
});
