/**
 * A venue's feeds seen as one, for readers (metrics, health, dashboards): counters summed over the
 * venue's connection shards and every book. Input goes to each shard's own feed, never through here.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { FeedCounters, VenueFeed } from '../../core/venues/feed-types.ts';
import { sumCounters } from '../../core/venues/sum-counters.ts';
import type { SymbolBook } from '../../core/venues/symbol-book.ts';

export type VenueFeedView = Pick<VenueFeed, 'exchange' | 'counters' | 'books'>;

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
