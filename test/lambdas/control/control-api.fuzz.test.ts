/**
 * The control function under hostile API Gateway events (payload 2.0): any method, path, headers,
 * base64 flag and body. Every answer is a JSON body below 500; a refusal (4xx) leaves the control
 * item as it was and sends no notice; no body pollutes Object.prototype.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRiskParams } from '../../../config/risk.ts';
import type { ControlNotice } from '../../../core/control/control-item.ts';
import { ManualClock } from '../../../core/time/manual-clock.ts';
import type { ControlTable } from '../../../fargate/control/control-table.ts';
import { PositionReportWriter } from '../../../fargate/control/position-report-writer.ts';
import {
  type ControlApiDeps,
  type ControlEvent,
  handleControlRequest,
} from '../../../lambdas/control/control-api.ts';
import { apiGatewayEvent } from '../../../local/cloud/api-gateway-event.ts';
import { type ControlDynalite, startControlDynalite } from '../../fargate/control/control-dynalite.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';

const TOKEN = 'the-admin-token-for-fuzzing';
let db: ControlDynalite;
let table: ControlTable;
const notices: ControlNotice[] = [];
let now = 1_800_000_000_000;

const deps = (): ControlApiDeps => ({
  table,
  notify: async (n) => {
    notices.push(n);
  },
  adminToken: async () => TOKEN,
  // No task answers: a kill or reset that passes is answered 202 after one read of the ack.
  confirmWaitMs: 0,
  confirmPollMs: 1,
  sleep: async (ms) => {
    now += ms;
  },
  now: () => now,
  log: () => {},
});

beforeAll(async () => {
  db = await startControlDynalite();
  table = await db.freshTable();
  // The task has reported once, so /status and /risk/params answer (503 before that is their contract).
  const control = new FakeTradingControl(TOKEN);
  await new PositionReportWriter({
    table,
    control,
    owner: 'task',
    clock: new ManualClock(),
    log: () => {},
  }).report();
});
afterAll(() => db.close());

const risk = JSON.stringify(loadRiskParams());

const bodyArb = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    `${risk.slice(0, -1)},"__proto__":{"polluted":true}}`,
    '{"reason":{"toString":"x"}}',
    'null',
    '[]',
  ),
  fc
    .tuple(
      fc.constantFrom(...Object.keys(JSON.parse(risk) as object), 'extra'),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map(([key, value]) => `${risk.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`),
  fc.integer({ min: 1_000, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
);

const eventArb: fc.Arbitrary<ControlEvent> = fc
  .record({
    method: fc.oneof(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      fc.constantFrom('get', 'Put', 'CONSTRUCTOR', '__proto__', 'toString', ''),
      fc.string({ maxLength: 10 }),
    ),
    path: fc.oneof(
      fc.constantFrom('/kill', '/status', '/reset', '/risk/params', '/kill/', '/risk/params///'),
      fc.constantFrom('constructor', 'toString', '__proto__', '/__proto__', '', '/', '//'),
      fc.webPath(),
    ),
    authorization: fc.option(
      fc.oneof(
        fc.constant(`Bearer ${TOKEN}`),
        fc.constantFrom('Bearer', `Basic ${TOKEN}`, `Bearer ${TOKEN} x`),
        fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
      ),
      { nil: undefined },
    ),
    contentType: fc.option(
      fc.oneof(
        fc.constantFrom(
          'application/json',
          'Application/JSON; charset=utf-8',
          'text/plain',
          'application/jsonp',
        ),
        fc.string({ maxLength: 30 }),
      ),
      { nil: undefined },
    ),
    body: bodyArb,
    /** How the body is carried: plain, base64 as API Gateway sends it, or flagged base64 but garbage. */
    encoding: fc.constantFrom('plain', 'base64', 'garbage-base64'),
    noHeaders: fc.boolean(),
    noAuthorizer: fc.boolean(),
  })
  .map((c) => {
    const headers: Record<string, string> = {};
    if (c.authorization !== undefined) headers.authorization = c.authorization;
    if (c.contentType !== undefined) headers['Content-Type'] = c.contentType;
    const event = apiGatewayEvent({ method: 'GET', path: '/', headers });
    const body =
      c.encoding === 'base64'
        ? Buffer.from(c.body, 'utf8').toString('base64')
        : c.encoding === 'garbage-base64'
          ? `${c.body}%%==`
          : c.body;
    return {
      ...event,
      rawPath: c.path,
      ...(c.noHeaders ? { headers: undefined as never } : {}),
      ...(c.body.length > 0 ? { body } : {}),
      isBase64Encoded: c.encoding !== 'plain',
      requestContext: {
        ...event.requestContext,
        http: { ...event.requestContext.http, method: c.method, path: c.path },
        ...(c.noAuthorizer ? { authorizer: undefined as never } : {}),
      },
    };
  });

const ROUTES: Record<string, readonly string[]> = {
  '/kill': ['POST'],
  '/status': ['GET'],
  '/reset': ['POST'],
  '/risk/params': ['GET', 'PUT'],
};

describe('control function under hostile events', () => {
  it('answers every event with JSON below 500; refusals change nothing', async () => {
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(eventArb, async (event) => {
        const before = JSON.stringify(await table.control());
        const noticesBefore = notices.length;
        const res = await handleControlRequest(event, deps());
        const status = res.statusCode ?? 200;
        expect(status, `${event.requestContext.http.method} ${event.rawPath}`).toBeGreaterThanOrEqual(200);
        expect(status, `${event.requestContext.http.method} ${event.rawPath}: ${res.body}`).toBeLessThan(500);
        expect(res.headers?.['content-type']).toBe('application/json');
        const body = JSON.parse(res.body ?? '') as Record<string, unknown>;
        expect(res.body).not.toContain(TOKEN);
        const path = event.rawPath.replace(/\/+$/, '') || '/';
        if (!Object.hasOwn(ROUTES, path)) expect(status).toBe(404);
        if (status >= 400) {
          refusals++;
          expect(typeof body.error === 'string' || Array.isArray(body.problems)).toBe(true);
          expect(JSON.stringify(await table.control())).toBe(before);
          expect(notices.length).toBe(noticesBefore);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { seed: 20261207, numRuns: 250 },
    );
    expect(refusals).toBeGreaterThan(100);
  }, 60_000);
});
