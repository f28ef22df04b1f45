import { describe, expect, it } from 'vitest';
import { Issue } from '../../../../core/quality/issue-codes.ts';
import { breakOfBookState, CounterWatch } from '../../../../core/quality/validators/sequence-breaks.ts';
import { newCounters } from '../../../../core/venues/feed-types.ts';

describe('breakOfBookState', () => {
  it('maps FeedCore reasons for a move to stale to issues', () => {
    expect(breakOfBookState('stale', 'gap: U=50093239300 expected ≤ 50093239225')).toBe(Issue.SequenceGap);
    expect(breakOfBookState('stale', 'checksum mismatch: 1234 != 5678')).toBe(Issue.ChecksumMismatch);
  });

  it('the resyncing that follows under the same reason is the same break', () => {
    expect(breakOfBookState('resyncing', 'gap: U=50093239300 expected ≤ 50093239225')).toBe(-1);
    expect(breakOfBookState('resyncing', 'checksum mismatch: 1234 != 5678')).toBe(-1);
  });

  it('other trust changes are not breaks', () => {
    for (const reason of [
      'snapshot applied',
      'no book yet',
      'disconnected',
      'refused message (bad_decimal)',
    ]) {
      expect(breakOfBookState('stale', reason)).toBe(-1);
    }
    expect(breakOfBookState('trusted', 'snapshot applied')).toBe(-1);
  });
});

describe('CounterWatch', () => {
  it('takes the first look as a baseline', () => {
    const c = newCounters();
    c.gaps = 3;
    c.rejected = 2;
    const w = new CounterWatch();
    w.sync(c);
    expect([w.newGaps, w.newChecksumsFailed, w.newRejected]).toEqual([0, 0, 0]);
  });

  it('reports what the counters gained since the last look', () => {
    const c = newCounters();
    const w = new CounterWatch();
    w.sync(c);
    c.gaps = 2;
    c.checksumsFailed = 1;
    c.rejected = 4;
    w.sync(c);
    expect([w.newGaps, w.newChecksumsFailed, w.newRejected]).toEqual([2, 1, 4]);
    w.sync(c);
    expect([w.newGaps, w.newChecksumsFailed, w.newRejected]).toEqual([0, 0, 0]);
  });

  it('does not count twice a break an event already reported', () => {
    const c = newCounters();
    const w = new CounterWatch();
    w.sync(c);
    c.gaps = 1; // FeedCore.gap counts, then emits book_state
    w.accountFor(Issue.SequenceGap);
    w.sync(c);
    expect(w.newGaps).toBe(0);
    c.gaps = 2; // a gap found while already stale: no event
    w.sync(c);
    expect(w.newGaps).toBe(1);
  });
});

describe('crossed-book episodes from FeedCore', () => {
  it('a move to stale because the book crossed is a crossed_book issue; the resyncing after it is not', () => {
    expect(breakOfBookState('stale', 'crossed after update')).toBe(Issue.CrossedBook);
    expect(breakOfBookState('stale', 'crossed snapshot')).toBe(Issue.CrossedBook);
    expect(breakOfBookState('resyncing', 'crossed after update')).toBe(-1);
  });

  it('the crossed counter is reconciled once: the event counts, a counter-only crossing is news', () => {
    const c = newCounters();
    const w = new CounterWatch();
    w.sync(c);
    c.crossed = 1; // FeedCore counts, then emits book_state 'stale'
    w.accountFor(Issue.CrossedBook);
    w.sync(c);
    expect(w.newCrossed).toBe(0);
    c.crossed = 2; // a crossed snapshot for a book already stale: no event
    w.sync(c);
    expect(w.newCrossed).toBe(1);
  });
});
