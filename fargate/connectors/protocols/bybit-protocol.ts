/**
 * Bybit v5 public streams (`wss://stream.bybit.com/v5/public/linear`, or `/spot`).
 * - Topics `orderbook.{depth}.{symbol}` and `publicTrade.{symbol}`, subscribed with
 *   `{"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"]}`, at most
 *   maxArgsPerMessage topics per request (spot allows 10); a connection carries at most
 *   maxTopicsPerConnection topics and maxArgsCharsPerConnection characters of them (Bybit: 21,000).
 * - Keep-alive: `{"op":"ping"}` every 20 s (Bybit drops connections silent for longer).
 * - Bybit sends a book snapshot on every subscription, so one book is re-fetched with
 *   unsubscribe + subscribe of its topic (the feed may name the topic in its request).
 */
import type { ResolvedVenue } from '../../../config/venues.ts';
import { redactUrl } from '../redact.ts';
import { type ConnectTarget, chunk, type VenueProtocol } from './venue-protocol.ts';

type BybitVenue = Extract<ResolvedVenue, { exchange: 'bybit' }>;

export class BybitProtocol implements VenueProtocol {
  readonly exchange = 'bybit' as const;
  readonly sendIntervalMs: number;
  readonly pingIntervalMs: number;

  constructor(private readonly venue: BybitVenue) {
    this.sendIntervalMs = venue.settings.sendIntervalMs;
    this.pingIntervalMs = venue.settings.pingIntervalMs;
  }

  bookTopic(venueSymbol: string): string {
    return `orderbook.${this.venue.settings.bookDepth}.${venueSymbol}`;
  }

  topics(venueSymbol: string): string[] {
    return [this.bookTopic(venueSymbol), `publicTrade.${venueSymbol}`];
  }

  /** Fill each connection up to both limits, keeping a symbol's topics together. */
  shard(symbols: readonly string[]): string[][] {
    const s = this.venue.settings;
    const out: string[][] = [];
    let current: string[] = [];
    let topics = 0;
    let chars = 0;
    for (const symbol of symbols) {
      const t = this.topics(symbol);
      // Each topic costs its length plus quotes and a comma in the args array.
      const c = t.reduce((n, x) => n + x.length + 3, 0);
      if (
        current.length > 0 &&
        (topics + t.length > s.maxTopicsPerConnection || chars + c > s.maxArgsCharsPerConnection)
      ) {
        out.push(current);
        current = [];
        topics = 0;
        chars = 0;
      }
      current.push(symbol);
      topics += t.length;
      chars += c;
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  async target(): Promise<ConnectTarget> {
    return { url: this.venue.wsUrl, displayUrl: redactUrl(this.venue.wsUrl) };
  }

  subscribe(symbols: readonly string[]): string[] {
    const args = symbols.flatMap((s) => this.topics(s));
    return chunk(args, this.venue.settings.maxArgsPerMessage).map((a) =>
      JSON.stringify({ op: 'subscribe', args: a }),
    );
  }

  resubscribeBook(venueSymbol: string, topic: string | undefined): string[] {
    const t = topic ?? this.bookTopic(venueSymbol);
    return [JSON.stringify({ op: 'unsubscribe', args: [t] }), JSON.stringify({ op: 'subscribe', args: [t] })];
  }

  ping(): string {
    return '{"op":"ping"}';
  }
}
