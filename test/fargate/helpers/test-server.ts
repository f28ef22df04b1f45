/** A loopback websocket + HTTP server on an ephemeral port, for connector tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface ServerConnection {
  readonly index: number;
  readonly ws: WebSocket;
  readonly path: string;
  /** Text messages received from the client, in order. */
  readonly received: string[];
}

export interface TestServerOptions {
  onConnection?(conn: ServerConnection): void;
  onMessage?(conn: ServerConnection, text: string): void;
  onHttp?(req: IncomingMessage, res: ServerResponse, body: string): void;
  /** Refuse websocket upgrades while this returns false (HTTP 503). */
  accept?(): boolean;
}

export interface TestServer {
  readonly port: number;
  readonly host: string;
  readonly httpUrl: string;
  wsUrl(path?: string): string;
  readonly connections: ServerConnection[];
  /** Connections still open. */
  open(): ServerConnection[];
  /** Resolves when `n` connections have been made in total. */
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const http = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      if (options.onHttp) options.onHttp(req, res, body);
      else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  const wss = new WebSocketServer({
    server: http,
    verifyClient: (_info, cb) => (options.accept?.() === false ? cb(false, 503, 'refused') : cb(true)),
  });
  const connections: ServerConnection[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  wss.on('connection', (ws, req) => {
    const conn: ServerConnection = { index: connections.length, ws, path: req.url ?? '/', received: [] };
    connections.push(conn);
    ws.on('message', (data) => {
      const text = data.toString();
      conn.received.push(text);
      options.onMessage?.(conn, text);
    });
    ws.on('error', () => {});
    options.onConnection?.(conn);
    for (const w of waiters.splice(0)) {
      if (connections.length >= w.n) w.resolve();
      else waiters.push(w);
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  return {
    port,
    host,
    httpUrl: `http://${host}`,
    wsUrl: (path = '/') => `ws://${host}${path}`,
    connections,
    open: () => connections.filter((c) => c.ws.readyState === c.ws.OPEN),
    waitForConnections(n, timeoutMs = 5000) {
      if (connections.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`only ${connections.length} of ${n} connections`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        });
      });
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Poll `cond` until true (or fail after timeoutMs). */
export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
