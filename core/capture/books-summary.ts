/**
 * What `cli books` reports: feed counters summed over venues, and each book's top of book. Pure: the
 * command adds the clock.
 */

import type { BookTrust } from '../market/events.ts';
import type { ExchangeId } from '../market/exchange.ts';
import { formatDecimalTrimmed } from '../num/format-decimal.ts';
import type { FeedCounters, VenueFeed } from '../venues/feed-types.ts';
import { sumCounters } from '../venues/sum-counters.ts';

export interface BookLine {
  exchange: ExchangeId;
  symbol: string;
  venueSymbol: string;
  trusted: boolean;
  trust: BookTrust;
  bestBid: number | null;
  bestAsk: number | null;
  /** Exact decimal strings of the same prices. */
  bestBidText: string | null;
  bestAskText: string | null;
  bidLevels: number;
  askLevels: number;
  messages: number;
  levelChanges: number;
  gaps: number;
  checksumsVerified: number;
  checksumsFailed: number;
  /** 0–100 data-quality score (core/quality), when a monitor watched the replay. */
  qualityScore: number | null;
}

export interface BooksSummary extends FeedCounters {
  books: BookLine[];
}

function toText(units: number, scale: number): string | null {
  return Number.isNaN(units) ? null : formatDecimalTrimmed(units, scale);
}

function toNumber(units: number, scale: number): number | null {
  const text = toText(units, scale);
  return text === null ? null : Number(text);
}

export function summarizeFeeds(feeds: readonly VenueFeed[]): BooksSummary {
  const s: BooksSummary = { ...sumCounters(feeds), books: [] };
  for (const feed of feeds) {
    for (const b of feed.books()) {
      const i = b.instrument;
      // Books that never got levels (trade-only symbols) are not books to show.
      if (b.counters.levelChanges === 0 && b.trust === 'awaiting_snapshot') continue;
      s.books.push({
        exchange: i.exchange,
        symbol: i.symbol,
        venueSymbol: i.venueSymbol,
        trusted: b.trust === 'trusted',
        trust: b.trust,
        bestBid: toNumber(b.book.bestBid(), i.priceScale),
        bestAsk: toNumber(b.book.bestAsk(), i.priceScale),
        bestBidText: toText(b.book.bestBid(), i.priceScale),
        bestAskText: toText(b.book.bestAsk(), i.priceScale),
        bidLevels: b.book.bids.count,
        askLevels: b.book.asks.count,
        messages: b.counters.messages,
        levelChanges: b.counters.levelChanges,
        gaps: b.counters.gaps,
        checksumsVerified: b.counters.checksumsVerified,
        checksumsFailed: b.counters.checksumsFailed,
        qualityScore: null,
      });
    }
  }
  s.books.sort((a, b) => a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol));
  return s;
}
