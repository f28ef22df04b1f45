/**
 * Binance spot and USD-M futures market streams.
 * - Connect to the combined-stream endpoint (`/stream`, frames wrapped as {"stream","data"}) and
 *   subscribe with `{"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@trade"],"id":1}`
 *   (stream names are lower case), at most maxParamsPerMessage streams per message, messages spaced
 *   by sendIntervalMs (Binance closes connections sending more than 5 (spot) / 10 (futures) per second).
 * - At most maxStreamsPerConnection (1024) streams per connection: two per symbol (depth + trade).
 * - The server pings every 20 s (futures: 3 min); the socket answers each with a pong carrying the
 *   same payload. No client pings.
 * - Books come from REST snapshots (the feed asks), so there is no per-symbol resubscribe.
 * - Connections live at most 24 h: the handover (../handover/binance-handover.ts) switches to a
 *   replacement opened ahead of time.
 */
import type { ResolvedVenue } from '../../../config/venues.ts';
import type { VenueFeed } from '../../../core/venues/feed-types.ts';
import { BinanceHandover } from '../handover/binance-handover.ts';
import type { Handover } from '../handover/handover.ts';
import { redactUrl } from '../redact.ts';
import { type ConnectTarget, chunk, type Deliver, type VenueProtocol } from './venue-protocol.ts';

type BinanceVenue = Extract<ResolvedVenue, { exchange: 'binance' | 'binance-futures' }>;

export class BinanceProtocol implements VenueProtocol {
  readonly exchange;
  readonly sendIntervalMs: number;
  readonly pingIntervalMs = undefined;
  private nextId = 1;

  constructor(private readonly venue: BinanceVenue) {
    this.exchange = venue.exchange;
    this.sendIntervalMs = venue.settings.sendIntervalMs;
  }

  /** The streams of one symbol, as Binance names them. */
  streams(venueSymbol: string): string[] {
    const s = venueSymbol.toLowerCase();
    return [`${s}@${this.venue.settings.depthStream}`, `${s}@${this.venue.settings.tradeStream}`];
  }

  shard(symbols: readonly string[]): string[][] {
    const perSymbol = 2;
    return chunk(symbols, Math.floor(this.venue.settings.maxStreamsPerConnection / perSymbol));
  }

  async target(): Promise<ConnectTarget> {
    return { url: this.venue.wsUrl, displayUrl: redactUrl(this.venue.wsUrl) };
  }

  subscribe(symbols: readonly string[]): string[] {
    const streams = symbols.flatMap((s) => this.streams(s));
    return chunk(streams, this.venue.settings.maxParamsPerMessage).map((params) =>
      JSON.stringify({ method: 'SUBSCRIBE', params, id: this.nextId++ }),
    );
  }

  resubscribeBook(): undefined {
    return undefined;
  }

  createHandover(
    feed: VenueFeed,
    _symbols: readonly string[],
    deliver: Deliver,
    lastTradeId: (venueSymbol: string) => number,
  ): Handover {
    return new BinanceHandover(feed, this.exchange === 'binance-futures', deliver, lastTradeId);
  }
}
