/** Feed counters added up over several feeds (a venue's shards, a replay of many captures). */
import { type FeedCounters, newCounters, type RejectReason, type VenueFeed } from './feed-types.ts';

type NumericCounter = Exclude<keyof FeedCounters, 'rejectedByReason'>;

export function sumCounters(feeds: ReadonlyArray<Pick<VenueFeed, 'counters'>>): FeedCounters {
  const total = newCounters();
  for (const f of feeds) {
    const c = f.counters;
    for (const k of Object.keys(total) as Array<keyof FeedCounters>) {
      if (k === 'rejectedByReason') continue;
      total[k as NumericCounter] += c[k as NumericCounter];
    }
    for (const [reason, n] of Object.entries(c.rejectedByReason) as Array<[RejectReason, number]>) {
      total.rejectedByReason[reason] = (total.rejectedByReason[reason] ?? 0) + n;
    }
  }
  return total;
}
