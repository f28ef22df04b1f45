/**
 * Wires Bybit v5 order entry (linear and spot instruments in one adapter): server clock synced
 * before the first order, one limiter and governor per endpoint fed by `X-Bapi-Limit*`, the
 * adapter, the disconnect-cancel window, and the private stream (auth, `order` + `execution` +
 * the armed `dcp.*` topics) with REST recovery after every reconnect. `close()` unsubscribes the
 * `dcp.*` topics before leaving — a clean exit is no disconnect — then waits for requests in flight.
 */
import type { Instrument } from '../../../core/market/instrument.ts';
import { type Clock, systemClock } from '../../connectors/clock.ts';
import type { VenueCredentials } from '../credentials.ts';
import { SecretRedactor } from '../redact-secrets.ts';
import { ServerClock, systemWallClock, type WallClock } from '../server-clock.ts';
import { BybitRest } from './bybit-rest.ts';
import { BybitVenue } from './bybit-venue.ts';
import { BybitDisconnectCancel } from './disconnect-cancel.ts';
import { BybitEndpointLimits } from './endpoint-limits.ts';
import { BybitPrivateStream } from './private-stream.ts';

export const BYBIT_STREAM_TOPICS = ['order', 'execution'] as const;

export interface BybitConnectOptions {
  /** `https://api.bybit.com`. */
  readonly restUrl: string;
  /** `wss://stream.bybit.com/v5/private`. */
  readonly privateWsUrl: string;
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
  /** Arm disconnect-cancel for the instruments' products (default true). */
  readonly deadManSwitch?: boolean;
  /** DCP window, whole seconds 3–300 (default 10, Bybit's default). */
  readonly dcpWindowS?: number;
  /** Requests per second by path where the account's limits differ from Bybit's defaults. */
  readonly pathLimits?: Readonly<Record<string, number>>;
}

export interface BybitConnection {
  readonly venue: BybitVenue;
  readonly rest: BybitRest;
  readonly stream: BybitPrivateStream;
  readonly serverClock: ServerClock;
  readonly limits: BybitEndpointLimits;
  readonly redactor: SecretRedactor;
  readonly disconnectCancel: BybitDisconnectCancel | undefined;
  close(): Promise<void>;
}

export async function connectBybit(o: BybitConnectOptions): Promise<BybitConnection> {
  const clock = o.clock ?? systemClock();
  const log = o.log;
  const redactor = new SecretRedactor();
  redactor.addSecret(o.credentials.apiKey);
  redactor.addSecret(o.credentials.apiSecret);
  const safeLog = log ? (line: string) => log(redactor.redact(line)) : undefined;
  const limits = new BybitEndpointLimits(clock, Date.now, o.pathLimits);
  const serverClock = new ServerClock(o.wallClock ?? systemWallClock);
  const rest = new BybitRest({
    baseUrl: o.restUrl,
    apiKey: o.credentials.apiKey,
    apiSecret: o.credentials.apiSecret,
    clock: serverClock,
    limits,
    redactor,
    ...(o.recvWindowMs !== undefined ? { recvWindowMs: o.recvWindowMs } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(safeLog ? { log: safeLog } : {}),
  });
  await rest.syncTime();
  const venue = new BybitVenue({
    rest,
    instruments: o.instruments,
    nowMicros: () => clock.nowMicros(),
    onHalt: (code, message) => safeLog?.(`bybit halted by venue retCode ${code}: ${message}`),
  });
  let disconnectCancel: BybitDisconnectCancel | undefined;
  let dcpTopics: readonly string[] = [];
  if (o.deadManSwitch !== false) {
    disconnectCancel = new BybitDisconnectCancel(rest, o.dcpWindowS ?? 10, (product) =>
      safeLog?.(
        `bybit disconnect-cancel could not be set for ${product}: trading without the dead-man switch`,
      ),
    );
    dcpTopics = await disconnectCancel.arm(venue.categories);
  }
  const stream = new BybitPrivateStream({
    url: o.privateWsUrl,
    apiKey: o.credentials.apiKey,
    apiSecret: o.credentials.apiSecret,
    clock: serverClock,
    redactor,
    topics: [...BYBIT_STREAM_TOPICS, ...dcpTopics],
    onFrame: (frame) => venue.onStreamFrame(frame),
    onReconnected: () => venue.recover(),
    ...(o.reconnectDelayMs !== undefined ? { reconnectDelayMs: o.reconnectDelayMs } : {}),
    ...(safeLog ? { log: safeLog } : {}),
  });
  await stream.start();
  safeLog?.(
    `bybit order entry ready: clock offset ${Math.round(serverClock.offsetMs)} ms (rtt ${Math.round(serverClock.lastRttMs)} ms), ` +
      `private stream ${stream.connected ? 'subscribed' : 'not subscribed'}` +
      (dcpTopics.length > 0 ? `, disconnect-cancel armed (${dcpTopics.join(', ')})` : ''),
  );
  return {
    venue,
    rest,
    stream,
    serverClock,
    limits,
    redactor,
    disconnectCancel,
    async close() {
      await stream.close(dcpTopics);
      await venue.settled();
      limits.clear(new Error('connection closed'));
    },
  };
}
