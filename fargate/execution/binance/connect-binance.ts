/**
 * Wires one Binance market (spot or USD-M) for order entry: signer (Ed25519 when a private key is
 * configured, else HMAC-SHA256), server clock synced before the first order, weighted limiter fed by
 * the usage headers, the adapter, its user-data stream with REST recovery and, on USD-M, the
 * countdown dead-man switch. `close()` stops the stream and disarms the switch.
 */
import type { Instrument } from '../../../core/market/instrument.ts';
import { type Clock, systemClock } from '../../connectors/clock.ts';
import { WeightedLimiter } from '../../rate-limit/weighted-limiter.ts';
import { CountdownCancelAll } from '../binance-futures/countdown-cancel-all.ts';
import {
  futuresStreamSession,
  KEEPALIVE_MS,
  keepAlive,
  unwrapFuturesEvent,
} from '../binance-futures/listen-key.ts';
import type { VenueCredentials } from '../credentials.ts';
import { RateLimitGovernor } from '../rate-limit-governor.ts';
import { SecretRedactor } from '../redact-secrets.ts';
import { ServerClock, systemWallClock, type WallClock } from '../server-clock.ts';
import { SPOT, USD_M } from './binance-market.ts';
import { BinanceRest } from './binance-rest.ts';
import { BinanceVenue } from './binance-venue.ts';
import { ed25519Signer, hmacSigner } from './sign.ts';
import { spotStreamSession, spotSubscribeRefusal, unwrapSpotEvent } from './spot-user-stream.ts';
import { UserStream } from './user-stream.ts';

export interface BinanceConnectOptions {
  readonly exchange: 'binance' | 'binance-futures';
  readonly restUrl: string;
  /** Spot: the WS API URL (`…/ws-api/v3`); USD-M: the stream base (`wss://fstream.binance.com`). */
  readonly wsUrl: string;
  readonly credentials: VenueCredentials;
  readonly instruments: readonly Instrument[];
  /** Timers and limiter time (the system clock by default). */
  readonly clock?: Clock;
  /** Our wall clock, from which the server-time offset is measured. */
  readonly wallClock?: WallClock;
  readonly log?: (line: string) => void;
  readonly fetch?: typeof fetch;
  readonly recvWindowMs?: number;
  readonly reconnectDelayMs?: number;
  /** REQUEST_WEIGHT per minute (spot doc example 6000, USD-M default 2400; exchangeInfo is authoritative). */
  readonly weightLimit?: number;
  /** USD-M: arm the countdown dead-man switch for every instrument (default true). */
  readonly deadManSwitch?: boolean;
  readonly countdownMs?: number;
  readonly countdownRefreshMs?: number;
}

export interface BinanceConnection {
  readonly venue: BinanceVenue;
  readonly rest: BinanceRest;
  readonly stream: UserStream;
  readonly serverClock: ServerClock;
  readonly governor: RateLimitGovernor;
  readonly limiter: WeightedLimiter;
  readonly redactor: SecretRedactor;
  readonly countdown: CountdownCancelAll | undefined;
  close(): Promise<void>;
}

export async function connectBinance(o: BinanceConnectOptions): Promise<BinanceConnection> {
  const futures = o.exchange === 'binance-futures';
  const market = futures ? USD_M : SPOT;
  const clock = o.clock ?? systemClock();
  const log = o.log;
  const redactor = new SecretRedactor();
  redactor.addSecret(o.credentials.apiKey);
  redactor.addSecret(o.credentials.apiSecret);
  redactor.addSecret(o.credentials.ed25519PrivateKeyPem);
  const safeLog = log ? (line: string) => log(redactor.redact(line)) : undefined;
  const signer = o.credentials.ed25519PrivateKeyPem
    ? ed25519Signer(o.credentials.ed25519PrivateKeyPem)
    : hmacSigner(o.credentials.apiSecret);
  const limit = o.weightLimit ?? (futures ? 2400 : 6000);
  const limiter = new WeightedLimiter({ limit, windowMs: 60_000, burstFraction: 0.5 }, clock);
  const headerLimits = [{ header: 'x-mbx-used-weight-1m', limit, windowMs: 60_000 }];
  const governor = new RateLimitGovernor(limiter, headerLimits);
  const serverClock = new ServerClock(o.wallClock ?? systemWallClock);
  const rest = new BinanceRest({
    baseUrl: o.restUrl,
    timePath: market.timePath,
    apiKey: o.credentials.apiKey,
    signer,
    clock: serverClock,
    limiter,
    governor,
    redactor,
    ...(o.recvWindowMs !== undefined ? { recvWindowMs: o.recvWindowMs } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(safeLog ? { log: safeLog } : {}),
  });
  await rest.syncTime();
  const venue = new BinanceVenue({
    exchange: o.exchange,
    market,
    rest,
    instruments: o.instruments,
    nowMicros: () => clock.nowMicros(),
    onHalt: (code, message) => safeLog?.(`${o.exchange} halted by venue code ${code}: ${message}`),
  });
  const stream = new UserStream({
    prepare: futures
      ? () => futuresStreamSession(rest, o.wsUrl)
      : async () => spotStreamSession(o.wsUrl, o.credentials.apiKey, signer, serverClock, redactor),
    unwrap: futures ? unwrapFuturesEvent : unwrapSpotEvent,
    ...(futures ? {} : { refusal: spotSubscribeRefusal }),
    onEvent: (e) => venue.onStreamEvent(e),
    onReconnected: () => venue.recover(),
    ...(o.reconnectDelayMs !== undefined ? { reconnectDelayMs: o.reconnectDelayMs } : {}),
    ...(safeLog ? { log: safeLog } : {}),
  });
  await stream.start();
  let keepAliveTimer: (() => void) | undefined;
  if (futures) {
    const again = (): void => {
      keepAliveTimer = clock.setTimer(KEEPALIVE_MS, () => {
        keepAlive(rest).catch(() => safeLog?.('listenKey keepalive failed'));
        again();
      });
    };
    again();
  }
  let countdown: CountdownCancelAll | undefined;
  if (futures && o.deadManSwitch !== false) {
    countdown = new CountdownCancelAll(rest, clock, {
      ...(o.countdownMs !== undefined ? { countdownMs: o.countdownMs } : {}),
      ...(o.countdownRefreshMs !== undefined ? { refreshMs: o.countdownRefreshMs } : {}),
      onError: (symbol) => safeLog?.(`countdownCancelAll refresh failed for ${symbol}`),
    });
    // The kernel's list holds every venue's instruments: arm only USD-M's own symbols.
    for (const inst of o.instruments) if (inst.exchange === o.exchange) await countdown.arm(inst.venueSymbol);
  }
  safeLog?.(
    `${o.exchange} order entry ready: clock offset ${Math.round(serverClock.offsetMs)} ms (rtt ${Math.round(serverClock.lastRttMs)} ms), ` +
      `user stream open${countdown ? `, dead-man switch armed for ${countdown.armed.size} symbol(s)` : ''}`,
  );
  return {
    venue,
    rest,
    stream,
    serverClock,
    governor,
    limiter,
    redactor,
    countdown,
    async close() {
      keepAliveTimer?.();
      stream.stop();
      await countdown?.stop();
      await venue.settled();
      limiter.clear(new Error('connection closed'));
    },
  };
}
