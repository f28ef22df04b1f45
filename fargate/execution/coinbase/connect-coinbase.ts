/**
 * Wires Coinbase Advanced Trade order entry: the ES256 JWT signer over the CDP key, the server clock
 * synced before the first order (JWT nbf/exp make a skewed clock fatal to auth), a limiter of the
 * private request rate fed by the `x-ratelimit-*` headers, and the adapter polling fills and order
 * states on a timer. `close()` stops polling and waits for requests in flight.
 */
import { randomBytes } from 'node:crypto';
import type { Instrument } from '../../../core/market/instrument.ts';
import { type Clock, systemClock } from '../../connectors/clock.ts';
import { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import type { VenueCredentials } from '../credentials.ts';
import { RateLimitGovernor } from '../rate-limit-governor.ts';
import { SecretRedactor } from '../redact-secrets.ts';
import { ServerClock, systemWallClock, type WallClock } from '../server-clock.ts';
import { CoinbaseRest } from './coinbase-rest.ts';
import { CoinbaseVenue } from './coinbase-venue.ts';
import { createCoinbaseSigner } from './sign.ts';

export interface CoinbaseConnectOptions {
  readonly restUrl: string;
  /** apiKey: the CDP key name `organizations/{org}/apiKeys/{id}`; apiSecret: its EC P-256 PEM. */
  readonly credentials: VenueCredentials;
  readonly instruments: readonly Instrument[];
  readonly clock?: Clock;
  readonly wallClock?: WallClock;
  readonly log?: (line: string) => void;
  readonly fetch?: typeof fetch;
  /** Private requests per second (30 per the venue's published figure, unverified). */
  readonly requestsPerSecond?: number;
  /** Fill and order-state poll period, ms (default 1000). */
  readonly pollMs?: number;
}

export interface CoinbaseConnection {
  readonly venue: CoinbaseVenue;
  readonly rest: CoinbaseRest;
  readonly serverClock: ServerClock;
  readonly governor: RateLimitGovernor;
  readonly limiter: WeightedLimiter;
  readonly redactor: SecretRedactor;
  close(): Promise<void>;
}

export async function connectCoinbase(o: CoinbaseConnectOptions): Promise<CoinbaseConnection> {
  const clock = o.clock ?? systemClock();
  const wall = o.wallClock ?? systemWallClock;
  const redactor = new SecretRedactor();
  redactor.addSecret(o.credentials.apiKey);
  redactor.addSecret(o.credentials.apiSecret);
  const log = o.log;
  const safeLog = log ? (line: string) => log(redactor.redact(line)) : undefined;
  const perSecond = o.requestsPerSecond ?? 30;
  const limiter = new WeightedLimiter({ limit: perSecond, windowMs: 1000, burstFraction: 0.5 }, clock);
  const governor = new RateLimitGovernor(limiter, []);
  const serverClock = new ServerClock(wall);
  const rest = new CoinbaseRest({
    baseUrl: o.restUrl,
    signer: createCoinbaseSigner(o.credentials.apiKey, o.credentials.apiSecret, () =>
      randomBytes(16).toString('hex'),
    ),
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
  let stopPoll: (() => void) | undefined;
  const pollEvery = (): void => {
    stopPoll = clock.setTimer(o.pollMs ?? 1000, () => {
      venue.poll().catch(() => safeLog?.('coinbase poll failed'));
      pollEvery();
    });
  };
  pollEvery();
  safeLog?.(
    `coinbase order entry ready: clock offset ${Math.round(serverClock.offsetMs)} ms (rtt ${Math.round(serverClock.lastRttMs)} ms), polling every ${o.pollMs ?? 1000} ms`,
  );
  return {
    venue,
    rest,
    serverClock,
    governor,
    limiter,
    redactor,
    async close() {
      stopPoll?.();
      await venue.settled();
      limiter.clear(new Error('connection closed'));
    },
  };
}
