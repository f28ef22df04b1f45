/**
 * The Kraken feed for a websocket API version: what the platform plugs in.
 *   version 1 — wss://ws.kraken.com, pairs as "XBT/USD" (see KrakenV1Feed)
 *   version 2 — wss://ws.kraken.com/v2, pairs as "BTC/USD" (see KrakenV2Feed)
 * Both ask for snapshots with method 'resubscribe': the connector unsubscribes and subscribes the
 * pair's book again, and the venue sends a fresh snapshot in-band.
 */
import type { InstrumentRegistry } from '../../market/instrument-registry.ts';
import type { FeedListener, VenueFeed } from '../feed-types.ts';
import { KrakenV1Feed } from './kraken-v1-feed.ts';
import { KrakenV2Feed } from './kraken-v2-feed.ts';

export interface KrakenFeedOptions {
  instruments: InstrumentRegistry;
  listener?: FeedListener;
  version: 1 | 2;
  /** v2 only: book depth assumed until a subscribe acknowledgement says otherwise (default 10). */
  depth?: number;
}

export function createKrakenFeed(options: KrakenFeedOptions): VenueFeed {
  const { instruments, listener, version } = options;
  return version === 1
    ? new KrakenV1Feed({ instruments, listener })
    : new KrakenV2Feed({ instruments, listener, depth: options.depth });
}
