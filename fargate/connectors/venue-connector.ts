/**
 * All connections of one venue: its symbols split into shards that each fit one connection
 * (protocol.shard), one REST client and one rate limiter shared by them (the venue counts weight per
 * IP, not per connection).
 */
import type { ResolvedVenue } from '../../config/venues.ts';
import type { ConnectionState } from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import type { Random } from '../../core/sim/random.ts';
import { LogThrottle } from '../rate-limit/log-throttle.ts';
import { WeightedLimiter } from '../rate-limit/weighted-limiter.ts';
import type { Clock } from './clock.ts';
import { type ConnectorListener, newShardStats, type RawTap, type ShardStats } from './connector-events.ts';
import { createProtocol } from './protocols/create-protocol.ts';
import type { VenueProtocol } from './protocols/venue-protocol.ts';
import { RestClient } from './rest-client.ts';
import { FEED_ERROR_LOG_INTERVAL_MS, ShardConnector } from './shard-connector.ts';
import { createVenueFeed, type FeedFactory } from './venue-feed-factory.ts';
import { type VenueFeedView, venueFeedView } from './venue-feed-view.ts';

export interface VenueConnectorOptions {
  venue: ResolvedVenue;
  instruments: InstrumentRegistry;
  listener?: ConnectorListener;
  rawTap?: RawTap;
  clock: Clock;
  random: Random;
  /** Defaults to createVenueFeed. */
  createFeed?: FeedFactory;
  /** Defaults to the venue's protocol (tests may wrap it). */
  protocol?: VenueProtocol;
  /** Replaces node's fetch for REST (tests). */
  fetch?: typeof fetch;
  /** At most one feed-error log line per this many ms for the whole venue (default 10 s). */
  feedErrorLogIntervalMs?: number;
}

export type VenueState = ConnectionState | 'idle' | 'stopped';

export class VenueConnector {
  readonly exchange: ExchangeId;
  readonly venue: ResolvedVenue;
  readonly protocol: VenueProtocol;
  readonly limiter: WeightedLimiter;
  readonly rest: RestClient;
  readonly shards: readonly ShardConnector[];
  readonly feed: VenueFeedView;

  constructor(options: VenueConnectorOptions) {
    const { venue, clock, random } = options;
    const listener = options.listener ?? {};
    this.exchange = venue.exchange;
    this.venue = venue;
    this.protocol = options.protocol ?? createProtocol(venue);
    this.limiter = new WeightedLimiter(venue.rateLimit, clock);
    const restAlertAfter = venue.restRetry.alertAfterFailures;
    this.rest = new RestClient({
      exchange: venue.exchange,
      baseUrl: venue.restBaseUrl,
      limiter: this.limiter,
      clock,
      random,
      retry: venue.restRetry,
      timeoutMs: venue.restTimeoutMs,
      usedWeightHeader: venue.rateLimit.usedWeightHeader?.toLowerCase(),
      fetch: options.fetch,
      onFailure: (url, detail, failures) => {
        listener.onLog?.('warn', venue.exchange, `REST ${url}: ${detail} (failure ${failures})`);
        if (failures === restAlertAfter) {
          listener.onAlert?.({
            type: 'alert',
            kind: 'rest_failures',
            exchange: venue.exchange,
            shard: -1,
            localTs: clock.nowMicros(),
            consecutiveFailures: failures,
            detail: `REST ${url}: ${failures} failures in a row, last: ${detail}`,
          });
        }
      },
    });
    const createFeed = options.createFeed ?? createVenueFeed;
    const rotation = 'rotation' in venue.settings ? venue.settings.rotation : undefined;
    const feedErrorLog = new LogThrottle(options.feedErrorLogIntervalMs ?? FEED_ERROR_LOG_INTERVAL_MS);
    this.shards = this.protocol.shard(venue.symbols).map(
      (symbols, index) =>
        new ShardConnector({
          exchange: venue.exchange,
          index,
          symbols,
          protocol: this.protocol,
          createFeed: (l) => createFeed(venue, options.instruments, l),
          listener,
          rawTap: options.rawTap,
          clock,
          random,
          rest: this.rest,
          reconnect: venue.reconnect,
          idleTimeoutMs: venue.idleTimeoutMs,
          resubscribeCooldownMs: venue.resubscribeCooldownMs,
          rotation,
          feedErrorLog,
        }),
    );
    this.feed = venueFeedView(
      venue.exchange,
      this.shards.map((s) => s.feed),
    );
  }

  start(): void {
    for (const s of this.shards) s.start();
  }

  stop(): void {
    for (const s of this.shards) s.stop();
    this.limiter.clear(new Error('stopped'));
  }

  /** The weakest shard's state: 'connected' only when every connection is. */
  get state(): VenueState {
    const order: VenueState[] = ['stopped', 'disconnected', 'reconnecting', 'idle', 'connected'];
    let worst: VenueState = 'connected';
    for (const s of this.shards) if (order.indexOf(s.state) < order.indexOf(worst)) worst = s.state;
    return worst;
  }

  /** Shard statistics summed (gaps: the largest and the last of any shard). */
  stats(): ShardStats {
    const total = newShardStats();
    for (const s of this.shards) {
      const x = s.stats;
      for (const k of Object.keys(total) as Array<keyof ShardStats>) {
        if (
          k === 'maxGapMicros' ||
          k === 'lastGapMicros' ||
          k === 'lastRecoveryMicros' ||
          k === 'lastReconnectDelayMs' ||
          k === 'consecutiveFailures'
        ) {
          total[k] = Math.max(total[k], x[k]);
        } else {
          total[k] += x[k];
        }
      }
    }
    return total;
  }
}
