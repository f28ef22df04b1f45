import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkHealth, healthUrl } from '../../../fargate/task/health-check.ts';

const servers: Server[] = [];

/** A loopback server answering /health with `status` and `body`; or never answering. */
async function serve(status: number, body: string | undefined): Promise<string> {
  const server = createServer((_req, res) => {
    if (body === undefined) return; // hang
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const venue = (exchange: string, ok: boolean, problems: string[] = []) => ({
  exchange,
  ok,
  problems,
  fresh: ok,
  ageMs: 5,
  connection: 'connected',
  trustedBooks: 1,
  books: 1,
  untrustedBooks: [],
  missingBooks: [],
});

describe('the container health check', () => {
  it('is healthy when /health answers 200 with ok: true', async () => {
    const url = await serve(
      200,
      JSON.stringify({ ok: true, venues: [venue('binance', true), venue('kraken', true)] }),
    );
    expect(await checkHealth(url)).toEqual({ healthy: true, detail: 'healthy (2 venues)' });
  });

  it('is unhealthy on a stale feed, naming the venue and why', async () => {
    const url = await serve(
      503,
      JSON.stringify({
        ok: false,
        venues: [venue('binance', true), venue('kraken', false, ['silent for 12000 ms (limit 10000 ms)'])],
      }),
    );
    expect(await checkHealth(url)).toEqual({
      healthy: false,
      detail: 'HTTP 503: kraken: silent for 12000 ms (limit 10000 ms)',
    });
  });

  it('never trusts a 200 whose report says not ok, nor a body that is not a report', async () => {
    const notOk = await serve(
      200,
      JSON.stringify({ ok: false, venues: [venue('bybit', false, ['no message received yet'])] }),
    );
    expect(await checkHealth(notOk)).toMatchObject({
      healthy: false,
      detail: 'HTTP 200: bybit: no message received yet',
    });
    const html = await serve(200, '<html>ok</html>');
    expect(await checkHealth(html)).toEqual({ healthy: false, detail: 'HTTP 200, body is not JSON' });
    const other = await serve(200, JSON.stringify({ ok: true }));
    expect(await checkHealth(other)).toEqual({
      healthy: false,
      detail: 'HTTP 200, body is not a health report',
    });
  });

  it('bounds the detail it prints', async () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      venue(`venue${i}`, false, ['no trusted book (3 waiting for a snapshot or resyncing)']),
    );
    const url = await serve(503, JSON.stringify({ ok: false, venues: many }));
    const verdict = await checkHealth(url);
    expect(verdict.healthy).toBe(false);
    expect(verdict.detail.length).toBeLessThanOrEqual(400);
    expect(verdict.detail.endsWith('…')).toBe(true);
  });

  it('is unhealthy when the ops server does not answer in time or is not there', async () => {
    const hanging = await serve(200, undefined);
    expect(await checkHealth(hanging, 50)).toEqual({ healthy: false, detail: 'no answer within 50 ms' });
    const closed = await serve(200, '{}');
    servers[servers.length - 1]!.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await checkHealth(closed)).toEqual({ healthy: false, detail: 'ops server unreachable' });
  });

  it('asks the ops server port from PORT, 3000 otherwise', () => {
    expect(healthUrl(undefined)).toBe('http://127.0.0.1:3000/health');
    expect(healthUrl('8080')).toBe('http://127.0.0.1:8080/health');
    expect(healthUrl('not a port')).toBe('http://127.0.0.1:3000/health');
    expect(healthUrl('70000')).toBe('http://127.0.0.1:3000/health');
  });
});
