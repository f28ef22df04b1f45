/**
 * Wires KuCoin spot order entry: the v2 signer (signed passphrase), the server clock synced before
 * the first order, a limiter over the UID's resource pool fed by the `gw-ratelimit-*` headers, the
 * adapter, the private push `/spotMarket/tradeOrdersV2` (a bullet-private token per connect; a fill
 * history catch-up after each reconnect) and the slow fallback poll. `close()` stops the stream and
 * polling and waits for requests in flight.
 */
import type { Instrument } from '../../../core/market/instrument.ts';
import { type Clock, systemClock } from '../../connectors/clock.ts';
import { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import type { VenueCredentials } from '../credentials.ts';
import { RateLimitGovernor } from '../rate-limit-governor.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import { ServerClock, systemWallClock, type WallClock } from '../server-clock.ts';
import { redactedLog, type SpotOrderEntry, startSpotOrderEntry } from '../spot-order-entry.ts';
import { KucoinRest } from './kucoin-rest.ts';
import { KucoinVenue } from './kucoin-venue.ts';
import { kucoinOrderChangeProtocol } from './order-change-stream.ts';
import { KUCOIN_POOL_WINDOW_MS } from './rate-limits.ts';
import { createKucoinSigner } from './sign.ts';

export interface KucoinConnectOptions {
  readonly restUrl: string;
  readonly credentials: VenueCredentials;
  readonly instruments: readonly Instrument[];
  readonly clock?: Clock;
  readonly wallClock?: WallClock;
  readonly log?: (line: string) => void;
  readonly fetch?: typeof fetch;
  /** Resource pool per 30 s (VIP0 spot 4000). */
  readonly poolLimit?: number;
  /** Fallback poll period of fills and order states, ms (default FALLBACK_POLL_MS). */
  readonly pollMs?: number;
  /** False: no private push, fills polled only (default true). */
  readonly stream?: boolean;
  readonly reconnectDelayMs?: number;
}

export interface KucoinConnection {
  readonly venue: KucoinVenue;
  readonly rest: KucoinRest;
  readonly serverClock: ServerClock;
  readonly governor: RateLimitGovernor;
  readonly limiter: WeightedLimiter;
  readonly redactor: SecretRedactor;
  readonly entry: SpotOrderEntry;
  close(): Promise<void>;
}

export async function connectKucoin(o: KucoinConnectOptions): Promise<KucoinConnection> {
  const passphrase = o.credentials.passphrase;
  if (!passphrase) throw new Error('KuCoin credentials need a passphrase (KUCOIN_API_PASSPHRASE)');
  const clock = o.clock ?? systemClock();
  const { redactor, safeLog } = redactedLog(
    [o.credentials.apiKey, o.credentials.apiSecret, passphrase],
    o.log,
  );
  const limit = o.poolLimit ?? 4000;
  const limiter = new WeightedLimiter({ limit, windowMs: KUCOIN_POOL_WINDOW_MS, burstFraction: 0.5 }, clock);
  const governor = new RateLimitGovernor(limiter, []);
  const serverClock = new ServerClock(o.wallClock ?? systemWallClock);
  const rest = new KucoinRest({
    baseUrl: o.restUrl,
    signer: createKucoinSigner(o.credentials.apiKey, o.credentials.apiSecret, passphrase),
    clock: serverClock,
    limiter,
    governor,
    redactor,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(safeLog ? { log: safeLog } : {}),
  });
  await rest.syncTime();
  const venue = new KucoinVenue({
    rest,
    instruments: o.instruments,
    nowMicros: () => clock.nowMicros(),
    onHalt: (code, message) => safeLog?.(`kucoin halted by venue code ${code}: ${message}`),
  });
  const entry = await startSpotOrderEntry({
    name: 'kucoin',
    venue,
    protocol: kucoinOrderChangeProtocol(rest, redactor),
    clock,
    redactor,
    safeLog,
    stream: o.stream !== false,
    timing: o,
  });
  safeLog?.(
    `kucoin order entry ready: clock offset ${Math.round(serverClock.offsetMs)} ms (rtt ${Math.round(serverClock.lastRttMs)} ms)`,
  );
  return {
    venue,
    rest,
    serverClock,
    governor,
    limiter,
    redactor,
    entry,
    async close() {
      await entry.stop();
      limiter.clear(new Error('connection closed'));
    },
  };
}
