/**
 * Bybit's private WebSocket (`/v5/private`) with recovery: connect, authenticate with
 * `{"op":"auth","args":[apiKey, expires, signature]}` (signature = hex HMAC of `GET/realtime` ‖
 * expires, expires in ms on the venue's clock), subscribe to the topics (`order`, `execution`, the
 * `dcp.*` topics that arm disconnect-cancel), ping every 20 s as Bybit asks, hand every push to the
 * adapter, and after any reconnect ask the adapter to recover by REST query — pushes sent while we
 * were away are gone. An auth refusal (bad key or signature) is counted and logged and the stream
 * stays down: reconnecting with the same credentials cannot succeed, a person must look.
 */
import WebSocket from 'ws';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';
import type { SecretRedactor } from '../redact-secrets.ts';
import type { ServerClock } from '../server-clock.ts';
import { bybitWsAuthSignature } from './sign.ts';

const PING_MS = 20_000;
const EXPIRES_AFTER_MS = 10_000;
const READY_TIMEOUT_MS = 10_000;

export interface BybitPrivateStreamOptions {
  /** `wss://stream.bybit.com/v5/private`. */
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly clock: ServerClock;
  readonly redactor: SecretRedactor;
  readonly topics: readonly string[];
  readonly onFrame: (frame: JsonObject) => void;
  /** Called after every reconnect (not the first connect), once subscribed again. */
  readonly onReconnected: () => Promise<void>;
  readonly reconnectDelayMs?: number;
  readonly pingIntervalMs?: number;
  readonly log?: (line: string) => void;
}

export interface BybitPrivateStreamCounters {
  connects: number;
  disconnects: number;
  frames: number;
  badFrames: number;
  pongs: number;
  recoveryFailures: number;
  /** Auth or subscribe requests the venue refused. */
  refusals: number;
}

export class BybitPrivateStream {
  readonly counters: BybitPrivateStreamCounters = {
    connects: 0,
    disconnects: 0,
    frames: 0,
    badFrames: 0,
    pongs: 0,
    recoveryFailures: 0,
    refusals: 0,
  };
  /** The last refusal's `ret_msg` (redacted), empty while none. */
  lastRefusal = '';
  private ws: WebSocket | undefined;
  private stopped = false;
  private subscribed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private ready: (() => void) | undefined;
  private nextReqId = 0;
  private readonly pendingOps = new Map<string, () => void>();

  constructor(private readonly options: BybitPrivateStreamOptions) {}

  /** Resolves once the first session is authenticated and subscribed, or was refused. */
  start(): Promise<void> {
    return this.connect();
  }

  /** Authenticated and subscribed right now. */
  get connected(): boolean {
    return this.subscribed && this.ws?.readyState === WebSocket.OPEN;
  }

  /**
   * Leave cleanly: unsubscribe `topics` first (the `dcp.*` ones: a clean exit is no disconnect to
   * guard against), then close. Without topics, or if the socket is down, just stop.
   */
  async close(topics: readonly string[] = []): Promise<void> {
    this.stopped = true;
    const ws = this.ws;
    if (topics.length > 0 && ws?.readyState === WebSocket.OPEN) {
      const reqId = this.reqId('unsub');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.pendingOps.set(reqId, () => {
          clearTimeout(timer);
          resolve();
        });
        ws.send(JSON.stringify({ req_id: reqId, op: 'unsubscribe', args: topics }));
      });
    }
    this.stop();
  }

  /** Drop the socket at once (no unsubscribe: to the venue it looks like a lost connection). */
  stop(): void {
    this.stopped = true;
    this.subscribed = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.ws?.terminate();
  }

  private connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.options.url, { perMessageDeflate: false });
      this.ws = ws;
      this.subscribed = false;
      let opened = false;
      // No auth/subscribe answer in time: drop the socket; its close schedules the reconnect.
      const readyTimer = setTimeout(() => {
        this.ready?.();
        ws.terminate();
      }, READY_TIMEOUT_MS);
      this.ready = () => {
        clearTimeout(readyTimer);
        this.ready = undefined;
        resolve();
      };
      ws.once('open', () => {
        opened = true;
        this.counters.connects++;
        ws.send(this.authRequest());
        if (this.pingTimer) clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => {
          if (ws.readyState === WebSocket.OPEN)
            ws.send(JSON.stringify({ req_id: this.reqId('ping'), op: 'ping' }));
        }, this.options.pingIntervalMs ?? PING_MS);
        this.pingTimer.unref();
      });
      ws.on('message', (data) => this.onText(ws, data.toString()));
      ws.on('error', (error) => {
        if (!opened) {
          clearTimeout(readyTimer);
          this.ready = undefined;
          reject(new Error(`private stream connect failed: ${error.message.replace(/\?.*$/, '')}`));
        }
      });
      ws.on('close', () => {
        clearTimeout(readyTimer);
        // A socket that never opened was answered by the rejection above (the caller retries).
        if (this.ws !== ws || !opened) return;
        this.subscribed = false;
        this.counters.disconnects++;
        if (this.ready) {
          // Closed before it was ready (refused, or dropped mid-handshake): start() still resolves.
          this.ready();
        }
        if (!this.stopped && this.counters.refusals === 0) this.scheduleReconnect();
      });
    });
  }

  private authRequest(): string {
    const o = this.options;
    const expires = o.clock.nowMs() + EXPIRES_AFTER_MS;
    const signature = bybitWsAuthSignature(o.apiSecret, expires);
    o.redactor.addSignature(signature);
    return JSON.stringify({ req_id: this.reqId('auth'), op: 'auth', args: [o.apiKey, expires, signature] });
  }

  private scheduleReconnect(): void {
    this.log('private stream closed: reconnecting, then recovering orders by REST query');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopped) return;
      this.connect().then(
        () => {
          if (!this.subscribed) return;
          this.options.onReconnected().catch(() => {
            this.counters.recoveryFailures++;
          });
        },
        () => {
          if (!this.stopped) this.scheduleReconnect();
        },
      );
    }, this.options.reconnectDelayMs ?? 1000);
  }

  private onText(ws: WebSocket, text: string): void {
    this.counters.frames++;
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.counters.badFrames++;
      return;
    }
    if (!isObject(frame)) {
      this.counters.badFrames++;
      return;
    }
    if (typeof frame.topic === 'string') {
      this.options.onFrame(frame);
      return;
    }
    const op = frame.op;
    const reqId = typeof frame.req_id === 'string' ? frame.req_id : '';
    const pending = this.pendingOps.get(reqId);
    if (pending) {
      this.pendingOps.delete(reqId);
      pending();
      return;
    }
    if (op === 'pong' || frame.ret_msg === 'pong') {
      this.counters.pongs++;
      return;
    }
    if (op !== 'auth' && op !== 'subscribe') return;
    if (frame.success !== true) {
      this.counters.refusals++;
      this.lastRefusal = this.options.redactor.redact(
        typeof frame.ret_msg === 'string' ? frame.ret_msg.slice(0, 200) : '',
      );
      this.log(`private stream ${op} refused: ${this.lastRefusal}`);
      this.stopped = true;
      ws.close();
      return;
    }
    if (op === 'auth') {
      ws.send(JSON.stringify({ req_id: this.reqId('sub'), op: 'subscribe', args: this.options.topics }));
      return;
    }
    this.subscribed = true;
    this.ready?.();
  }

  private reqId(kind: string): string {
    return `${kind}-${++this.nextReqId}`;
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor.redact(line));
  }
}
