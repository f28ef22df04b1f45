/**
 * Binance's private order/fill stream with recovery: connect (spot: the WS API and a signed
 * `userDataStream.subscribe.signature`; USD-M: a listenKey URL), hand every execution event to the
 * adapter, and after any reconnect ask the adapter to recover by REST query — events sent while
 * we were away are gone from the stream.
 */
import WebSocket from 'ws';
import { isObject, type JsonObject } from '../../../core/venues/wire-guards.ts';

export interface StreamSession {
  /** Where to connect (may carry a listenKey: never logged). */
  readonly url: string;
  /** Sent once the socket is open (spot's subscribe request). */
  readonly hello?: string;
}

export interface UserStreamOptions {
  /** Makes a session: signs the subscribe request, or asks for a listenKey. */
  readonly prepare: () => Promise<StreamSession>;
  /** The execution event inside one stream frame, undefined for frames that carry none. */
  readonly unwrap: (frame: JsonObject) => JsonObject | undefined;
  readonly onEvent: (event: JsonObject) => void;
  /** Why the venue refused the hello (spot subscribe), undefined for any other frame. */
  readonly refusal?: (frame: JsonObject) => string | undefined;
  /** Called after every reconnect (not the first connect). */
  readonly onReconnected: () => Promise<void>;
  readonly reconnectDelayMs?: number;
  readonly log?: (line: string) => void;
}

export interface UserStreamCounters {
  connects: number;
  disconnects: number;
  frames: number;
  badFrames: number;
  recoveryFailures: number;
  /** Subscribe requests the venue refused (bad key or signature: no updates will come). */
  refusals: number;
}

export class UserStream {
  readonly counters: UserStreamCounters = {
    connects: 0,
    disconnects: 0,
    frames: 0,
    badFrames: 0,
    recoveryFailures: 0,
    refusals: 0,
  };
  private ws: WebSocket | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: UserStreamOptions) {}

  /** Resolves once the first session is open (and its hello sent). */
  start(): Promise<void> {
    return this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.terminate();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  private async connect(): Promise<void> {
    const session = await this.options.prepare();
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(session.url, { perMessageDeflate: false });
      this.ws = ws;
      ws.once('open', () => {
        this.counters.connects++;
        if (session.hello) ws.send(session.hello);
        resolve();
      });
      ws.on('message', (data) => this.onFrame(data.toString()));
      ws.on('error', (error) => {
        if (ws.readyState !== WebSocket.OPEN)
          reject(new Error(`user stream connect failed: ${error.message.replace(/\?.*$/, '')}`));
      });
      ws.on('close', () => {
        if (this.ws !== ws) return;
        this.counters.disconnects++;
        if (!this.stopped) this.scheduleReconnect();
      });
    });
  }

  private scheduleReconnect(): void {
    this.options.log?.('user stream closed: reconnecting, then recovering orders by REST query');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.connect().then(
        () =>
          this.options.onReconnected().catch(() => {
            this.counters.recoveryFailures++;
          }),
        () => {
          if (!this.stopped) this.scheduleReconnect();
        },
      );
    }, this.options.reconnectDelayMs ?? 1000);
  }

  private onFrame(text: string): void {
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
    const refused = this.options.refusal?.(frame);
    if (refused !== undefined) {
      this.counters.refusals++;
      this.options.log?.(`user stream subscribe refused: ${refused}`);
      return;
    }
    const event = this.options.unwrap(frame);
    if (event) this.options.onEvent(event);
  }
}
