import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import { CoinbaseRest } from '../../../../fargate/execution/coinbase/coinbase-rest.ts';
import { orderConfiguration } from '../../../../fargate/execution/coinbase/coinbase-venue.ts';
import { createCoinbaseSigner } from '../../../../fargate/execution/coinbase/sign.ts';
import { verifyCoinbaseRequest } from '../../../../fargate/execution/coinbase/verify-request.ts';
import { VenueRequestError } from '../../../../fargate/execution/execution-outcome.ts';
import { RateLimitGovernor } from '../../../../fargate/execution/rate-limit-governor.ts';
import { SecretRedactor } from '../../../../fargate/execution/redact-secrets.ts';
import { ServerClock } from '../../../../fargate/execution/server-clock.ts';
import { WeightedLimiter } from '../../../../fargate/rate-limit/weighted-limiter.ts';
import { syntheticInstrument } from '../../../../local/exchanges/sources/synthetic-source.ts';
import { venueRefusal } from '../../helpers/venue-refusal.ts';

const KEY_NAME = 'organizations/test/apiKeys/k1';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function setUp(answers: Array<(auth: string) => Response>, local: { now: number }) {
  const clock = new ManualClock(0);
  const limiter = new WeightedLimiter({ limit: 30, windowMs: 1000, burstFraction: 0.5 }, clock);
  const redactor = new SecretRedactor();
  redactor.addSecret(KEY_NAME);
  redactor.addSecret(PEM);
  const auths: string[] = [];
  const logs: string[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    const auth = ((init.headers ?? {}) as Record<string, string>).Authorization ?? '';
    auths.push(auth);
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return next(auth);
  }) as unknown as typeof globalThis.fetch;
  const rest = new CoinbaseRest({
    baseUrl: 'http://venue',
    signer: createCoinbaseSigner(KEY_NAME, PEM, () => '00'.repeat(16)),
    clock: new ServerClock({ nowMs: () => local.now }),
    limiter,
    governor: new RateLimitGovernor(limiter, []),
    redactor,
    wallNowMs: () => local.now,
    fetch,
    log: (l) => logs.push(l),
  });
  return { rest, auths, logs };
}

const time = (ms: number) => () => new Response(JSON.stringify({ epochMillis: String(ms) }), { status: 200 });

describe('CoinbaseRest', () => {
  it('signs a JWT per request whose uri names the method and path (no query)', async () => {
    const local = { now: 1_700_000_000_000 };
    const { rest, auths } = setUp([() => new Response('{"accounts":[]}', { status: 200 })], local);
    await rest.signed('GET', '/orders/historical/fills', [['product_ids', 'BTC-USD']]);
    const verdict = verifyCoinbaseRequest(
      {
        authorization: auths[0],
        method: 'GET',
        path: '/api/v3/brokerage/orders/historical/fills',
        host: 'api.coinbase.com',
      },
      (k) => (k === KEY_NAME ? publicKey : undefined),
      local.now / 1000 + 1,
    );
    expect(verdict.ok).toBe(true);
  });

  it('a 401 from a skewed clock: resync and retry once, which succeeds', async () => {
    const local = { now: 1_700_000_000_000 };
    const server = local.now + 300_000; // the venue is 5 min ahead: our JWTs are already expired there
    const { rest } = setUp(
      [
        () => new Response('Unauthorized', { status: 401 }),
        time(server),
        () => new Response('{"ok":1}', { status: 200 }),
      ],
      local,
    );
    expect(await rest.signed('GET', '/accounts')).toEqual({ ok: 1 });
    expect(rest.stats.resyncs).toBe(1);
  });

  it('a 401 again after the resync is a bad key or signature: halt; no key or JWT logged', async () => {
    const local = { now: 1_700_000_000_000 };
    const { rest, auths, logs } = setUp(
      [
        () => new Response('Unauthorized', { status: 401 }),
        time(local.now),
        () => new Response('Unauthorized', { status: 401 }),
      ],
      local,
    );
    const e = await venueRefusal(rest.signed('POST', '/orders', [], { a: 1 }));
    expect(e).toBeInstanceOf(VenueRequestError);
    expect(e.outcome.kind).toBe('halt');
    expect(e.httpStatus).toBe(401);
    const text = [e.message, ...logs].join('\n');
    expect(text).not.toContain(KEY_NAME);
    const jwts = auths.filter((a) => a !== '').map((a) => a.slice('Bearer '.length));
    expect(jwts).toHaveLength(2);
    for (const jwt of jwts) expect(text).not.toContain(jwt);
  });

  it('maps orders to order configurations: GTC limit (post-only flag), IOC limit, market', () => {
    const inst = syntheticInstrument('coinbase', 1);
    const base = { id: 1, instrument: 0, side: 'buy' as const, size: 15, postOnly: false, ioc: false };
    expect(orderConfiguration({ ...base, type: 'limit', price: 10_050, postOnly: true }, inst)).toEqual({
      limit_limit_gtc: { base_size: '0.0015', limit_price: '100.5', post_only: true },
    });
    expect(orderConfiguration({ ...base, type: 'limit', price: 10_050, ioc: true }, inst)).toEqual({
      sor_limit_ioc: { base_size: '0.0015', limit_price: '100.5' },
    });
    expect(orderConfiguration({ ...base, type: 'market', price: Number.NaN }, inst)).toEqual({
      market_market_ioc: { base_size: '0.0015' },
    });
  });
});
