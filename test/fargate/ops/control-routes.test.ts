import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ControlResult, KillReport, TradingStatusJson } from '../../../core/trading/trading-control.ts';
import { controlRoutes, DEFAULT_KILL_REASON } from '../../../fargate/ops/control-routes.ts';
import { LiveMarketState } from '../../../fargate/ops/live-market-state.ts';
import { type OpsServer, startOpsServer } from '../../../fargate/ops/ops-server.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';

const TOKEN = 'admin-token-for-tests-0123456789abcdef';

describe('trading control routes on the ops server', () => {
  let server: OpsServer;
  let control: FakeTradingControl;
  const logs: string[] = [];
  const everyLog: string[] = [];

  beforeAll(async () => {
    server = await startOpsServer({ state: new LiveMarketState({ now: () => 0 }), port: 0 });
  });
  beforeEach(() => {
    control = new FakeTradingControl(TOKEN);
    logs.length = 0;
    server.mount(
      controlRoutes(control, {
        adminToken: TOKEN,
        log: (l) => {
          logs.push(l);
          everyLog.push(l);
        },
      }),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  const call = (
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) => fetch(`${server.url}${path}`, { method, ...init });
  const admin = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${TOKEN}`, ...extra });
  const json = { 'content-type': 'application/json' };

  it('binds to 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('GET /status answers the control’s status as JSON', async () => {
    const res = await call('GET', '/status');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as TradingStatusJson;
    expect(body).toMatchObject({ tradingState: 'ACTIVE', openOrders: 3 });
    expect(body.orders).toHaveLength(3);
  });

  it('POST /kill needs no token: HALTED, every open order cancelled, the KillReport back', async () => {
    const res = await call('POST', '/kill', { body: JSON.stringify({ reason: 'drill' }), headers: json });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const report = (await res.json()) as KillReport;
    expect(report).toMatchObject({ reason: 'drill', cancelled: 3, cancelLatencyMs: 3 });
    expect(control.kills).toEqual(['drill']);
    const status = (await (await call('GET', '/status')).json()) as TradingStatusJson;
    expect(status).toMatchObject({ tradingState: 'HALTED', openOrders: 0, lastKill: report });
    expect(logs.some((l) => l.includes('kill requested: drill'))).toBe(true);
  });

  it('POST /kill kills with the default reason when the body is empty, malformed or odd', async () => {
    await call('POST', '/kill');
    await call('POST', '/kill', { body: '{"reason":', headers: json });
    await call('POST', '/kill', { body: '{"reason":42}', headers: json });
    await call('POST', '/kill', {
      body: JSON.stringify({ reason: `a\nb\u0007c${'x'.repeat(500)}` }),
      headers: json,
    });
    expect(control.kills.slice(0, 3)).toEqual([
      DEFAULT_KILL_REASON,
      `${DEFAULT_KILL_REASON} (body ignored: not valid JSON)`,
      `${DEFAULT_KILL_REASON} (body ignored: reason is not a string)`,
    ]);
    // One line, bounded.
    expect(control.kills[3]).toMatch(/^a b cx+…$/);
    expect(control.kills[3]!.length).toBe(201);
  });

  it('POST /reset: 401 without a token or with a wrong one, nothing reaches the control', async () => {
    await call('POST', '/kill');
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Basic ${TOKEN}` },
      { authorization: TOKEN },
    ]) {
      const res = await call('POST', '/reset', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: expect.stringMatching(/admin token/) });
      expect(text).not.toContain(TOKEN);
    }
    expect(control.calls).not.toContain('reset');
    expect(control.state).toBe('HALTED');
    expect(logs.filter((l) => l.includes('reset refused'))).toHaveLength(5);
  });

  it('POST /reset with the token: ACTIVE after a kill, 409 from the control when not halted', async () => {
    let res = await call('POST', '/reset', { headers: admin() });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ ok: false, status: 409, problems: ['trading is not halted'] });
    await call('POST', '/kill');
    res = await call('POST', '/reset', { headers: admin() });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, detail: 'trading ACTIVE' });
    expect(control.state).toBe('ACTIVE');
  });

  it('GET /risk/params answers the limits in force', async () => {
    const res = await call('GET', '/risk/params');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(control.risk)));
  });

  it('PUT /risk/params: applied with the token and a valid body', async () => {
    const next = structuredClone(control.risk);
    next.orderRate = { perSecond: 3, perMinute: 60 };
    const res = await call('PUT', '/risk/params', { body: JSON.stringify(next), headers: admin(json) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(control.risk.orderRate).toEqual({ perSecond: 3, perMinute: 60 });
    const served = (await (await call('GET', '/risk/params')).json()) as { orderRate: unknown };
    expect(served.orderRate).toEqual({ perSecond: 3, perMinute: 60 });
  });

  it('PUT /risk/params: an invalid body gets 400 with every problem and changes nothing', async () => {
    const before = structuredClone(control.risk);
    const bad = {
      ...structuredClone(control.risk),
      orderRate: { perSecond: 0, perMinute: 60 },
      kellyFraction: 2,
    };
    const res = await call('PUT', '/risk/params', { body: JSON.stringify(bad), headers: admin(json) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ControlResult & { ok: false };
    expect(body.ok).toBe(false);
    expect(body.problems.length).toBeGreaterThanOrEqual(2);
    expect(body.problems.join('\n')).toMatch(/orderRate\.perSecond/);
    expect(body.problems.join('\n')).toMatch(/kellyFraction/);
    expect(control.risk).toEqual(before);
  });

  it('PUT /risk/params: 401 before the body is looked at', async () => {
    const before = structuredClone(control.risk);
    for (const headers of [json, { ...json, authorization: 'Bearer nope' }]) {
      const res = await call('PUT', '/risk/params', { body: '{not json', headers });
      expect(res.status).toBe(401);
    }
    expect(control.calls).not.toContain('setRiskParams');
    expect(control.risk).toEqual(before);
  });

  it('PUT bodies: malformed JSON → 400 with a clear message, no body → 400, not JSON → 415', async () => {
    let res = await call('PUT', '/risk/params', { body: '{"limits": ', headers: admin(json) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^the body is not valid JSON: /);
    res = await call('PUT', '/risk/params', { headers: admin(json) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'a JSON body is required' });
    res = await call('PUT', '/risk/params', {
      body: 'a=1',
      headers: admin({ 'content-type': 'text/plain' }),
    });
    expect(res.status).toBe(415);
    expect(control.calls).not.toContain('setRiskParams');
  });

  it('PUT /strategy/params: applied with the token, 400 with the problems otherwise; GET shows them', async () => {
    let res = await call('PUT', '/strategy/params', { body: '{"spreadBps":8}', headers: admin(json) });
    expect(res.status).toBe(200);
    res = await call('PUT', '/strategy/params', { body: '{"spreadBps":-1,"x":1}', headers: admin(json) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { problems: string[] }).problems).toEqual([
      'x: unknown parameter',
      'spreadBps: expected a number above 0',
    ]);
    res = await call('PUT', '/strategy/params', { body: '{"spreadBps":9}', headers: json });
    expect(res.status).toBe(401);
    expect(await (await call('GET', '/strategy/params')).json()).toEqual({
      name: 'fake-maker',
      params: { spreadBps: 8, size: '0.001' },
    });
  });

  it('a body over 64 KiB gets 413 and reaches no control', async () => {
    const big = JSON.stringify({ reason: 'x'.repeat(70 * 1024) });
    let res = await call('POST', '/kill', { body: big, headers: json });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ error: 'request body is larger than 65536 bytes' });
    res = await call('PUT', '/risk/params', { body: big, headers: admin(json) });
    expect(res.status).toBe(413);
    expect(control.calls).toEqual([]);
  });

  it('a body sent in chunks with no length announced is bounded too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 6; i++) c.enqueue(chunk);
        c.close();
      },
    });
    const res = await fetch(`${server.url}/risk/params`, {
      method: 'PUT',
      body,
      headers: admin(json),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(control.calls).toEqual([]);
  });

  it('a known path with another method gets 405 with Allow; an unknown path 404', async () => {
    for (const [method, path, allow] of [
      ['GET', '/kill', 'POST'],
      ['DELETE', '/status', 'GET'],
      ['GET', '/reset', 'POST'],
      ['POST', '/risk/params', 'GET, PUT'],
      ['POST', '/metrics', 'GET'],
    ] as const) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(((await res.json()) as { error: string }).error).toContain(
        `${method} is not allowed on ${path}`,
      );
    }
    expect((await call('GET', '/nowhere')).status).toBe(404);
    expect(control.calls).toEqual([]);
  });

  it('a kill that fails answers 500 without its message, and the server keeps serving', async () => {
    const failing = new FakeTradingControl(TOKEN);
    failing.kill = () => Promise.reject(new Error('venue down'));
    const lines: string[] = [];
    const other = await startOpsServer({
      state: new LiveMarketState({ now: () => 0 }),
      port: 0,
      routes: controlRoutes(failing, { adminToken: TOKEN }),
      log: (l) => lines.push(l),
    });
    try {
      const res = await fetch(`${other.url}/kill`, { method: 'POST' });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'internal error' });
      expect(lines).toEqual([expect.stringMatching(/^ops: POST \/kill failed: venue down/)]);
      expect((await fetch(`${other.url}/status`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('says whether trading is mounted in /api/state', async () => {
    const plain = await startOpsServer({ state: new LiveMarketState({ now: () => 0 }), port: 0 });
    try {
      expect(await (await fetch(`${plain.url}/api/state`)).json()).toEqual({ venues: [], trading: false });
      expect((await fetch(`${plain.url}/status`)).status).toBe(404);
    } finally {
      await plain.close();
    }
    expect(await (await call('GET', '/api/state')).json()).toEqual({ venues: [], trading: true });
  });

  it('refuses to mount with an empty admin token', () => {
    expect(() => controlRoutes(control, { adminToken: '' })).toThrow(/non-empty admin token/);
  });

  it('logged every refusal and action without the token', () => {
    expect(everyLog.length).toBeGreaterThan(10);
    expect(everyLog.some((l) => l.includes('wrong admin token'))).toBe(true);
    for (const line of everyLog) expect(line).not.toContain(TOKEN);
  });
});
