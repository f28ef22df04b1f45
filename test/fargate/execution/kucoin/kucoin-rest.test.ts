import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import { KucoinRest } from '../../../../fargate/execution/kucoin/kucoin-rest.ts';
import {
  createKucoinSigner,
  kucoinHmac,
  kucoinStringToSign,
} from '../../../../fargate/execution/kucoin/sign.ts';
import { RateLimitGovernor } from '../../../../fargate/execution/rate-limit-governor.ts';
import { SecretRedactor } from '../../../../fargate/execution/redact-secrets.ts';
import { ServerClock } from '../../../../fargate/execution/server-clock.ts';
import { WeightedLimiter } from '../../../../fargate/rate-limit/weighted-limiter.ts';
import { venueRefusal } from '../../helpers/venue-refusal.ts';

const KEY = 'kucoin-test-key-0001';
const SECRET = 'kucoin-test-secret-0001';
const PASSPHRASE = 'kucoin-test-passphrase';

function setUp(answers: Array<(h: Record<string, string>) => Response>, localMs: { now: number }) {
  const clock = new ManualClock(0);
  const limiter = new WeightedLimiter({ limit: 4000, windowMs: 30_000, burstFraction: 0.5 }, clock);
  const governor = new RateLimitGovernor(limiter, []);
  const redactor = new SecretRedactor();
  for (const s of [KEY, SECRET, PASSPHRASE]) redactor.addSecret(s);
  const seen: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  const logs: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    seen.push({ url, headers, body: String(init.body ?? '') });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${url}`);
    return next(headers);
  }) as unknown as typeof globalThis.fetch;
  const rest = new KucoinRest({
    baseUrl: 'http://venue',
    signer: createKucoinSigner(KEY, SECRET, PASSPHRASE),
    clock: new ServerClock({ nowMs: () => localMs.now }),
    limiter,
    governor,
    redactor,
    fetch,
    log: (l) => logs.push(l),
  });
  return { rest, seen, logs, governor, clock };
}

const ok = (data: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ code: '200000', data }), { status: 200, headers });

describe('KucoinRest', () => {
  it('signs timestamp + method + endpoint with its query + the exact JSON body', async () => {
    const local = { now: 1_000_000 };
    const { rest, seen } = setUp([() => ok({ orderId: 'x' })], local);
    await rest.signed('POST', '/api/v1/hf/orders/sync', {}, { clientOid: 'a', symbol: 'BTC-USDT' });
    const { headers, body } = seen[0]!;
    expect(body).toBe('{"clientOid":"a","symbol":"BTC-USDT"}');
    expect(headers['KC-API-SIGN']).toBe(
      kucoinHmac(
        SECRET,
        kucoinStringToSign(headers['KC-API-TIMESTAMP']!, 'POST', '/api/v1/hf/orders/sync', body),
      ),
    );
    const { rest: r2, seen: s2 } = setUp([() => ok([])], local);
    await r2.signed('GET', '/api/v1/hf/orders/active', { symbol: 'BTC-USDT' });
    expect(s2[0]!.url).toBe('http://venue/api/v1/hf/orders/active?symbol=BTC-USDT');
    expect(s2[0]!.headers['KC-API-SIGN']).toBe(
      kucoinHmac(
        SECRET,
        kucoinStringToSign(
          s2[0]!.headers['KC-API-TIMESTAMP']!,
          'GET',
          '/api/v1/hf/orders/active?symbol=BTC-USDT',
          '',
        ),
      ),
    );
  });

  it('400002 re-measures the clock and sends once more with the corrected timestamp', async () => {
    const local = { now: 1_000_000 };
    const server = 1_010_000; // the venue is 10 s ahead of us
    const { rest, seen, logs } = setUp(
      [
        () => new Response('{"code":"400002","msg":"KC-API-TIMESTAMP Invalid"}', { status: 401 }),
        () => new Response(JSON.stringify({ code: '200000', data: server }), { status: 200 }),
        (h) => {
          expect(Math.abs(Number(h['KC-API-TIMESTAMP']) - server)).toBeLessThan(5);
          return ok('success');
        },
      ],
      local,
    );
    expect(await rest.signed('DELETE', '/api/v1/hf/orders', { symbol: 'BTC-USDT' })).toBe('success');
    expect(rest.stats.resyncs).toBe(1);
    expect(seen).toHaveLength(3);
    expect(logs.some((l) => l.includes('resync'))).toBe(true);
  });

  it('a bad signature halts with its code; no key, secret, passphrase or signature in messages or logs', async () => {
    const local = { now: 1_000_000 };
    const { rest, seen, logs } = setUp(
      [() => new Response(`{"code":"400005","msg":"Invalid KC-API-SIGN ${KEY}"}`, { status: 401 })],
      local,
    );
    const e = await venueRefusal(rest.signed('GET', '/api/v1/accounts'));
    expect(e.outcome).toMatchObject({ kind: 'halt', code: 400005 });
    const text = [e.message, ...logs].join('\n');
    for (const s of [
      KEY,
      SECRET,
      PASSPHRASE,
      seen[0]!.headers['KC-API-SIGN']!,
      seen[0]!.headers['KC-API-PASSPHRASE']!,
    ])
      expect(text).not.toContain(s);
  });

  it('the gw-ratelimit headers reach the governor; 429000 waits for the pool reset', async () => {
    const local = { now: 1_000_000 };
    const pool = { 'gw-ratelimit-limit': '100', 'gw-ratelimit-remaining': '5', 'gw-ratelimit-reset': '7000' };
    const { rest, governor, clock } = setUp(
      [
        () => ok([], pool),
        () => new Response('{"code":"429000","msg":"Too Many Requests"}', { status: 429, headers: pool }),
      ],
      local,
    );
    await rest.signed('GET', '/api/v1/accounts');
    expect(governor.stats.slowdowns).toBe(1);
    clock.advance(1000); // past the slow-down pause (95 % of the pool used)
    const e = await venueRefusal(rest.signed('GET', '/api/v1/accounts'));
    expect(e.outcome).toMatchObject({ kind: 'retry', afterMs: 7000, code: 429000 });
  });
});
