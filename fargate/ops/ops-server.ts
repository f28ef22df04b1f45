/**
 * The task's HTTP surface: Prometheus `/metrics`, `/health` (per venue: fresh, has a book, has a
 * trusted book once the start-up grace period is over — LiveMarketState.health; 503 with the
 * reasons per venue when any venue is not ok), `/api/state` (JSON of LiveMarketState) and `/events` (the same as Server-Sent Events,
 * pushed every `pushIntervalMs`). Extra routes (the local dashboard page, the trading control
 * routes of control-routes.ts) are added by path and method, at start or later with `mount`.
 *
 * Bound to 127.0.0.1 unless `host` says otherwise: the control routes change what trading does.
 * A request body is read whole before its route runs, at most `maxBodyBytes` (64 KiB): anything
 * larger is answered 413 and never buffered. A known path asked with another method gets 405 with
 * `Allow`; an unknown path 404, an unknown `Expect` 417, a request target that is no URL or a
 * request Node's HTTP parser refuses 400 — every refusal a JSON `{error}`. `/api/state` and `/events` carry `trading: true` once a `GET /status` route is mounted,
 * so the dashboard asks for /status only when it will be answered; likewise `signals: true` once a
 * `GET /signals` route is (the key is absent otherwise).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { LiveMarketState } from './live-market-state.ts';
import { createMetrics, registerTradingMetrics, type TradingMetricsSource } from './metrics.ts';

/** `body`: the request body read whole (empty for GET and for requests without one). */
export type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A path's handlers by method; a bare Route answers GET. */
export type PathRoutes = Route | Partial<Record<HttpMethod, Route>>;

export type Routes = Record<string, PathRoutes>;

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The port is taken: the caller stops before starting anything else. */
export class PortInUseError extends Error {
  readonly port: number;
  readonly host: string;

  constructor(port: number, host: string) {
    super(`port ${port} is in use (another process is listening on ${host}:${port})`);
    this.name = 'PortInUseError';
    this.port = port;
    this.host = host;
  }
}

export interface OpsServerOptions {
  state: LiveMarketState;
  port?: number;
  host?: string;
  /** A venue is healthy when it received something within this many ms. */
  maxAgeMs?: number;
  /** How long after a venue appears a book may stay untrusted without failing /health (default 30 s). */
  startupGraceMs?: number;
  pushIntervalMs?: number;
  routes?: Routes;
  /** Largest request body accepted (bytes); larger gets 413. */
  maxBodyBytes?: number;
  /** Where a failing route's error goes (default: nowhere). */
  log?: (line: string) => void;
  /** The trading kernel's figures for /metrics (none rendered without it). */
  trading?: TradingMetricsSource;
}

export interface OpsServer {
  readonly url: string;
  readonly server: Server;
  readonly registry: Registry;
  /** Adds routes (or replaces a path's handlers) while serving. */
  mount(routes: Routes): void;
  /** Adds the trading metrics to /metrics (once). */
  attachTrading(source: TradingMetricsSource): void;
  /** A top-level key of the /health body beside the venues' health (e.g. `simulators`, `execution`). */
  setHealthInfo(key: string, value: unknown): void;
  close(): Promise<void>;
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { state } = options;
  const registry = createMetrics(state);
  let tradingAttached = false;
  const attachTrading = (source: TradingMetricsSource) => {
    if (tradingAttached) throw new Error('trading metrics are already attached');
    registerTradingMetrics(registry, source);
    tradingAttached = true;
  };
  if (options.trading) attachTrading(options.trading);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? (() => {});
  const maxAgeUs = (options.maxAgeMs ?? 10_000) * 1000;
  const graceUs = (options.startupGraceMs ?? 30_000) * 1000;
  const pushMs = options.pushIntervalMs ?? 500;
  const streams = new Set<ServerResponse>();

  const routes = new Map<string, Partial<Record<HttpMethod, Route>>>();
  const mount = (added: Routes) => {
    for (const [path, handlers] of Object.entries(added))
      routes.set(path, typeof handlers === 'function' ? { GET: handlers } : { ...handlers });
  };
  const healthInfo: Record<string, unknown> = {};
  const tradingMounted = () => routes.get('/status')?.GET !== undefined;
  const signalsMounted = () => routes.get('/signals')?.GET !== undefined;
  const statePayload = () =>
    JSON.stringify({
      venues: state.snapshot(),
      trading: tradingMounted(),
      ...(signalsMounted() ? { signals: true } : {}),
    });

  mount({
    '/metrics': (_req, res) => {
      registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        })
        .catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        });
    },
    '/health': (_req, res) => {
      const health = state.health(maxAgeUs, graceUs);
      res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...health, ...healthInfo }));
    },
    '/api/state': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(statePayload());
    },
    '/events': (req, res) => {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write('retry: 1000\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
    },
  });
  if (options.routes) mount(options.routes);

  const server = createServer((req, res) => {
    const path = requestPath(req.url);
    if (path === undefined) {
      sendJson(res, 400, { error: 'malformed request target' });
      req.resume();
      return;
    }
    const handlers = routes.get(path);
    if (!handlers) {
      sendJson(res, 404, { error: 'not found' });
      req.resume();
      return;
    }
    const method = req.method ?? '';
    // Own keys only: a method named like an Object.prototype member must not find a function.
    const route = Object.hasOwn(handlers, method) ? handlers[method as HttpMethod] : undefined;
    if (!route) {
      const allow = Object.keys(handlers).join(', ');
      sendJson(
        res,
        405,
        { error: `${describeMethod(req.method)} is not allowed on ${path} (allowed: ${allow})` },
        {
          allow,
        },
      );
      req.resume();
      return;
    }
    const failed = (error: unknown) => {
      log(`ops: ${req.method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
      failRoute(res);
    };
    const run = (body: Buffer) => {
      try {
        const done = route(req, res, body);
        if (done instanceof Promise) done.catch(failed);
      } catch (error) {
        failed(error);
      }
    };
    if (method === 'GET') run(EMPTY_BODY);
    else readBody(req, res, maxBodyBytes, run);
  });

  // A request Node's parser refuses (bad request line, header or framing) never reaches a route:
  // it is answered the same JSON way, then the socket is closed.
  server.on('clientError', (_error, socket) => {
    if (socket.writable && !socket.writableEnded) socket.end(BAD_REQUEST);
    else socket.destroy();
  });

  // An `Expect` other than 100-continue is refused before any route, as JSON like every refusal.
  server.on('checkExpectation', (req, res) => {
    sendJson(res, 417, { error: 'only "expect: 100-continue" is supported' });
    req.resume();
  });

  const timer = setInterval(() => {
    if (streams.size === 0) return;
    const data = `data: ${statePayload()}\n\n`;
    for (const res of streams) res.write(data);
  }, pushMs);
  timer.unref();

  const host = options.host ?? '127.0.0.1';
  const wanted = options.port ?? 3000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, host, () => resolve());
    });
  } catch (error) {
    clearInterval(timer);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(wanted, host);
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    registry,
    mount,
    attachTrading,
    setHealthInfo: (key, value) => {
      healthInfo[key] = value;
    },
    close: async () => {
      clearInterval(timer);
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const EMPTY_BODY = Buffer.alloc(0);

const BAD_REQUEST_BODY = JSON.stringify({ error: 'malformed HTTP request' });
const BAD_REQUEST =
  'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncache-control: no-store\r\n' +
  `content-length: ${Buffer.byteLength(BAD_REQUEST_BODY)}\r\nconnection: close\r\n\r\n${BAD_REQUEST_BODY}`;

/** JSON response with `content-type: application/json` (the control routes answer this way too). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Reads the body up to `max` bytes, then hands it to `done`. Past the bound it answers 413 at once
 * and keeps discarding what is still sent (the client reads the answer instead of a reset
 * connection); `connection: close` ends the socket after that.
 */
function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  max: number,
  done: (body: Buffer) => void,
): void {
  const tooLarge = () =>
    sendJson(res, 413, { error: `request body is larger than ${max} bytes` }, { connection: 'close' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    tooLarge();
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > max) {
      refused = true;
      chunks.length = 0;
      tooLarge();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!refused) done(Buffer.concat(chunks, size));
  });
  req.on('error', () => {
    refused = true;
  });
}

/** The error's text goes to the log, not into the answer (it may quote the request). */
function failRoute(res: ServerResponse): void {
  if (res.headersSent) res.end();
  else sendJson(res, 500, { error: 'internal error' });
}

/** The path of a request target; undefined when it is no URL (`//`, `http://[`: `new URL` throws). */
function requestPath(target: string | undefined): string | undefined {
  const base = 'http://localhost';
  return URL.canParse(target ?? '/', base) ? new URL(target ?? '/', base).pathname : undefined;
}

/** The method as echoed in a 405: a known token or a bounded, printable rendering. */
function describeMethod(method: string | undefined): string {
  if (method === undefined) return 'no method';
  return /^[A-Z]{1,16}$/.test(method) ? method : 'this method';
}
