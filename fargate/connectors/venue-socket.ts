/**
 * One websocket connection to a venue: open it, become ready (on open, or on the venue's welcome
 * frame), pace what we send, answer server pings, send application pings, and notice a silent
 * connection (no frame of any kind — data, heartbeat, pong, ping — for idleTimeoutMs).
 *
 * Hot path: the 'message' handler reads the clock once, turns the frame into a string and calls
 * onFrame. No parsing, no allocation beyond the string, no logging.
 *
 * It ends exactly once: onClosed is called for every end we did not ask for (error, server close,
 * idle timeout), never after close().
 */
import WebSocket from 'ws';
import type { Micros } from '../../core/market/events.ts';
import type { CancelTimer, Clock } from './clock.ts';
import type { ConnectTarget } from './protocols/venue-protocol.ts';

export interface VenueSocketHandlers {
  /** Ready for subscriptions. */
  onReady(): void;
  onFrame(raw: string, localTs: Micros): void;
  /** The connection ended without close() being called. */
  onClosed(reason: string, wasReady: boolean): void;
  /** A message was written to the socket. */
  onSent?(raw: string, localTs: Micros): void;
}

export interface VenueSocketOptions {
  target: ConnectTarget;
  clock: Clock;
  handlers: VenueSocketHandlers;
  idleTimeoutMs: number;
  sendIntervalMs: number;
  pingIntervalMs: number | undefined;
  ping: ((n: number) => string) | undefined;
  /** Frames before this one returns true are passed on but do not make the socket ready. */
  isWelcome: ((raw: string) => boolean) | undefined;
  handshakeTimeoutMs?: number;
  /** Counters to add this connection's pongs and pings to (the shard's). */
  counters?: { pongsSent: number; pingsSent: number };
}

export class VenueSocket {
  ready = false;
  framesReceived = 0;
  pongsSent = 0;
  pingsSent = 0;
  readonly openedAtMs: number;
  private readonly ws: WebSocket;
  private readonly o: VenueSocketOptions;
  private ended = false;
  private lastRx: Micros;
  private lastSendMs = Number.NEGATIVE_INFINITY;
  private readonly outbox: string[] = [];
  private sendTimer: CancelTimer | undefined;
  private idleTimer: CancelTimer | undefined;
  private pingTimer: CancelTimer | undefined;
  private lastError = '';

  constructor(options: VenueSocketOptions) {
    this.o = options;
    this.openedAtMs = options.clock.nowMs();
    this.lastRx = options.clock.nowMicros();
    // autoPong off: we answer pings ourselves, so they are counted (and a test can see them).
    this.ws = new WebSocket(options.target.url, {
      perMessageDeflate: false,
      autoPong: false,
      handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
    });
    this.ws.on('open', this.onOpen);
    this.ws.on('message', this.onMessage);
    this.ws.on('ping', this.onPing);
    this.ws.on('pong', this.onPong);
    this.ws.on('error', this.onError);
    this.ws.on('close', this.onClose);
    this.armIdle();
  }

  get displayUrl(): string {
    return this.o.target.displayUrl;
  }

  /** Queue a message; messages leave at most one per sendIntervalMs, in order. */
  send(text: string): void {
    if (this.ended) return;
    this.outbox.push(text);
    this.flush();
  }

  /** Close on purpose (no onClosed). */
  close(reason = 'closed by client'): void {
    if (this.ended) return;
    this.end();
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, reason.slice(0, 120));
    else this.ws.terminate();
  }

  private readonly onOpen = (): void => {
    if (this.ended) return;
    this.lastRx = this.o.clock.nowMicros();
    if (!this.o.isWelcome) this.becomeReady();
  };

  private readonly onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    const ts = this.o.clock.nowMicros();
    if (this.ended) return;
    this.lastRx = ts;
    this.framesReceived++;
    const raw =
      !isBinary && Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data as ArrayBuffer).toString('utf8');
    if (!this.ready && this.o.isWelcome?.(raw)) {
      this.o.handlers.onFrame(raw, ts);
      if (!this.ended) this.becomeReady(); // the handler may have closed us (the feed threw on it)
      return;
    }
    this.o.handlers.onFrame(raw, ts);
  };

  private readonly onPing = (data: Buffer): void => {
    this.lastRx = this.o.clock.nowMicros();
    if (this.ended) return;
    // Binance: "send a pong with a copy of ping's payload as soon as possible".
    this.ws.pong(data);
    this.pongsSent++;
    if (this.o.counters) this.o.counters.pongsSent++;
  };

  private readonly onPong = (): void => {
    this.lastRx = this.o.clock.nowMicros();
  };

  private readonly onError = (error: Error): void => {
    this.lastError = error.message;
  };

  private readonly onClose = (code: number, reason: Buffer): void => {
    if (this.ended) return;
    const wasReady = this.ready;
    this.end();
    const why = reason.length > 0 ? reason.toString('utf8') : this.lastError;
    this.o.handlers.onClosed(`closed (${code}${why ? `: ${why}` : ''})`, wasReady);
  };

  private becomeReady(): void {
    this.ready = true;
    this.schedulePing();
    this.o.handlers.onReady();
  }

  private flush(): void {
    if (this.sendTimer || this.ended || this.ws.readyState !== WebSocket.OPEN) return;
    const now = this.o.clock.nowMs();
    const wait = this.lastSendMs + this.o.sendIntervalMs - now;
    if (wait > 0) {
      this.sendTimer = this.o.clock.setTimer(wait, () => {
        this.sendTimer = undefined;
        this.flush();
      });
      return;
    }
    const text = this.outbox.shift();
    if (text === undefined) return;
    this.lastSendMs = now;
    this.ws.send(text);
    this.o.handlers.onSent?.(text, this.o.clock.nowMicros());
    if (this.outbox.length > 0) this.flush();
  }

  private schedulePing(): void {
    const interval = this.o.target.pingIntervalMs ?? this.o.pingIntervalMs;
    const ping = this.o.ping;
    if (!interval || !ping) return;
    this.pingTimer = this.o.clock.setTimer(interval, () => {
      this.pingTimer = undefined;
      if (this.ended) return;
      this.pingsSent++;
      if (this.o.counters) this.o.counters.pingsSent++;
      this.send(ping(this.pingsSent));
      this.schedulePing();
    });
  }

  private armIdle(): void {
    const idle = this.o.target.idleTimeoutMs ?? this.o.idleTimeoutMs;
    // Check a few times per period: a dead link is noticed within idle·1.25.
    const every = Math.max(1, Math.floor(idle / 4));
    this.idleTimer = this.o.clock.setTimer(every, () => {
      this.idleTimer = undefined;
      if (this.ended) return;
      const silentMs = (this.o.clock.nowMicros() - this.lastRx) / 1000;
      if (silentMs > idle) {
        const wasReady = this.ready;
        this.end();
        this.ws.terminate();
        this.o.handlers.onClosed(`no frame for ${Math.round(silentMs)} ms`, wasReady);
        return;
      }
      this.armIdle();
    });
  }

  private end(): void {
    this.ended = true;
    this.sendTimer?.();
    this.idleTimer?.();
    this.pingTimer?.();
    this.sendTimer = undefined;
    this.idleTimer = undefined;
    this.pingTimer = undefined;
    this.outbox.length = 0;
  }
}
