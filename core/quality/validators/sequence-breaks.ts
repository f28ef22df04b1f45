/**
 * Sequence breaks, from two sources that must not be counted twice:
 * - book_state events: FeedCore.gap, FeedCore.checksum and FeedCore's crossed-book rule mark a book
 *   stale with a reason starting "gap", "checksum" or "crossed" — the event carries the time and
 *   the symbol (the 'resyncing' event that follows under the same reason is the same break);
 * - the book's FeedCounters (gaps, checksumsFailed, crossed, rejected): they also count breaks that
 *   raised no event (a gap found while the book was already stale, a crossed snapshot for a stale
 *   book) and refused inputs.
 * The watch remembers how many of each it has accounted for; a counter above that is news.
 */
import type { BookTrust } from '../../market/events.ts';
import type { FeedCounters } from '../../venues/feed-types.ts';
import { Issue } from '../issue-codes.ts';

/**
 * Issue index for a book_state change, or -1 when it is not a break. Only the move to 'stale'
 * counts: FeedCore follows it with 'resyncing' under the same reason, which is the same break.
 */
export function breakOfBookState(state: BookTrust, reason: string): number {
  if (state !== 'stale') return -1;
  if (reason.startsWith('gap')) return Issue.SequenceGap;
  if (reason.startsWith('checksum')) return Issue.ChecksumMismatch;
  // FeedCore never keeps a crossed book trusted: the episode shows here, not as a trusted crossed book.
  if (reason.startsWith('crossed')) return Issue.CrossedBook;
  return -1;
}

/** Counter deltas since the last look (allocation-free: results in fields). */
export class CounterWatch {
  private baselined = false;
  private gaps = 0;
  private checksumsFailed = 0;
  private crossed = 0;
  private rejected = 0;
  /** Set by {@link sync}: news since the previous sync. */
  newGaps = 0;
  newChecksumsFailed = 0;
  newCrossed = 0;
  newRejected = 0;

  /** A break already reported by an event (so the counter's matching increment is not news). */
  accountFor(issue: number): void {
    if (issue === Issue.SequenceGap) this.gaps++;
    else if (issue === Issue.ChecksumMismatch) this.checksumsFailed++;
    else if (issue === Issue.CrossedBook) this.crossed++;
  }

  /**
   * Compare with the counters. The first look takes them as a baseline (what happened before the
   * monitor was attached is not news), except what events already accounted for.
   */
  sync(c: FeedCounters): void {
    if (!this.baselined) {
      this.baselined = true;
      this.gaps = Math.max(this.gaps, c.gaps);
      this.checksumsFailed = Math.max(this.checksumsFailed, c.checksumsFailed);
      this.crossed = Math.max(this.crossed, c.crossed);
      this.rejected = c.rejected;
      this.newGaps = this.newChecksumsFailed = this.newCrossed = this.newRejected = 0;
      return;
    }
    this.newGaps = Math.max(0, c.gaps - this.gaps);
    this.newChecksumsFailed = Math.max(0, c.checksumsFailed - this.checksumsFailed);
    this.newCrossed = Math.max(0, c.crossed - this.crossed);
    this.newRejected = Math.max(0, c.rejected - this.rejected);
    this.gaps = Math.max(this.gaps, c.gaps);
    this.checksumsFailed = Math.max(this.checksumsFailed, c.checksumsFailed);
    this.crossed = Math.max(this.crossed, c.crossed);
    this.rejected = Math.max(this.rejected, c.rejected);
  }
}
