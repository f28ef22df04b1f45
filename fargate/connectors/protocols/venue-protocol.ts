/**
 * What differs between venues on the wire, behind one interface: how symbols are spread over
 * connections (per-connection limits), where to connect (KuCoin first asks for a token), what to
 * send to subscribe, to get one book's snapshot again, and to keep the connection alive.
 * Everything else — reconnects, snapshots, rotation, stats — is venue-neutral (shard-connector.ts).
 */
import type { Micros } from '../../../core/market/events.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import type { VenueFeed } from '../../../core/venues/feed-types.ts';
import type { Handover } from '../handover/handover.ts';
import type { RestClient } from '../rest-client.ts';

export interface ConnectTarget {
  readonly url: string;
  /** The URL without credentials, for logs and events. */
  readonly displayUrl: string;
  /** Client pings for this connection (KuCoin: the interval its token response asks for). */
  readonly pingIntervalMs?: number;
  /** Overrides the venue's idle timeout for this connection. */
  readonly idleTimeoutMs?: number;
}

export interface TargetContext {
  readonly rest: RestClient;
  readonly signal: AbortSignal;
  /** Unique per connection attempt (KuCoin connectId). */
  readonly connectId: string;
}

/** Hand a frame to the feed; `fromNew`: it came from the replacement connection of a handover. */
export type Deliver = (raw: string, localTs: Micros, fromNew: boolean) => void;

export interface VenueProtocol {
  readonly exchange: ExchangeId;
  /** Minimum spacing between messages we send. */
  readonly sendIntervalMs: number;
  /** Client ping interval from config (undefined: the venue pings us, or sends heartbeats). */
  readonly pingIntervalMs: number | undefined;
  /** Split the venue's symbols into groups that each fit one connection. */
  shard(symbols: readonly string[]): string[][];
  /** Where to connect (may do a REST call). */
  target(ctx: TargetContext): Promise<ConnectTarget>;
  /** When defined, subscriptions wait for the frame this accepts (KuCoin's welcome). */
  isWelcome?(raw: string): boolean;
  /** The messages that subscribe book and trade channels for `symbols` on a fresh connection. */
  subscribe(symbols: readonly string[]): string[];
  /**
   * Messages that make the venue send one book's snapshot again (unsubscribe + subscribe), or
   * undefined when the venue cannot do that per symbol (the connection is then replaced).
   */
  resubscribeBook(venueSymbol: string, topic: string | undefined): string[] | undefined;
  /** An application-level ping (n counts pings on this connection). */
  ping?(n: number): string;
  /**
   * Venues with a maximum connection age: a router for the overlap of old and new connection.
   * `lastTradeId` gives the id of the last trade the feed emitted for a venue symbol (NaN: none).
   */
  createHandover?(
    feed: VenueFeed,
    symbols: readonly string[],
    deliver: Deliver,
    lastTradeId: (venueSymbol: string) => number,
  ): Handover;
}

/** Split `items` into consecutive groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
