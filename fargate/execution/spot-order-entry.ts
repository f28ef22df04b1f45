/**
 * The running part of a Kraken, KuCoin or Coinbase connection, once its REST client and adapter are
 * built: the redacted log, the private order stream (fills, states; a REST catch-up poll after
 * every reconnect) and the slow fallback poll on a timer. `stop()` ends the poll and the stream
 * and waits for requests in flight.
 */
import type { JsonObject } from '../../core/venues/wire-guards.ts';
import type { Clock } from '../connectors/clock.ts';
import { type OrderStreamProtocol, PrivateOrderStream } from './private-order-stream.ts';
import { SecretRedactor } from './redact-secrets.ts';

/** Default fallback poll period, ms: the stream carries fills, polls only reconcile. */
export const FALLBACK_POLL_MS = 5000;

/** A redactor that knows `secrets`, and `log` behind it (undefined without a log). */
export function redactedLog(
  secrets: readonly string[],
  log: ((line: string) => void) | undefined,
): { redactor: SecretRedactor; safeLog: ((line: string) => void) | undefined } {
  const redactor = new SecretRedactor();
  for (const s of secrets) redactor.addSecret(s);
  return { redactor, safeLog: log ? (line: string) => log(redactor.redact(line)) : undefined };
}

export interface StreamedVenue {
  poll(): Promise<void>;
  recover(): Promise<void>;
  onStreamFrame(frame: JsonObject): void;
  settled(): Promise<void>;
}

export interface SpotOrderEntryOptions {
  readonly name: string;
  readonly venue: StreamedVenue;
  readonly protocol: OrderStreamProtocol;
  readonly clock: Clock;
  readonly redactor: SecretRedactor;
  readonly safeLog: ((line: string) => void) | undefined;
  /** False: REST polling only (no private stream). */
  readonly stream: boolean;
  /** The connection's options: fallback poll period (default FALLBACK_POLL_MS) and reconnect delay, ms. */
  readonly timing: { readonly pollMs?: number; readonly reconnectDelayMs?: number };
}

export interface SpotOrderEntry {
  readonly stream: PrivateOrderStream | undefined;
  stop(): Promise<void>;
}

export async function startSpotOrderEntry(o: SpotOrderEntryOptions): Promise<SpotOrderEntry> {
  const { venue, clock, safeLog } = o;
  const stream =
    o.stream === false
      ? undefined
      : new PrivateOrderStream({
          protocol: o.protocol,
          clock,
          redactor: o.redactor,
          onData: (frame) => venue.onStreamFrame(frame),
          onReconnected: () => venue.recover(),
          ...(o.timing.reconnectDelayMs !== undefined ? { reconnectDelayMs: o.timing.reconnectDelayMs } : {}),
          ...(safeLog ? { log: safeLog } : {}),
        });
  await stream?.start();
  const pollMs = o.timing.pollMs ?? FALLBACK_POLL_MS;
  let stopPoll: (() => void) | undefined;
  const pollEvery = (): void => {
    stopPoll = clock.setTimer(pollMs, () => {
      venue.poll().catch(() => safeLog?.(`${o.name} poll failed`));
      pollEvery();
    });
  };
  pollEvery();
  safeLog?.(
    `${o.name} order stream ${stream ? (stream.connected ? 'subscribed' : 'not subscribed') : 'off'}, polling every ${pollMs} ms`,
  );
  return {
    stream,
    async stop() {
      stopPoll?.();
      stream?.close();
      await venue.settled();
    },
  };
}
