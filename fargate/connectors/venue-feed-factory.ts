/**
 * The core feed for a configured venue. Built here rather than through core/venues/create-feed.ts
 * because the connector's config picks options createFeed does not expose (Binance snapshot depth,
 * Coinbase book channel, Kraken protocol version).
 */
import type { ResolvedVenue } from '../../config/venues.ts';
import type { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { BinanceFeed } from '../../core/venues/binance/binance-feed.ts';
import { createCoinbaseFeed } from '../../core/venues/coinbase/create-coinbase-feed.ts';
import { createFeed } from '../../core/venues/create-feed.ts';
import type { FeedListener, VenueFeed } from '../../core/venues/feed-types.ts';
import { createKrakenFeed } from '../../core/venues/kraken/create-kraken-feed.ts';

export type FeedFactory = (
  venue: ResolvedVenue,
  instruments: InstrumentRegistry,
  listener: FeedListener,
) => VenueFeed;

export const createVenueFeed: FeedFactory = (venue, instruments, listener) => {
  switch (venue.exchange) {
    case 'binance':
    case 'binance-futures':
      return new BinanceFeed({
        market: venue.exchange === 'binance' ? 'spot' : 'usdm',
        instruments,
        listener,
        snapshotLimit: venue.settings.snapshotLimit,
      });
    case 'coinbase':
      return createCoinbaseFeed({
        instruments,
        listener,
        protocol: 'exchange',
        book: venue.settings.bookChannel === 'full' ? 'full' : 'level2',
      });
    case 'kraken':
      return createKrakenFeed({ instruments, listener, version: 1 });
    case 'bybit':
      return createFeed({ exchange: 'bybit', instruments, listener, variant: venue.settings.category });
    case 'kucoin':
      return createFeed({ exchange: 'kucoin', instruments, listener });
  }
};
