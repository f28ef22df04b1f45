/**
 * Wires Kraken spot order entry: HMAC-SHA512 signer over the base64 secret, the key's nonce counter,
 * the REST call counter as a limiter (tier's decaying counter), the adapter, the WS v2 `executions`
 * stream (a fresh GetWebSocketsToken token per connect; a TradesHistory catch-up after each
 * reconnect), the slow fallback poll, and the CancelAllOrdersAfter dead-man switch armed before the
 * first order and refreshed while trading. `close()` stops the stream and polling, disarms the
 * switch and waits for requests in flight.
 */
import type { Instrument } from '../../../core/market/instrument.ts';
import { type Clock, systemClock } from '../../connectors/clock.ts';
import { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import type { VenueCredentials } from '../credentials.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import { systemWallClock, type WallClock } from '../server-clock.ts';
import { redactedLog, type SpotOrderEntry, startSpotOrderEntry } from '../spot-order-entry.ts';
import { CancelAllAfter } from './cancel-all-after.ts';
import { krakenExecutionsProtocol } from './executions-stream.ts';
import { KrakenRest } from './kraken-rest.ts';
import { KrakenVenue } from './kraken-venue.ts';
import { KrakenNonce } from './nonce.ts';
import {
  type DecayingCounter,
  decayingCounterPolicy,
  KRAKEN_CALL_COUNTER,
  type KrakenTier,
} from './rate-limits.ts';
import { createKrakenSigner } from './sign.ts';

export interface KrakenConnectOptions {
  readonly restUrl: string;
  /** `wss://ws-auth.kraken.com/v2`; without it, fills are polled only. */
  readonly privateWsUrl?: string;
  readonly credentials: VenueCredentials;
  readonly instruments: readonly Instrument[];
  readonly tier?: KrakenTier;
  /** The REST call counter to pace against (default: the tier's). */
  readonly callCounter?: DecayingCounter;
  readonly clock?: Clock;
  readonly wallClock?: WallClock;
  /** The highest nonce this key used before (persisted across restarts), if known. */
  readonly nonceIssuedBefore?: number;
  readonly log?: (line: string) => void;
  readonly fetch?: typeof fetch;
  /** Fallback poll period of fills and order states, ms (default FALLBACK_POLL_MS). */
  readonly pollMs?: number;
  readonly reconnectDelayMs?: number;
  readonly deadManSwitch?: boolean;
  readonly cancelAfterS?: number;
  readonly cancelAfterRefreshMs?: number;
}

export interface KrakenConnection {
  readonly venue: KrakenVenue;
  readonly rest: KrakenRest;
  readonly limiter: WeightedLimiter;
  readonly redactor: SecretRedactor;
  readonly cancelAfter: CancelAllAfter | undefined;
  readonly entry: SpotOrderEntry;
  close(): Promise<void>;
}

export async function connectKraken(o: KrakenConnectOptions): Promise<KrakenConnection> {
  const clock = o.clock ?? systemClock();
  const wall = o.wallClock ?? systemWallClock;
  const { redactor, safeLog } = redactedLog([o.credentials.apiKey, o.credentials.apiSecret], o.log);
  const limiter = new WeightedLimiter(
    decayingCounterPolicy(o.callCounter ?? KRAKEN_CALL_COUNTER[o.tier ?? 'starter']),
    clock,
  );
  const rest = new KrakenRest({
    baseUrl: o.restUrl,
    apiKey: o.credentials.apiKey,
    signer: createKrakenSigner(o.credentials.apiSecret),
    nonce: new KrakenNonce(() => wall.nowMs(), o.nonceIssuedBefore ?? 0),
    limiter,
    redactor,
    wallNowMs: () => wall.nowMs(),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(safeLog ? { log: safeLog } : {}),
  });
  const venue = new KrakenVenue({
    rest,
    instruments: o.instruments,
    nowMicros: () => clock.nowMicros(),
    onHalt: (code, message) => safeLog?.(`kraken halted by venue (HTTP ${code}): ${message}`),
  });
  let cancelAfter: CancelAllAfter | undefined;
  if (o.deadManSwitch !== false) {
    cancelAfter = new CancelAllAfter(rest, clock, {
      ...(o.cancelAfterS !== undefined ? { timeoutS: o.cancelAfterS } : {}),
      ...(o.cancelAfterRefreshMs !== undefined ? { refreshMs: o.cancelAfterRefreshMs } : {}),
      onError: () => safeLog?.('kraken CancelAllOrdersAfter refresh failed'),
    });
    await cancelAfter.arm();
  }
  const entry = await startSpotOrderEntry({
    name: 'kraken',
    venue,
    protocol: krakenExecutionsProtocol(rest, o.privateWsUrl ?? '', redactor),
    stream: o.privateWsUrl !== undefined,
    clock,
    redactor,
    safeLog,
    timing: o,
  });
  if (cancelAfter) safeLog?.(`kraken dead-man switch armed until ${cancelAfter.triggerTime}`);
  return {
    venue,
    rest,
    limiter,
    redactor,
    cancelAfter,
    entry,
    async close() {
      await entry.stop();
      await cancelAfter?.stop().catch(() => safeLog?.('kraken CancelAllOrdersAfter disarm failed'));
      limiter.clear(new Error('connection closed'));
    },
  };
}
