import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import { BybitRest } from '../../../../fargate/execution/bybit/bybit-rest.ts';
import { BybitEndpointLimits } from '../../../../fargate/execution/bybit/endpoint-limits.ts';
import { verifyBybitRequest } from '../../../../fargate/execution/bybit/verify-request.ts';
import type { VenueRequestError } from '../../../../fargate/execution/execution-outcome.ts';
import { SecretRedactor } from '../../../../fargate/execution/redact-secrets.ts';
import { ServerClock } from '../../../../fargate/execution/server-clock.ts';

const SECRET = 'test-secret-0123456789';
const KEY = 'test-key-abcdef';
const WALL = 1_700_000_000_000;

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function setUp(answers: Array<(sent: Sent) => Response>, localMs = WALL) {
  const clock = new ManualClock(0);
  const limits = new BybitEndpointLimits(clock, () => WALL);
  const redactor = new SecretRedactor();
  redactor.addSecret(SECRET);
  redactor.addSecret(KEY);
  const sent: Sent[] = [];
  const logs: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const s: Sent = {
      url,
      method: String(init.method),
      headers: (init.headers ?? {}) as Record<string, string>,
      body: init.body as string | undefined,
    };
    sent.push(s);
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${url}`);
    return next(s);
  }) as unknown as typeof globalThis.fetch;
  const serverClock = new ServerClock({ nowMs: () => localMs });
  const rest = new BybitRest({
    baseUrl: 'http://venue',
    apiKey: KEY,
    apiSecret: SECRET,
    clock: serverClock,
    limits,
    redactor,
    fetch,
    log: (l) => logs.push(l),
    wallNowMs: () => WALL,
  });
  return { rest, sent, logs, limits, serverClock };
}

const answer =
  (retCode: number, result: unknown, headers: Record<string, string> = {}, retMsg = 'OK') =>
  () =>
    new Response(JSON.stringify({ retCode, retMsg, result, retExtInfo: {}, time: WALL }), {
      status: 200,
      headers: { 'content-type': 'application/json', ...headers },
    });

const timeAnswer = (serverMs: number) =>
  answer(0, { timeSecond: String(Math.floor(serverMs / 1000)), timeNano: `${serverMs}000000` });

/** The simulator's own check of what the client sent. */
function verify(s: Sent, serverMs = WALL) {
  const url = new URL(s.url);
  return verifyBybitRequest(
    {
      apiKey: s.headers['X-BAPI-API-KEY'],
      timestamp: s.headers['X-BAPI-TIMESTAMP'],
      recvWindow: s.headers['X-BAPI-RECV-WINDOW'],
      sign: s.headers['X-BAPI-SIGN'],
      payload: s.method === 'GET' ? url.search.slice(1) : (s.body ?? ''),
    },
    (k) => (k === KEY ? SECRET : undefined),
    serverMs,
  );
}

describe('BybitRest', () => {
  it('signs the exact query string (GET) and the exact JSON body (POST) it sends; returns result', async () => {
    const { rest, sent } = setUp([answer(0, { list: [1] }), answer(0, { orderId: 'x' })]);
    expect(await rest.signed('GET', '/v5/order/realtime', { category: 'linear', symbol: 'BTCUSDT' })).toEqual(
      {
        list: [1],
      },
    );
    expect(await rest.signed('POST', '/v5/order/create', { category: 'linear', reduceOnly: true })).toEqual({
      orderId: 'x',
    });
    expect(sent[0]!.url).toBe('http://venue/v5/order/realtime?category=linear&symbol=BTCUSDT');
    expect(sent[1]!.body).toBe('{"category":"linear","reduceOnly":true}');
    expect(sent[1]!.headers['Content-Type']).toBe('application/json');
    for (const s of sent) expect(verify(s)).toEqual({ ok: true, apiKey: KEY });
  });

  it('10002 → re-measure the offset against /v5/market/time → retry once, now inside the window', async () => {
    // Our clock runs 2 s ahead of the venue's.
    const serverMs = WALL - 2000;
    const { rest, sent, logs, serverClock } = setUp([
      (s) =>
        verify(s, serverMs).ok
          ? answer(0, {})()
          : answer(
              10002,
              {},
              {},
              'invalid request, please check your server timestamp or recv_window param',
            )(),
      timeAnswer(serverMs),
      (s) => (verify(s, serverMs).ok ? answer(0, { orderId: 'ok' })() : answer(10002, {})()),
    ]);
    expect(await rest.signed('POST', '/v5/order/create', { category: 'linear' })).toEqual({ orderId: 'ok' });
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual([
      '/v5/order/create',
      '/v5/market/time',
      '/v5/order/create',
    ]);
    expect(serverClock.offsetMs).toBe(-2000);
    expect(rest.stats.resyncs).toBe(1);
    expect(logs.some((l) => l.includes('recv_window'))).toBe(true);
  });

  it('a second 10002 after the resync is not retried again', async () => {
    const { rest, sent } = setUp([answer(10002, {}), timeAnswer(WALL), answer(10002, {})]);
    const error = await rest.signed('GET', '/v5/order/realtime', {}).catch((e: unknown) => e);
    expect((error as VenueRequestError).outcome.kind).toBe('resync-clock');
    expect(sent).toHaveLength(3);
  });

  it('feeds the endpoint governor from X-Bapi-Limit*: near the limit it pauses that endpoint only', async () => {
    const limitHeaders = {
      'X-Bapi-Limit': '10',
      'X-Bapi-Limit-Status': '0',
      'X-Bapi-Limit-Reset-Timestamp': String(WALL + 400),
    };
    const { rest, limits } = setUp([answer(0, {}, limitHeaders)]);
    await rest.signed('POST', '/v5/order/create', {});
    const create = limits.forPath('/v5/order/create');
    expect(create.governor.stats.fullStops).toBe(1);
    expect(create.limiter.stats.pauses).toBe(1);
    expect(limits.forPath('/v5/order/realtime').limiter.stats.pauses).toBe(0);
  });

  it('10006 is a retry after the window reset; the endpoint stops until then', async () => {
    const limitHeaders = {
      'X-Bapi-Limit': '10',
      'X-Bapi-Limit-Status': '3',
      'X-Bapi-Limit-Reset-Timestamp': String(WALL + 250),
    };
    const { rest, limits } = setUp([answer(10006, {}, limitHeaders, 'Too many visits!')]);
    const error = (await rest
      .signed('POST', '/v5/order/cancel', {})
      .catch((e: unknown) => e)) as VenueRequestError;
    expect(error.outcome).toMatchObject({ kind: 'retry', afterMs: 250, code: 10006 });
    expect(limits.forPath('/v5/order/cancel').governor.stats.fullStops).toBe(1);
  });

  it('a network failure is unknown-status; messages are redacted; nothing secret is logged', async () => {
    const { rest, logs } = setUp([
      () => {
        throw new Error(`socket hang up near ${KEY}`);
      },
      answer(10004, {}, {}, `Error sign, please check your signature generation algorithm. ${SECRET}`),
    ]);
    const lost = (await rest
      .signed('GET', '/v5/order/realtime', {})
      .catch((e: unknown) => e)) as VenueRequestError;
    expect(lost.outcome.kind).toBe('unknown-status');
    expect(lost.message).not.toContain(KEY);
    const bad = (await rest
      .signed('GET', '/v5/order/realtime', {})
      .catch((e: unknown) => e)) as VenueRequestError;
    expect(bad.outcome).toMatchObject({ kind: 'halt', code: 10004 });
    expect(bad.message).not.toContain(SECRET);
    expect(logs.length).toBeGreaterThan(0);
    for (const l of logs) {
      expect(l).not.toContain(SECRET);
      expect(l).not.toContain(KEY);
    }
  });
});

describe('BybitRest on HTTP 403 (the IP limit)', () => {
  it('stops every endpoint for 10 minutes and reads as banned', async () => {
    const { rest, limits } = setUp([
      answer(0, {}),
      () => new Response('access too frequent', { status: 403 }),
    ]);
    await rest.signed('GET', '/v5/order/realtime', {});
    const error = (await rest
      .signed('POST', '/v5/order/create', {})
      .catch((e: unknown) => e)) as VenueRequestError;
    expect(error.outcome).toMatchObject({ kind: 'retry', afterMs: 600_000 });
    expect(rest.banned).toBe(true);
    expect(limits.forPath('/v5/order/realtime').governor.bannedUntilMs).toBe(WALL + 600_000);
  });
});
