/**
 * The kill-switch URL offline: a loopback HTTP server that turns each request into the HTTP API's
 * Lambda event (api-gateway-event.ts, payload 2.0 with an IAM caller) and invokes the REAL control
 * function (lambdas/control/control-handler.ts) over the emulated control table and the in-process
 * queue. What API Gateway adds in the cloud and this does not: SigV4 verification (every local
 * caller is the local operator) and its 30 s integration timeout.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ControlTable } from '../../fargate/control/control-table.ts';
import type { ControlEvent, ControlResponse } from '../../lambdas/control/control-api.ts';
import { createControlHandler, DEFAULT_CONFIRM_WAIT_MS } from '../../lambdas/control/control-handler.ts';
import { apiGatewayEvent } from './api-gateway-event.ts';
import { lambdaContext } from './lambda-context.ts';
import type { MemoryControlQueue } from './memory-control-queue.ts';

export interface ControlServerOptions {
  readonly table: ControlTable;
  readonly queue: MemoryControlQueue;
  readonly adminToken: string;
  readonly port?: number;
  readonly host?: string;
  readonly confirmWaitMs?: number;
  readonly log?: (line: string) => void;
}

export interface ControlServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

type Invoke = (event: ControlEvent, context: ReturnType<typeof lambdaContext>) => Promise<ControlResponse>;

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const log = options.log ?? (() => {});
  const handler = createControlHandler(() => ({
    table: options.table,
    notify: async (notice) => options.queue.send(JSON.stringify(notice)),
    adminToken: async () => options.adminToken,
    confirmWaitMs: options.confirmWaitMs ?? DEFAULT_CONFIRM_WAIT_MS,
    confirmPollMs: 25,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    log: (message, fields) => log(`control function: ${message} ${JSON.stringify(fields)}`),
  })) as unknown as Invoke;
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const event = apiGatewayEvent({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body });
        const out = await handler(event, lambdaContext('control'));
        res.writeHead(out.statusCode ?? 200, out.headers as Record<string, string>);
        res.end(out.body ?? '');
      } catch (error) {
        // API Gateway's own answer to a function error.
        log(`control function failed: ${error instanceof Error ? error.message : String(error)}`);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Internal Server Error' }));
      }
    })();
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
