/**
 * A venue's private order stream with recovery, for the adapters whose orders go by REST (Kraken WS
 * v2 `executions`, KuCoin `/spotMarket/tradeOrdersV2`, Coinbase `user`): ask the venue where to
 * connect (a fresh token or JWT each time: tokens expire, JWTs live two minutes), connect, subscribe
 * (on open, or after the venue's welcome frame), ping as the venue asks, hand every data frame to
 * the adapter, and after any reconnect ask the adapter to recover by REST — pushes sent while we
 * were away are gone. A refused subscription (bad token or JWT), or a token request the venue
 * answers with a halt (bad key or signature), is counted and the stream stays down: the same
 * credentials cannot succeed, a person must look; polling carries on meanwhile.
 *
 * Frames are parsed once here (JSON object or counted bad); the venue protocol only classifies.
 */
import WebSocket from 'ws';
import { isObject, type JsonObject, parseJson } from '../../core/venues/wire-guards.ts';
import type { CancelTimer, Clock } from '../connectors/clock.ts';
import { VenueRequestError } from './execution-outcome.ts';
import type { SecretRedactor } from './redact-secrets.ts';

/** What one frame of the private stream is to the connection. */
export type StreamFrameKind = 'welcome' | 'subscribed' | 'refused' | 'data' | 'control';

export interface OrderStreamProtocol {
  /** Where to connect and what to send to subscribe, fetched before every connect. */
  session(): Promise<{ readonly url: string; readonly subscribe: readonly string[] }>;
  /** Subscribe only after a `welcome` frame (KuCoin); otherwise on open. */
  readonly waitsForWelcome: boolean;
  classify(frame: JsonObject): StreamFrameKind;
  /** Read before each ping (a venue may set it from its session answer). */
  pingIntervalMs: number;
  /** Absent where the venue has no application ping (Coinbase: the heartbeats channel keeps it open). */
  readonly ping?: () => string;
}

export interface PrivateOrderStreamOptions {
  readonly protocol: OrderStreamProtocol;
  readonly clock: Clock;
  readonly redactor: SecretRedactor;
  readonly onData: (frame: JsonObject) => void;
  /** Called after every reconnect (not the first connect), once subscribed again. */
  readonly onReconnected: () => Promise<void>;
  readonly reconnectDelayMs?: number;
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface PrivateOrderStreamCounters {
  connects: number;
  disconnects: number;
  frames: number;
  /** Frames that were not a JSON object. */
  badFrames: number;
  /** Subscriptions the venue refused. */
  refusals: number;
  recoveryFailures: number;
}

export class PrivateOrderStream {
  readonly counters: PrivateOrderStreamCounters = {
    connects: 0,
    disconnects: 0,
    frames: 0,
    badFrames: 0,
    refusals: 0,
    recoveryFailures: 0,
  };
  private ws: WebSocket | undefined;
  private stopped = false;
  private subscribed = false;
  private reconnectTimer: CancelTimer | undefined;
  private pingTimer: CancelTimer | undefined;

  constructor(private readonly options: PrivateOrderStreamOptions) {}

  /** Resolves once the first session is subscribed, refused, or failed (polling covers a failure). */
  start(): Promise<void> {
    return this.connect().catch((error: unknown) => {
      if (this.refused(error)) return;
      this.log('private order stream could not connect: retrying, polling meanwhile');
      this.scheduleReconnect();
    });
  }

  /** Subscribed right now. */
  get connected(): boolean {
    return this.subscribed && this.ws?.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.stopped = true;
    this.subscribed = false;
    this.reconnectTimer?.();
    this.pingTimer?.();
    this.ws?.terminate();
  }

  private async connect(): Promise<void> {
    const { url, subscribe } = await this.options.protocol.session();
    if (this.stopped) return;
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      this.ws = ws;
      this.subscribed = false;
      let opened = false;
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        cancelReady();
        resolve();
      };
      // No subscription answer in time: drop the socket; its close schedules the reconnect.
      const cancelReady = this.options.clock.setTimer(this.options.readyTimeoutMs ?? 10_000, () => {
        finish();
        ws.terminate();
      });
      const send = (): void => {
        for (const text of subscribe) ws.send(text);
      };
      ws.once('open', () => {
        opened = true;
        this.counters.connects++;
        if (!this.options.protocol.waitsForWelcome) send();
        this.schedulePing(ws);
      });
      ws.on('message', (data) => {
        const kind = this.onText(data.toString());
        if (kind === 'welcome' && this.options.protocol.waitsForWelcome) send();
        else if (kind === 'subscribed') {
          this.subscribed = true;
          finish();
        } else if (kind === 'refused' && !this.stopped) {
          this.counters.refusals++;
          this.log('private order stream subscription refused: stream stays down, polling carries on');
          this.stopped = true;
          ws.close();
        }
      });
      ws.on('error', (error) => {
        if (opened || done) return;
        done = true;
        cancelReady();
        reject(new Error(`private order stream connect failed: ${error.message.replace(/\?.*$/, '')}`));
      });
      ws.on('close', () => {
        if (this.ws !== ws || !opened) return;
        this.subscribed = false;
        this.counters.disconnects++;
        this.pingTimer?.();
        finish();
        if (!this.stopped) this.scheduleReconnect();
      });
    });
  }

  private onText(text: string): StreamFrameKind | undefined {
    this.counters.frames++;
    const frame = parseJson(text);
    if (!isObject(frame)) {
      this.counters.badFrames++;
      return undefined;
    }
    const kind = this.options.protocol.classify(frame);
    if (kind === 'data') this.options.onData(frame);
    return kind;
  }

  private schedulePing(ws: WebSocket): void {
    this.pingTimer?.();
    const ping = this.options.protocol.ping;
    if (!ping) return;
    this.pingTimer = this.options.clock.setTimer(this.options.protocol.pingIntervalMs, () => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(ping());
      this.schedulePing(ws);
    });
  }

  private scheduleReconnect(): void {
    this.log('private order stream closed: reconnecting, then recovering orders by REST');
    this.reconnectTimer = this.options.clock.setTimer(this.options.reconnectDelayMs ?? 1000, () => {
      this.reconnectTimer = undefined;
      if (this.stopped) return;
      this.connect().then(
        () => {
          if (!this.subscribed) return;
          this.options.onReconnected().catch(() => {
            this.counters.recoveryFailures++;
          });
        },
        (error: unknown) => {
          if (!this.stopped && !this.refused(error)) this.scheduleReconnect();
        },
      );
    });
  }

  /** A session request the venue refused for good (a halt outcome): counted, and the stream stops. */
  private refused(error: unknown): boolean {
    if (!(error instanceof VenueRequestError) || error.outcome.kind !== 'halt') return false;
    this.counters.refusals++;
    this.stopped = true;
    this.log('private order stream token refused: stream stays down, polling carries on');
    return true;
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor.redact(line));
  }
}
