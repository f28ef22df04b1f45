import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startSimulators } from '../../../../local/exchanges/start-simulators.ts';

/** A raw request with a target `new URL` refuses: a JSON 400, and the simulator keeps serving. */
function rawGet(base: string, target: string): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: target, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('simulator request targets', () => {
  it('answers a target no URL parser accepts with a JSON 400 and keeps serving', async () => {
    const sims = await startSimulators({
      venues: ['binance'],
      source: 'synthetic',
      symbols: 1,
      autoStart: false,
    });
    try {
      const base = sims.urls.binance!.rest;
      for (const target of ['//', 'http://[', '//[::1']) {
        const r = await rawGet(base, target);
        expect(r.status, target).toBe(400);
        expect(JSON.parse(r.body)).toEqual({ error: 'bad request target' });
      }
      const ok = await rawGet(base, '/api/v3/ping');
      expect(ok.status).toBe(200);
    } finally {
      await sims.close();
    }
  });
});
