import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import { BinanceRest } from '../../../../fargate/execution/binance/binance-rest.ts';
import { hmacSigner } from '../../../../fargate/execution/binance/sign.ts';
import { VenueRequestError } from '../../../../fargate/execution/execution-outcome.ts';
import { RateLimitGovernor } from '../../../../fargate/execution/rate-limit-governor.ts';
import { SecretRedactor } from '../../../../fargate/execution/redact-secrets.ts';
import { ServerClock } from '../../../../fargate/execution/server-clock.ts';
import { WeightedLimiter } from '../../../../fargate/rate-limit/weighted-limiter.ts';

const SECRET = 'test-secret-0123456789';
const KEY = 'test-key-abcdef';

function setUp(answers: Array<(url: string) => Response>, localMs = 1_000_000) {
  const clock = new ManualClock(0);
  const limiter = new WeightedLimiter({ limit: 6000, windowMs: 60_000, burstFraction: 0.5 }, clock);
  const governor = new RateLimitGovernor(
    limiter,
    [{ header: 'x-mbx-used-weight-1m', limit: 6000, windowMs: 60_000 }],
    () => 0,
  );
  const redactor = new SecretRedactor();
  redactor.addSecret(SECRET);
  redactor.addSecret(KEY);
  const urls: string[] = [];
  const headers: Array<Record<string, string>> = [];
  const logs: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    urls.push(url);
    headers.push((init.headers ?? {}) as Record<string, string>);
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${url}`);
    return next(url);
  }) as unknown as typeof globalThis.fetch;
  const rest = new BinanceRest({
    baseUrl: 'http://venue',
    timePath: '/api/v3/time',
    apiKey: KEY,
    signer: hmacSigner(SECRET),
    clock: new ServerClock({ nowMs: () => localMs }),
    limiter,
    governor,
    redactor,
    fetch,
    log: (l) => logs.push(l),
  });
  return { rest, urls, headers, logs, governor };
}

const json =
  (status: number, body: unknown, h: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...h } });

describe('BinanceRest', () => {
  it('signs the exact query string sent, key in X-MBX-APIKEY, usage header read', async () => {
    const { rest, urls, headers, governor } = setUp([
      json(200, { ok: 1 }, { 'x-mbx-used-weight-1m': '5000' }),
    ]);
    await rest.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' }, 6);
    const url = new URL(urls[0]!);
    expect(url.pathname).toBe('/api/v3/openOrders');
    expect(url.search).toMatch(/^\?symbol=BTCUSDT&recvWindow=5000&timestamp=1000000&signature=[0-9a-f]{64}$/);
    expect(headers[0]!['X-MBX-APIKEY']).toBe(KEY);
    expect(governor.lastUsage).toBeCloseTo(5000 / 6000);
    expect(governor.stats.slowdowns).toBe(1);
  });

  it('-1021 → measures the server time → retries once with the corrected timestamp', async () => {
    const { rest, urls, logs } = setUp([
      json(400, { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." }),
      json(200, { serverTime: 998_000 }),
      json(200, { orderId: 1 }),
    ]);
    await expect(rest.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT' }, 1)).resolves.toEqual({
      orderId: 1,
    });
    expect(urls[1]).toBe('http://venue/api/v3/time');
    expect(new URL(urls[2]!).searchParams.get('timestamp')).toBe('998000');
    expect(rest.stats.resyncs).toBe(1);
    expect(logs.some((l) => l.includes('recvWindow'))).toBe(true);
  });

  it('a second -1021 after the resync is not retried again', async () => {
    const stale = json(400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    const { rest } = setUp([stale, json(200, { serverTime: 1_000_000 }), stale]);
    const error = await rest.signed('POST', '/api/v3/order', {}, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueRequestError);
    expect((error as VenueRequestError).outcome.kind).toBe('resync-clock');
  });

  it('errors and log lines never carry the key, the secret or the signature, even when the venue echoes them', async () => {
    let sentSignature = '';
    const { rest, logs } = setUp([
      (url) => {
        sentSignature = new URL(url).searchParams.get('signature')!;
        return json(400, { code: -1022, msg: `Signature ${sentSignature} for key ${KEY} is not valid.` })();
      },
    ]);
    const error = (await rest
      .signed('GET', '/api/v3/account', {}, 20)
      .catch((e: unknown) => e)) as VenueRequestError;
    expect(error.outcome).toMatchObject({ kind: 'halt', code: -1022 });
    expect(sentSignature).toMatch(/^[0-9a-f]{64}$/);
    for (const text of [error.message, ...logs]) {
      expect(text).not.toContain(sentSignature);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(SECRET);
    }
    expect(logs).toHaveLength(1);
  });

  it('a network failure is an unknown status (the venue may have the order)', async () => {
    const { rest } = setUp([
      () => {
        throw new Error('socket hang up');
      },
    ]);
    const error = (await rest
      .signed('POST', '/api/v3/order', {}, 1)
      .catch((e: unknown) => e)) as VenueRequestError;
    expect(error.outcome.kind).toBe('unknown-status');
  });

  it('429 pauses the limiter for Retry-After and maps to retry', async () => {
    const { rest, governor } = setUp([
      json(429, { code: -1003, msg: 'Too many requests' }, { 'retry-after': '3' }),
    ]);
    const error = (await rest
      .signed('GET', '/api/v3/openOrders', {}, 6)
      .catch((e: unknown) => e)) as VenueRequestError;
    expect(error.outcome.kind).toBe('retry');
    expect(governor.stats.throttled).toBe(1);
  });
});
