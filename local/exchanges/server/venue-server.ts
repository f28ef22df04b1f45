/**
 * What every simulated venue shares: one node:http server on 127.0.0.1 (REST) that also accepts the
 * venue's websocket upgrades (`ws`), connection bookkeeping, the send pipeline with fault injection,
 * stalls, slow-consumer cut-off, timers that die with the server.
 *
 * A venue subclass parses the client's real subscribe messages, keeps per-connection state `S`, and
 * encodes wire frames from the truth changes it hears as the market's listener.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Micros } from '../../../core/market/events.ts';
import type { ExchangeId } from '../../../core/market/exchange.ts';
import type { Clock } from '../clock.ts';
import type { BookDelta } from '../truth/book-delta.ts';
import type { TruthBook, TruthTrade } from '../truth/truth-book.ts';
import type { MarketListener, VenueMarket } from '../truth/venue-market.ts';
import { type FaultHost, FaultInjector, Frame } from './faults.ts';
import { readBody, sendJson } from './http-util.ts';
import { SimConnection } from './sim-connection.ts';

/** Where a client connects. `ws` is the venue's websocket base (append paths as for the real venue). */
export interface VenueUrls {
  readonly ws: string;
  readonly rest: string;
}

export interface VenueServerOptions {
  readonly clock: Clock;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (an ephemeral port). */
  readonly port?: number;
  /** A client whose unsent backlog passes this is cut, as real venues cut slow consumers. Default 64 MiB. */
  readonly maxBufferedBytes?: number;
  /** A frame held by a reorder fault is released after this long if no later frame comes. Default 1000 ms. */
  readonly reorderHoldMs?: number;
}

export abstract class VenueServer<S> implements MarketListener, FaultHost {
  readonly exchange: ExchangeId;
  readonly market: VenueMarket;
  protected readonly clock: Clock;
  protected readonly conns = new Set<SimConnection<S>>();
  /** Faults for this venue (venues without checksums expose it as VenueFaults). */
  readonly injector: FaultInjector;
  /** Clients cut for not reading fast enough. */
  slowConsumersDropped = 0;
  /** Client frames that made a handler throw (answered with a close, never a crash). */
  handlerErrors = 0;
  private readonly host: string;
  private readonly port: number;
  private readonly maxBuffered: number;
  private readonly reorderHoldMs: number;
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private nextId = 1;
  private stalledUntil = 0;
  private stallTimer: NodeJS.Timeout | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private urls_: VenueUrls | undefined;
  private closed = false;

  constructor(exchange: ExchangeId, market: VenueMarket, options: VenueServerOptions) {
    this.exchange = exchange;
    this.market = market;
    this.clock = options.clock;
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.maxBuffered = options.maxBufferedBytes ?? 64 * 1024 * 1024;
    this.reorderHoldMs = options.reorderHoldMs ?? 1000;
    this.injector = new FaultInjector(this);
    market.listen(this);
  }

  /** URLs once listening. */
  get urls(): VenueUrls {
    if (!this.urls_) throw new Error(`${this.exchange} simulator is not listening`);
    return this.urls_;
  }

  /** Open websocket connections. */
  connections(): SimConnection<S>[] {
    return [...this.conns];
  }

  async listen(): Promise<VenueUrls> {
    const http = createServer((req, res) => this.handleHttp(req, res));
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = requestUrl(req.url);
      const state = this.closed || url === undefined ? undefined : this.accept(url);
      if (state === undefined) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.onWebSocket(ws, state, url!));
    });
    this.http = http;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.port, this.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    const { port } = http.address() as AddressInfo;
    this.urls_ = this.makeUrls(`ws://${this.host}:${port}`, `http://${this.host}:${port}`);
    this.started();
    return this.urls_;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    if (this.stallTimer) clearTimeout(this.stallTimer);
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    this.wss?.close();
    const http = this.http;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }

  // ------------------------------------------------------------------ what a venue provides

  /** The venue's URLs from the bound bases. */
  protected abstract makeUrls(wsBase: string, httpBase: string): VenueUrls;
  /** Accept an upgrade to `url` (path, query): the new connection's state, or undefined to refuse. */
  protected abstract accept(url: URL): S | undefined;
  protected abstract onOpen(conn: SimConnection<S>, url: URL): void;
  protected abstract onText(conn: SimConnection<S>, text: string): void;
  protected abstract onClose(conn: SimConnection<S>): void;
  /** A REST request; `body` is read for POST, PUT and DELETE. Default: 404. */
  protected onRest(
    _method: string,
    _url: URL,
    _body: string,
    res: ServerResponse,
    _headers?: IncomingMessage['headers'],
  ): void {
    sendJson(res, 404, '{"error":"not found"}');
  }
  /** Listening: start heartbeats and pings here. */
  protected started(): void {}
  abstract onBook(truth: TruthBook, delta: BookDelta, ts: Micros): void;
  abstract onTrade(truth: TruthBook, trade: TruthTrade): void;

  // ------------------------------------------------------------------ sending

  /** A data frame, through the fault pipeline. `symbol` is the venue symbol it belongs to. */
  protected deliver(conn: SimConnection<S>, text: string, frame: Frame, symbol: string): void {
    if (conn.held !== undefined && conn.heldSymbol === symbol && frame !== Frame.Control) {
      // Reorder fault: this frame overtakes the held one.
      const held = conn.held;
      conn.held = undefined;
      this.write(conn, text);
      this.write(conn, held);
      return;
    }
    const injector = this.injector;
    if (injector.hasMessageFaults) {
      const fault = injector.takeMessageFault(frame, symbol);
      if (fault === 'drop_message') return;
      if (fault === 'duplicate_message') {
        this.write(conn, text);
        this.write(conn, text);
        return;
      }
      if (fault === 'reorder_messages') {
        conn.held = text;
        conn.heldSymbol = symbol;
        this.after(this.reorderHoldMs, () => {
          if (conn.held === text) {
            conn.held = undefined;
            this.write(conn, text);
          }
        });
        return;
      }
    }
    this.write(conn, text);
  }

  /** A reply or heartbeat: not a target of message faults, but delayed by stalls like everything. */
  protected reply(conn: SimConnection<S>, text: string): void {
    this.write(conn, text);
  }

  private write(conn: SimConnection<S>, text: string): void {
    if (!conn.open) return;
    if (this.stalledUntil > 0) {
      conn.stalled.push(text);
      return;
    }
    conn.ws.send(text);
    conn.framesSent++;
    conn.lastSentAt = this.clock();
    if (conn.ws.bufferedAmount > this.maxBuffered) {
      this.slowConsumersDropped++;
      conn.ws.terminate();
    }
  }

  // ------------------------------------------------------------------ FaultHost

  dropAllConnections(): number {
    const n = this.conns.size;
    for (const c of this.conns) {
      c.held = undefined;
      c.stalled = [];
      c.ws.terminate();
    }
    return n;
  }

  stallFor(ms: number): void {
    const until = this.clock() + ms * 1000;
    if (until <= this.stalledUntil) return;
    this.stalledUntil = until;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined;
      this.stalledUntil = 0;
      for (const c of this.conns) {
        const backlog = c.stalled;
        c.stalled = [];
        for (const text of backlog) this.write(c, text);
      }
    }, ms);
  }

  /** Is the venue stalled right now? */
  get stalled(): boolean {
    return this.stalledUntil > 0;
  }

  // ------------------------------------------------------------------ timers

  /** A repeating timer that dies with the server. */
  protected every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.add(t);
  }

  /** A one-shot timer that dies with the server. */
  protected after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  /** Websocket ping frames every `intervalMs`; a client that has not answered for `timeoutMs` is cut. */
  protected pingEvery(intervalMs: number, timeoutMs: number): void {
    this.every(intervalMs, () => {
      const now = this.clock();
      for (const c of this.conns) {
        if (c.pingOutstandingSince > 0 && now - c.pingOutstandingSince > timeoutMs * 1000) {
          c.ws.terminate();
          continue;
        }
        if (c.pingOutstandingSince === 0) c.pingOutstandingSince = now;
        if (c.open && !this.stalled) c.ws.ping();
      }
    });
  }

  // ------------------------------------------------------------------ plumbing

  private onWebSocket(ws: WebSocket, state: S, url: URL): void {
    const conn = new SimConnection(this.nextId++, ws, state);
    this.conns.add(conn);
    ws.on('message', (data, isBinary) => {
      conn.framesReceived++;
      if (isBinary) return;
      try {
        this.onText(conn, data.toString());
      } catch {
        this.handlerErrors++;
        ws.close(1011, 'simulator error');
      }
    });
    ws.on('pong', () => {
      conn.pingOutstandingSince = 0;
    });
    ws.on('error', () => {}); // 'close' follows
    ws.on('close', () => {
      if (this.conns.delete(conn)) this.onClose(conn);
    });
    this.onOpen(conn, url);
  }

  private handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = requestUrl(req.url);
    if (url === undefined) {
      sendJson(res, 400, '{"error":"bad request target"}');
      return;
    }
    const method = req.method ?? 'GET';
    const run = async (): Promise<void> => {
      const body = method === 'POST' || method === 'PUT' || method === 'DELETE' ? await readBody(req) : '';
      this.onRest(method, url, body, res, req.headers);
    };
    run().catch(() => {
      if (!res.headersSent) sendJson(res, 500, '{"error":"simulator error"}');
      else res.end();
    });
  }
}

/** A request target as a URL; undefined for one `new URL` refuses (`//`, `http://[`), which would throw. */
function requestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}
