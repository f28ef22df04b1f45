/**
 * A venue's feeds seen as one, for readers (metrics, health, dashboards): counters summed over the
 * venue's connection shards and every book. Input goes to each shard's own feed, never through here.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import {
  type FeedCounters,
  newCounters,
  type RejectReason,
  type VenueFeed,
} from '../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';

export type VenueFeedView = Pick<VenueFeed, 'exchange' | 'counters' | 'books'>;

type NumericCounter = Exclude<keyof FeedCounters, 'rejectedByReason'>;

export function sumCounters(feeds: readonly VenueFeed[]): FeedCounters {
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

export function venueFeedView(exchange: ExchangeId, feeds: readonly VenueFeed[]): VenueFeedView {
  const only = feeds.length === 1 ? feeds[0] : undefined;
  return {
    exchange,
    // One shard: its live counters object; several: a fresh sum on each read.
    get counters(): FeedCounters {
      return only ? only.counters : sumCounters(feeds);
    },
    *books(): Iterable<SymbolBook> {
      for (const f of feeds) yield* f.books();
    },
  };
}
