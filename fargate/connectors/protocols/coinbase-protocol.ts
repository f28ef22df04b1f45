/**
 * Coinbase Exchange websocket feed (`wss://ws-feed.exchange.coinbase.com`).
 * - Subscribe within 5 s of connecting, one message for all products of the connection:
 *   `{"type":"subscribe","product_ids":["BTC-USD"],"channels":["level2_batch","matches","heartbeat"]}`.
 *   level2 now needs authentication on the real feed; level2_batch (same messages, 50 ms batches)
 *   is public and the default.
 * - Liveness: the heartbeat channel sends one message per product per second; silence beyond the
 *   idle timeout replaces the connection. No client pings.
 * - A book's snapshot comes in-band on subscribing, so one product's book is re-fetched with
 *   unsubscribe + subscribe of its book channel.
 */
import type { ResolvedVenue } from '../../../config/venues.ts';
import { redactUrl } from '../redact.ts';
import { type ConnectTarget, chunk, type VenueProtocol } from './venue-protocol.ts';

type CoinbaseVenue = Extract<ResolvedVenue, { exchange: 'coinbase' }>;

export class CoinbaseProtocol implements VenueProtocol {
  readonly exchange = 'coinbase' as const;
  readonly sendIntervalMs: number;
  readonly pingIntervalMs = undefined;

  constructor(private readonly venue: CoinbaseVenue) {
    this.sendIntervalMs = venue.settings.sendIntervalMs;
  }

  shard(symbols: readonly string[]): string[][] {
    return chunk(symbols, this.venue.settings.maxSymbolsPerConnection);
  }

  async target(): Promise<ConnectTarget> {
    return { url: this.venue.wsUrl, displayUrl: redactUrl(this.venue.wsUrl) };
  }

  subscribe(symbols: readonly string[]): string[] {
    const s = this.venue.settings;
    const channels: string[] = [s.bookChannel, s.tradeChannel];
    if (s.heartbeat) channels.push('heartbeat');
    return [JSON.stringify({ type: 'subscribe', product_ids: symbols, channels })];
  }

  resubscribeBook(venueSymbol: string): string[] {
    const channels = [this.venue.settings.bookChannel];
    return [
      JSON.stringify({ type: 'unsubscribe', product_ids: [venueSymbol], channels }),
      JSON.stringify({ type: 'subscribe', product_ids: [venueSymbol], channels }),
    ];
  }
}
