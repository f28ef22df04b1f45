/**
 * The task's HTTP surface: Prometheus `/metrics`, `/health` (per venue: fresh, has a book, has a
 * trusted book once the start-up grace period is over — LiveMarketState.health; 503 with the
 * reasons per venue when any venue is not ok), `/api/state` (JSON of LiveMarketState) and `/events` (the same as Server-Sent Events,
 * pushed every `pushIntervalMs`). Extra routes (the local dashboard page) can be added.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveMarketState } from './live-market-state.ts';
import { createMetrics } from './metrics.ts';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

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
  routes?: Record<string, Route>;
}

export interface OpsServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { state } = options;
  const registry = createMetrics(state);
  const maxAgeUs = (options.maxAgeMs ?? 10_000) * 1000;
  const graceUs = (options.startupGraceMs ?? 30_000) * 1000;
  const pushMs = options.pushIntervalMs ?? 500;
  const streams = new Set<ServerResponse>();

  const routes: Record<string, Route> = {
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
      res.end(JSON.stringify(health));
    },
    '/api/state': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ venues: state.snapshot() }));
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
    ...options.routes,
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = req.method === 'GET' ? routes[path] : undefined;
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    route(req, res);
  });

  const timer = setInterval(() => {
    if (streams.size === 0) return;
    const data = `data: ${JSON.stringify({ venues: state.snapshot() })}\n\n`;
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
    close: async () => {
      clearInterval(timer);
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
