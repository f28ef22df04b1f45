/**
 * What the connectors tell the rest of the process besides the feed's own output: connection state
 * (core ConnectionEvent objects, through the feed listener's onEvent like every other event), alerts,
 * log lines, and every raw input handed to a feed (the recorder's tap).
 */
import type { Micros } from '../../core/market/events.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { FeedListener } from '../../core/venues/feed-types.ts';

export type AlertKind =
  /** `alertAfterFailures` connection attempts in a row failed. */
  | 'connection_failures'
  /** A REST request (snapshot, token) failed that many times in a row. */
  | 'rest_failures'
  /** The condition behind an earlier alert has cleared. */
  | 'resolved';

export interface ConnectorAlert {
  readonly type: 'alert';
  readonly kind: AlertKind;
  readonly exchange: ExchangeId;
  /** Which connection of the venue (venues with many symbols use several). */
  readonly shard: number;
  readonly localTs: Micros;
  readonly consecutiveFailures: number;
  readonly detail: string;
}

export type LogLevel = 'info' | 'warn' | 'error';

/** A feed listener plus the connector's own notifications. */
export interface ConnectorListener extends FeedListener {
  onAlert?(alert: ConnectorAlert): void;
  /** Human-readable lines (never containing credentials). The connectors do not print anything themselves. */
  onLog?(level: LogLevel, exchange: ExchangeId, message: string): void;
}

/** Identifies one websocket connection: the venue's shard and a counter of connections it opened. */
export interface ConnectionRef {
  readonly shard: number;
  readonly connection: number;
}

/**
 * Everything a feed was given, in the order it was given, so that a recording replays exactly as
 * the live session saw it. Frames dropped on purpose (duplicates during a planned connection
 * switch) are not tapped: they never reached the feed.
 */
export interface RawTap {
  /** A text frame handed to the feed. */
  frame(exchange: ExchangeId, raw: string, localTs: Micros, ref: ConnectionRef): void;
  /** A REST snapshot body handed to the feed (`url` without credentials). */
  rest?(exchange: ExchangeId, url: string, venueSymbol: string, body: string, localTs: Micros): void;
  /** A message we sent (subscribe, unsubscribe, ping). */
  sent?(exchange: ExchangeId, raw: string, localTs: Micros, ref: ConnectionRef): void;
  /** A connection opened, or was lost (the feed was told onDisconnect at `localTs`). */
  connection?(
    exchange: ExchangeId,
    state: 'open' | 'lost',
    url: string,
    localTs: Micros,
    ref: ConnectionRef,
  ): void;
}

export interface ShardStats {
  /** Connections made ready (subscribed), the first included. */
  connects: number;
  /** Connections lost after being ready. */
  disconnects: number;
  /** Attempts that failed before the connection was ready. */
  failedAttempts: number;
  consecutiveFailures: number;
  /** Delay chosen for the last scheduled reconnect (backoff with jitter). */
  lastReconnectDelayMs: number;
  /** Gap of the last reconnection: connection lost → new connection subscribed (µs). */
  lastGapMicros: number;
  maxGapMicros: number;
  totalGapMicros: number;
  /** Connection lost → every book of the shard trusted again (µs), for the last recovery. */
  lastRecoveryMicros: number;
  framesReceived: number;
  /** Server ping frames answered with a pong (Binance). */
  pongsSent: number;
  /** Application pings we sent (Kraken, Bybit, KuCoin). */
  pingsSent: number;
  snapshotRequests: number;
  snapshotsDelivered: number;
  resubscribes: number;
  /** Planned overlap-and-switch rotations completed (Binance 24 h limit). */
  rotations: number;
  /** Rotations that hit syncTimeoutMs before every book had lined up. */
  forcedRotations: number;
  /** Frames dropped as duplicates while two connections overlapped. */
  overlapDuplicates: number;
  /** Exceptions thrown by the feed (or a listener it called); each one dropped the connection. */
  feedErrors: number;
}

export function newShardStats(): ShardStats {
  return {
    connects: 0,
    disconnects: 0,
    failedAttempts: 0,
    consecutiveFailures: 0,
    lastReconnectDelayMs: 0,
    lastGapMicros: 0,
    maxGapMicros: 0,
    totalGapMicros: 0,
    lastRecoveryMicros: 0,
    framesReceived: 0,
    pongsSent: 0,
    pingsSent: 0,
    snapshotRequests: 0,
    snapshotsDelivered: 0,
    resubscribes: 0,
    rotations: 0,
    forcedRotations: 0,
    overlapDuplicates: 0,
    feedErrors: 0,
  };
}
