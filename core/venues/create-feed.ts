/**
 * One place that knows every venue feed: pick the feed for an exchange (and its protocol variant).
 */
import type { ExchangeId } from '../market/exchange.ts';
import type { InstrumentRegistry } from '../market/instrument-registry.ts';
import { BinanceFeed } from './binance/binance-feed.ts';
import { createBybitFeed } from './bybit/bybit-feed.ts';
import { createCoinbaseFeed } from './coinbase/create-coinbase-feed.ts';
import type { FeedListener, VenueFeed } from './feed-types.ts';
import { createKrakenFeed } from './kraken/create-kraken-feed.ts';
import { createKucoinFeed } from './kucoin/kucoin-feed.ts';

export interface CreateFeedOptions {
  exchange: ExchangeId;
  instruments: InstrumentRegistry;
  listener?: FeedListener;
  /** Protocol variant: Kraken 'v1' | 'v2', Coinbase 'exchange' | 'full' | 'advanced', Bybit 'linear' | 'spot'. */
  variant?: string;
}

export function createFeed(options: CreateFeedOptions): VenueFeed {
  const { exchange, instruments } = options;
  const listener = options.listener ?? {};
  switch (exchange) {
    case 'binance':
      return new BinanceFeed({ market: 'spot', instruments, listener });
    case 'binance-futures':
      return new BinanceFeed({ market: 'usdm', instruments, listener });
    case 'bybit':
      return createBybitFeed({
        instruments,
        listener,
        category: options.variant === 'spot' ? 'spot' : 'linear',
      });
    case 'kucoin':
      return createKucoinFeed({ instruments, listener });
    case 'kraken':
      return createKrakenFeed({ instruments, listener, version: options.variant === 'v2' ? 2 : 1 });
    case 'coinbase':
      return options.variant === 'advanced'
        ? createCoinbaseFeed({ instruments, listener, protocol: 'advanced' })
        : createCoinbaseFeed({
            instruments,
            listener,
            protocol: 'exchange',
            book: options.variant === 'full' ? 'full' : 'level2',
          });
  }
}

/** The protocol variant a capture was recorded with, from its connection URLs. */
export function variantOfUrl(exchange: ExchangeId, url: string): string | undefined {
  if (exchange === 'kraken') return /\/v2\b/.test(url) ? 'v2' : 'v1';
  if (exchange === 'coinbase') return /advanced-trade/.test(url) ? 'advanced' : 'exchange';
  if (exchange === 'bybit') return /\/spot\b/.test(url) ? 'spot' : 'linear';
  return undefined;
}
