/**
 * The multi-exchange aggregator: one process, every configured venue, each with its connections,
 * books and REST budget. The caller decides what happens to the output (books, trades, connection
 * events, alerts, raw frames) through the listener and the raw tap; the aggregator prints nothing.
 *
 *   const agg = startAggregator({ venues: resolveVenues(loadVenuesConfig(), 'cloud'), listener, rawTap });
 *   agg.venue('binance')?.feed.books();
 *   await agg.stop();
 */
import { configuredInstruments } from '../../config/instruments.ts';
import type { ResolvedVenue } from '../../config/venues.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { type Random, seededRandom } from '../../core/sim/random.ts';
import type { FeedCounters } from '../../core/venues/feed-types.ts';
import { type Clock, systemClock } from '../connectors/clock.ts';
import type { ConnectorListener, RawTap, ShardStats } from '../connectors/connector-events.ts';
import type { ShardConnector } from '../connectors/shard-connector.ts';
import { VenueConnector, type VenueState } from '../connectors/venue-connector.ts';
import type { FeedFactory } from '../connectors/venue-feed-factory.ts';
import type { VenueFeedView } from '../connectors/venue-feed-view.ts';

export interface AggregatorOptions {
  /** The venues to run (config/venues.ts resolveVenues). */
  venues: readonly ResolvedVenue[];
  /** One listener for all venues, or one per venue (e.g. LiveMarketState.listenerFor). */
  listener?: ConnectorListener | ((exchange: ExchangeId) => ConnectorListener);
  rawTap?: RawTap;
  clock?: Clock;
  /** Jitter source; seeded from `seed` (default: time-based) when not given. */
  random?: Random;
  seed?: number;
  /** Defaults to the configured instruments (config/instruments.json). */
  instruments?: InstrumentRegistry;
  createFeed?: FeedFactory;
  /** Replaces node's fetch for REST (tests). */
  fetch?: typeof fetch;
}

export interface VenueHandle {
  readonly exchange: ExchangeId;
  readonly connector: VenueConnector;
  /** All books and summed counters of the venue. */
  readonly feed: VenueFeedView;
  /** One per connection, each with its own feed. */
  readonly shards: readonly ShardConnector[];
  state(): VenueState;
  counters(): FeedCounters;
  stats(): ShardStats;
}

export interface Aggregator {
  readonly venues: ReadonlyMap<ExchangeId, VenueHandle>;
  venue(exchange: ExchangeId): VenueHandle | undefined;
  /** Close every connection and cancel pending work. */
  stop(): Promise<void>;
}

export function startAggregator(options: AggregatorOptions): Aggregator {
  const clock = options.clock ?? systemClock();
  const random = options.random ?? seededRandom(options.seed ?? Date.now());
  const instruments = options.instruments ?? new InstrumentRegistry(configuredInstruments());
  const listenerFor =
    typeof options.listener === 'function'
      ? options.listener
      : () => (options.listener as ConnectorListener) ?? {};
  const venues = new Map<ExchangeId, VenueHandle>();
  for (const venue of options.venues) {
    if (venues.has(venue.exchange)) throw new Error(`venue ${venue.exchange} configured twice`);
    const connector = new VenueConnector({
      venue,
      instruments,
      listener: listenerFor(venue.exchange),
      rawTap: options.rawTap,
      clock,
      random,
      createFeed: options.createFeed,
      fetch: options.fetch,
    });
    venues.set(venue.exchange, {
      exchange: venue.exchange,
      connector,
      feed: connector.feed,
      shards: connector.shards,
      state: () => connector.state,
      counters: () => connector.feed.counters,
      stats: () => connector.stats(),
    });
  }
  for (const v of venues.values()) v.connector.start();
  return {
    venues,
    venue: (exchange) => venues.get(exchange),
    async stop() {
      for (const v of venues.values()) v.connector.stop();
      // Let the sockets' close frames go out before the caller tears the process down.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
