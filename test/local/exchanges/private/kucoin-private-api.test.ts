/**
 * The simulated KuCoin private REST: KuCoin's codes for a bad signature (400005), a stale timestamp
 * (400002), an unknown key (400003), a parameter error (400100), insufficient balance (200004) and an
 * exhausted resource pool (HTTP 429, 429000, with the gw-ratelimit headers); orders and fills as a
 * signed client sees them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKucoinSigner } from '../../../../fargate/execution/kucoin/sign.ts';
import { loadLocalAccounts } from '../../../../local/exchanges/private/local-accounts.ts';
import { type Simulators, startSimulators } from '../../../../local/exchanges/start-simulators.ts';
import type { TruthBook } from '../../../../local/exchanges/truth/truth-book.ts';

const account = loadLocalAccounts().kucoin;
let sims: Simulators;
let truth: TruthBook;

beforeEach(async () => {
  sims = await startSimulators({ venues: ['kucoin'], source: 'synthetic', symbols: 1, autoStart: false });
  sims.synthetic('kucoin')!.stepMany(50);
  truth = [...sims.venues.kucoin!.market.symbols()][0]!;
});

afterEach(async () => {
  await sims.close();
});

interface Answer {
  status: number;
  code: string;
  msg?: string;
  data?: unknown;
  headers: Headers;
}

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  endpoint: string,
  body?: Record<string, unknown>,
  opts: { key?: string; timestampMs?: number; tamper?: boolean } = {},
): Promise<Answer> {
  const text = body ? JSON.stringify(body) : '';
  const signer = createKucoinSigner(opts.key ?? account.apiKey, account.apiSecret, account.passphrase!);
  const headers = signer.headers(opts.timestampMs ?? Date.now(), method, endpoint, text);
  if (opts.tamper) headers['KC-API-SIGN'] = Buffer.alloc(32, 1).toString('base64');
  const res = await fetch(`${sims.urls.kucoin!.rest}${endpoint}`, {
    method,
    headers,
    ...(text ? { body: text } : {}),
  });
  const json = (await res.json()) as { code: string; msg?: string; data?: unknown };
  return { status: res.status, ...json, headers: res.headers };
}

const order = (over: Record<string, unknown> = {}) => ({
  clientOid: `c${Math.random().toString(36).slice(2, 10)}`,
  symbol: truth.venueSymbol,
  side: 'buy',
  type: 'limit',
  price: truth.price(truth.book.bestBid() - 50),
  size: '0.001',
  ...over,
});

describe('simulated KuCoin private REST', () => {
  it("answers KuCoin's auth codes with HTTP 401", async () => {
    const path = '/api/v1/accounts';
    expect(await call('GET', path, undefined, { tamper: true })).toMatchObject({
      status: 401,
      code: '400005',
    });
    expect(await call('GET', path, undefined, { timestampMs: Date.now() - 10_000 })).toMatchObject({
      status: 401,
      code: '400002',
    });
    expect(await call('GET', path, undefined, { key: 'no-such-key-here' })).toMatchObject({
      status: 401,
      code: '400003',
    });
    expect(sims.venues.kucoin!.privateApi.counters.authFailures).toBe(3);
  });

  it('refuses bad parameters and orders beyond the balance; the reject fault fires once', async () => {
    const place = '/api/v1/hf/orders/sync';
    expect(await call('POST', place, order({ size: 'abc' }))).toMatchObject({ code: '400100' });
    expect(await call('POST', place, order({ size: '100000000' }))).toMatchObject({ code: '200004' });
    const api = sims.venues.kucoin!.privateApi;
    api.rejectNextOrder();
    expect(await call('POST', place, order())).toMatchObject({
      code: '200004',
      msg: 'Balance insufficient!',
    });
    expect(api.faults.injected.reject).toBe(1);
    expect(await call('POST', place, order())).toMatchObject({ code: '200000' });
  });

  it('places, queries, fills and cancels by clientOid; cancel-all by symbol leaves none active', async () => {
    const sym = truth.venueSymbol;
    const resting = order();
    const placed = await call('POST', '/api/v1/hf/orders/sync', resting);
    expect(placed.data).toMatchObject({ clientOid: resting.clientOid, status: 'open' });
    const take = order({ type: 'market', price: undefined });
    expect((await call('POST', '/api/v1/hf/orders/sync', take)).data).toMatchObject({ status: 'done' });
    const fills = (await call('GET', `/api/v1/hf/fills?symbol=${sym}`)).data as { items: { side: string }[] };
    expect(fills.items.length).toBeGreaterThan(0);
    const q = await call('GET', `/api/v1/hf/orders/client-order/${resting.clientOid}?symbol=${sym}`);
    expect(q.data).toMatchObject({ active: true, clientOid: resting.clientOid });
    await call('POST', '/api/v1/hf/orders/sync', order());
    expect((await call('GET', `/api/v1/hf/orders/active?symbol=${sym}`)).data).toHaveLength(2);
    const canceled = await call(
      'DELETE',
      `/api/v1/hf/orders/sync/client-order/${resting.clientOid}?symbol=${sym}`,
    );
    expect(canceled.data).toMatchObject({ status: 'done' });
    expect(
      await call('DELETE', `/api/v1/hf/orders/sync/client-order/${resting.clientOid}?symbol=${sym}`),
    ).toMatchObject({ code: '400100', msg: 'order_not_exist_or_not_allow_to_cancel' });
    expect((await call('DELETE', `/api/v1/hf/orders?symbol=${sym}`)).data).toBe('success');
    expect((await call('GET', `/api/v1/hf/orders/active?symbol=${sym}`)).data).toHaveLength(0);
  });

  it('an exhausted resource pool answers 429 / 429000 with the gw-ratelimit headers', async () => {
    sims.venues.kucoin!.privateApi.limits.pool = 2;
    const first = await call('GET', '/api/v1/accounts');
    expect(first.headers.get('gw-ratelimit-limit')).toBe('2');
    expect(first.headers.get('gw-ratelimit-remaining')).toBe('1');
    await call('GET', '/api/v1/accounts');
    const third = await call('GET', '/api/v1/accounts');
    expect(third).toMatchObject({ status: 429, code: '429000' });
    expect(Number(third.headers.get('gw-ratelimit-reset'))).toBeGreaterThan(0);
    expect(sims.venues.kucoin!.privateApi.counters.throttled).toBe(1);
  });
});
