import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRiskParams } from '../../../config/risk.ts';
import type { ControlNotice } from '../../../core/control/control-item.ts';
import { ManualClock } from '../../../core/time/manual-clock.ts';
import { ControlPoller } from '../../../fargate/control/control-poller.ts';
import type { ControlTable } from '../../../fargate/control/control-table.ts';
import { PositionReportWriter } from '../../../fargate/control/position-report-writer.ts';
import { type ControlApiDeps, handleControlRequest } from '../../../lambdas/control/control-api.ts';
import { apiGatewayEvent, type HttpRequestParts } from '../../../local/cloud/api-gateway-event.ts';
import { type ControlDynalite, startControlDynalite } from '../../fargate/control/control-dynalite.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';

const TOKEN = 'the-admin-token';
const CALLER = 'arn:aws:iam::123456789012:role/oncall';
let db: ControlDynalite;

beforeAll(async () => {
  db = await startControlDynalite();
});
afterAll(() => db.close());

interface Harness {
  table: ControlTable;
  control: FakeTradingControl;
  notices: ControlNotice[];
  logs: { message: string; fields: Record<string, unknown> }[];
  scaled: number;
  call(
    request: HttpRequestParts,
  ): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }>;
}

/**
 * The function over dynalite, with the task simulated by the real poller and report writer:
 * each "sleep" of the function while it waits for the acknowledgement is one poll of the task.
 */
async function harness(options: { taskRuns?: boolean; backstop?: boolean } = {}): Promise<Harness> {
  const table = await db.freshTable();
  const control = new FakeTradingControl(TOKEN);
  const clock = new ManualClock();
  const reports = new PositionReportWriter({ table, control, owner: 'task', clock, log: () => {} });
  const poller = new ControlPoller({
    table,
    control,
    adminToken: TOKEN,
    clock,
    onApplied: () => reports.report(),
    log: () => {},
  });
  await poller.start();
  let now = 1_800_000_000_000;
  const h: Harness = {
    table,
    control,
    notices: [],
    logs: [],
    scaled: 0,
    call: async (request) => {
      const res = await handleControlRequest(apiGatewayEvent({ callerArn: CALLER, ...request }), deps);
      return {
        status: res.statusCode ?? 200,
        body: JSON.parse(res.body ?? 'null'),
        headers: (res.headers ?? {}) as Record<string, unknown>,
      };
    },
  };
  const deps: ControlApiDeps = {
    table,
    notify: async (n) => {
      h.notices.push(n);
    },
    adminToken: async () => TOKEN,
    ...(options.backstop
      ? {
          scaleToZero: async () => {
            h.scaled++;
          },
        }
      : {}),
    confirmWaitMs: 1_000,
    confirmPollMs: 100,
    sleep: async (ms) => {
      now += ms;
      if (options.taskRuns !== false) await poller.poll();
    },
    now: () => now,
    log: (message, fields) => h.logs.push({ message, fields }),
  };
  if (options.taskRuns !== false) await reports.report();
  return h;
}

const bearer = { authorization: `Bearer ${TOKEN}` };

describe('control function routes', () => {
  it('POST /kill flips the item (who, why, when), nudges the queue and answers the kernel’s KillReport', async () => {
    const h = await harness();
    const res = await h.call({ method: 'POST', path: '/kill', body: '{"reason":"venue misbehaving"}' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cancelled: 3, reason: `venue misbehaving (by ${CALLER})` });
    expect(h.control.state).toBe('HALTED');
    expect(await h.table.control()).toMatchObject({
      killed: true,
      reason: 'venue misbehaving',
      actor: CALLER,
      epoch: 1,
    });
    expect(h.notices).toEqual([
      { epoch: 1, paramsVersion: 0, killed: true, reason: 'venue misbehaving', actor: CALLER },
    ]);
    expect(h.logs.find((l) => l.message === 'control flip: kill')?.fields).toMatchObject({
      actor: CALLER,
      reason: 'venue misbehaving',
      epoch: 1,
      at: '2027-01-15T08:00:00.000Z',
    });
  });

  it('POST /kill with an unreadable body still kills, with the default reason saying why', async () => {
    const h = await harness();
    const res = await h.call({ method: 'POST', path: '/kill', body: '{oops' });
    expect(res.status).toBe(200);
    expect((await h.table.control()).reason).toBe('kill requested over HTTP (body ignored: not valid JSON)');
  });

  it('POST /kill the task does not confirm: 202 unconfirmed, and the backstop scales the service to zero', async () => {
    const h = await harness({ taskRuns: false, backstop: true });
    const res = await h.call({ method: 'POST', path: '/kill' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      confirmed: false,
      serviceScaledToZero: true,
      cancelled: 0,
      cancelLatencyMs: 1_000,
    });
    expect(h.scaled).toBe(1);
    expect((await h.table.control()).killed).toBe(true);
  });

  it('two kills at once both land, one epoch each: the conditional write makes the loser read again', async () => {
    const h = await harness({ taskRuns: false });
    const [a, b] = await Promise.all([
      h.call({ method: 'POST', path: '/kill', body: '{"reason":"a"}' }),
      h.call({ method: 'POST', path: '/kill', body: '{"reason":"b"}' }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect((await h.table.control()).epoch).toBe(2);
    expect(h.notices.map((n) => n.epoch).sort()).toEqual([1, 2]);
  });

  it('GET /status answers the task’s last report, 503 before there is one', async () => {
    const silent = await harness({ taskRuns: false });
    expect((await silent.call({ method: 'GET', path: '/status' })).status).toBe(503);
    const h = await harness();
    const res = await h.call({ method: 'GET', path: '/status' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tradingState: 'ACTIVE', openOrders: 3 });
    expect(res.headers['x-report-age-ms']).toBeDefined();
    await h.call({ method: 'POST', path: '/kill' });
    expect((await h.call({ method: 'GET', path: '/status' })).body).toMatchObject({
      tradingState: 'HALTED',
      openOrders: 0,
    });
  });

  it('POST /reset: 401 without or with a wrong token, 409 when not halted, then the kernel’s own result', async () => {
    const h = await harness();
    expect((await h.call({ method: 'POST', path: '/reset' })).status).toBe(401);
    const wrong = await h.call({ method: 'POST', path: '/reset', headers: { authorization: 'Bearer nope' } });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'admin token refused' } });
    expect(await h.call({ method: 'POST', path: '/reset', headers: bearer })).toMatchObject({
      status: 409,
      body: { ok: false, status: 409, problems: ['trading is not halted'] },
    });
    await h.call({ method: 'POST', path: '/kill' });
    const reset = await h.call({ method: 'POST', path: '/reset', headers: bearer });
    expect(reset).toMatchObject({ status: 200, body: { ok: true } });
    expect(h.control.state).toBe('ACTIVE');
    expect(await h.table.control()).toMatchObject({ killed: false, epoch: 2, actor: CALLER });
    expect(h.logs.map((l) => l.message)).toContain('control flip: reset');
  });

  it('PUT /risk/params: token, JSON, whole validation, then applied by the task; GET serves what is in force', async () => {
    const h = await harness();
    const params = { ...loadRiskParams(), kellyFraction: 0.2 };
    const body = JSON.stringify(params);
    const json = { ...bearer, 'content-type': 'application/json' };
    expect((await h.call({ method: 'PUT', path: '/risk/params', body })).status).toBe(401);
    expect((await h.call({ method: 'PUT', path: '/risk/params', body, headers: bearer })).status).toBe(415);
    expect((await h.call({ method: 'PUT', path: '/risk/params', body: '{', headers: json })).status).toBe(
      400,
    );
    const invalid = await h.call({
      method: 'PUT',
      path: '/risk/params',
      body: JSON.stringify({ ...params, kellyFraction: 'half' }),
      headers: json,
    });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { problems: string[] }).problems[0]).toMatch(/^kellyFraction: /);
    expect((await h.table.control()).paramsVersion).toBe(0);

    const ok = await h.call({ method: 'PUT', path: '/risk/params', body, headers: json });
    expect(ok).toMatchObject({ status: 200, body: { ok: true } });
    expect(h.control.risk.kellyFraction).toBe(0.2);
    expect((await h.table.control()).paramsVersion).toBe(1);
    const inForce = await h.call({ method: 'GET', path: '/risk/params' });
    expect(inForce.body).toMatchObject({ kellyFraction: 0.2 });
  });

  it('unknown paths are 404, wrong methods 405', async () => {
    const h = await harness({ taskRuns: false });
    expect((await h.call({ method: 'GET', path: '/nothing' })).status).toBe(404);
    expect((await h.call({ method: 'GET', path: '/kill' })).status).toBe(405);
  });
});
