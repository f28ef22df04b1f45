/**
 * One entry point for building a Coinbase feed: pick the Coinbase protocol (and, for the Exchange feed,
 * which channel builds the books).
 */
import type { InstrumentRegistry } from '../../market/instrument-registry.ts';
import type { FeedListener } from '../feed-types.ts';
import { CoinbaseAdvancedTradeFeed } from './advanced-trade-feed.ts';
import { type CoinbaseExchangeBookChannel, CoinbaseExchangeFeed } from './exchange-feed.ts';

export type CoinbaseProtocol = 'exchange' | 'advanced';

export interface CreateCoinbaseFeedOptions {
  instruments: InstrumentRegistry;
  listener?: FeedListener;
  /** 'exchange' (ws-feed.exchange.coinbase.com) or 'advanced' (advanced-trade-ws.coinbase.com). Default 'exchange'. */
  protocol?: CoinbaseProtocol;
  /** Exchange only: 'level2' (default; also level2_batch) or 'full' (L3 books from the full channel). */
  book?: CoinbaseExchangeBookChannel;
  /** Exchange full channel: messages buffered per product while waiting for a snapshot. */
  maxBuffered?: number;
}

export function createCoinbaseFeed(
  options: CreateCoinbaseFeedOptions & { protocol: 'advanced' },
): CoinbaseAdvancedTradeFeed;
export function createCoinbaseFeed(
  options: CreateCoinbaseFeedOptions & { protocol?: 'exchange' },
): CoinbaseExchangeFeed;
export function createCoinbaseFeed(
  options: CreateCoinbaseFeedOptions,
): CoinbaseExchangeFeed | CoinbaseAdvancedTradeFeed;
export function createCoinbaseFeed(
  options: CreateCoinbaseFeedOptions,
): CoinbaseExchangeFeed | CoinbaseAdvancedTradeFeed {
  const { instruments, listener } = options;
  if (options.protocol === 'advanced') {
    return new CoinbaseAdvancedTradeFeed({ instruments, ...(listener ? { listener } : {}) });
  }
  return new CoinbaseExchangeFeed({
    instruments,
    ...(listener ? { listener } : {}),
    ...(options.book ? { book: options.book } : {}),
    ...(options.maxBuffered !== undefined ? { maxBuffered: options.maxBuffered } : {}),
  });
}
