/**
 * Wires Coinbase Advanced Trade order entry: the ES256 JWT signer over the CDP key, the server clock
 * synced before the first order (JWT nbf/exp make a skewed clock fatal to auth), a limiter of the
 * private request rate fed by the `x-ratelimit-*` headers, the adapter, the `user` channel (a fresh
 * JWT per subscribe; a fill history catch-up after each reconnect) and the slow fallback poll.
 * `close()` stops the stream and polling and waits for requests in flight.
 */
import { randomBytes } from 'node:crypto';
import type { Instrument } from '../../../core/market/instrument.ts';
import { type Clock, systemClock } from '../../connectors/clock.ts';
import { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import type { VenueCredentials } from '../credentials.ts';
import { RateLimitGovernor } from '../rate-limit-governor.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import { ServerClock, systemWallClock, type WallClock } from '../server-clock.ts';
import { redactedLog, type SpotOrderEntry, startSpotOrderEntry } from '../spot-order-entry.ts';
import { CoinbaseRest } from './coinbase-rest.ts';
import { CoinbaseVenue } from './coinbase-venue.ts';
import { createCoinbaseSigner } from './sign.ts';
import { coinbaseUserProtocol } from './user-channel-stream.ts';

export interface CoinbaseConnectOptions {
  readonly restUrl: string;
  /** `wss://advanced-trade-ws-user.coinbase.com`; without it, fills are polled only. */
  readonly userWsUrl?: string;
  /** apiKey: the CDP key name `organizations/{org}/apiKeys/{id}`; apiSecret: its EC P-256 PEM. */
  readonly credentials: VenueCredentials;
  readonly instruments: readonly Instrument[];
  readonly clock?: Clock;
  readonly wallClock?: WallClock;
  readonly log?: (line: string) => void;
  readonly fetch?: typeof fetch;
  /** Private requests per second (30 per the venue's published figure, unverified). */
  readonly requestsPerSecond?: number;
  /** Fallback poll period of fills and order states, ms (default FALLBACK_POLL_MS). */
  readonly pollMs?: number;
  readonly reconnectDelayMs?: number;
}

export interface CoinbaseConnection {
  readonly venue: CoinbaseVenue;
  readonly rest: CoinbaseRest;
  readonly serverClock: ServerClock;
  readonly governor: RateLimitGovernor;
  readonly limiter: WeightedLimiter;
  readonly redactor: SecretRedactor;
  readonly entry: SpotOrderEntry;
  close(): Promise<void>;
}

export async function connectCoinbase(o: CoinbaseConnectOptions): Promise<CoinbaseConnection> {
  const clock = o.clock ?? systemClock();
  const wall = o.wallClock ?? systemWallClock;
  const { redactor, safeLog } = redactedLog([o.credentials.apiKey, o.credentials.apiSecret], o.log);
  const perSecond = o.requestsPerSecond ?? 30;
  const limiter = new WeightedLimiter({ limit: perSecond, windowMs: 1000, burstFraction: 0.5 }, clock);
  const governor = new RateLimitGovernor(limiter, []);
  const serverClock = new ServerClock(wall);
  const signer = createCoinbaseSigner(o.credentials.apiKey, o.credentials.apiSecret, () =>
    randomBytes(16).toString('hex'),
  );
  const rest = new CoinbaseRest({
    baseUrl: o.restUrl,
    signer,
    clock: serverClock,
    limiter,
    governor,
    redactor,
    wallNowMs: () => wall.nowMs(),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(safeLog ? { log: safeLog } : {}),
  });
  await rest.syncTime();
  const venue = new CoinbaseVenue({
    rest,
    instruments: o.instruments,
    nowMicros: () => clock.nowMicros(),
    onHalt: (code, message) => safeLog?.(`coinbase halted by venue (HTTP ${code}): ${message}`),
  });
  const products = o.instruments.filter((i) => i.exchange === 'coinbase').map((i) => i.venueSymbol);
  const entry = await startSpotOrderEntry({
    name: 'coinbase',
    venue,
    protocol: coinbaseUserProtocol(o.userWsUrl ?? '', products, signer, serverClock, redactor),
    stream: o.userWsUrl !== undefined,
    clock,
    redactor,
    safeLog,
    timing: o,
  });
  safeLog?.(
    `coinbase order entry ready: clock offset ${Math.round(serverClock.offsetMs)} ms (rtt ${Math.round(serverClock.lastRttMs)} ms)`,
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
