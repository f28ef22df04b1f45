/**
 * Kraken websocket API v1 (`wss://ws.kraken.com`), pairs written "XBT/USD".
 * - Subscribe book and trade per group of pairs:
 *   `{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":100}}` and
 *   `{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"trade"}}`.
 * - Keep-alive: `{"event":"ping","reqid":n}` every pingIntervalMs (answered with "pong"); the server
 *   also sends `{"event":"heartbeat"}` when a connection is otherwise quiet.
 * - Books are in-band (snapshot after subscribing, CRC32 checksums after): a book that failed its
 *   checksum is re-fetched by unsubscribing and subscribing that pair's book again.
 */
import type { ResolvedVenue } from '../../../config/venues.ts';
import { redactUrl } from '../redact.ts';
import { type ConnectTarget, chunk, type VenueProtocol } from './venue-protocol.ts';

type KrakenVenue = Extract<ResolvedVenue, { exchange: 'kraken' }>;

export class KrakenProtocol implements VenueProtocol {
  readonly exchange = 'kraken' as const;
  readonly sendIntervalMs: number;
  readonly pingIntervalMs: number;

  constructor(private readonly venue: KrakenVenue) {
    this.sendIntervalMs = venue.settings.sendIntervalMs;
    this.pingIntervalMs = venue.settings.pingIntervalMs;
  }

  shard(symbols: readonly string[]): string[][] {
    return chunk(symbols, this.venue.settings.maxSymbolsPerConnection);
  }

  async target(): Promise<ConnectTarget> {
    return { url: this.venue.wsUrl, displayUrl: redactUrl(this.venue.wsUrl) };
  }

  private book(event: 'subscribe' | 'unsubscribe', pair: readonly string[]): string {
    return JSON.stringify({
      event,
      pair,
      subscription: { name: 'book', depth: this.venue.settings.bookDepth },
    });
  }

  subscribe(symbols: readonly string[]): string[] {
    const out: string[] = [];
    for (const pair of chunk(symbols, this.venue.settings.maxSymbolsPerMessage)) {
      out.push(this.book('subscribe', pair));
      out.push(JSON.stringify({ event: 'subscribe', pair, subscription: { name: 'trade' } }));
    }
    return out;
  }

  resubscribeBook(venueSymbol: string): string[] {
    return [this.book('unsubscribe', [venueSymbol]), this.book('subscribe', [venueSymbol])];
  }

  ping(n: number): string {
    return JSON.stringify({ event: 'ping', reqid: n });
  }
}
