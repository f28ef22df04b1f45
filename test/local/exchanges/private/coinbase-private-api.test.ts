/**
 * The simulated Coinbase Advanced Trade private REST: 401 `Unauthorized` for a bad signature, an
 * unknown key and an expired JWT; Coinbase's failure reasons for a refused create (INSUFFICIENT_FUND,
 * INVALID_PRODUCT_ID, INVALID_LIMIT_PRICE_POST_ONLY) and cancel (UNKNOWN_CANCEL_ORDER); a malformed
 * body as INVALID_ARGUMENT; orders and fills as a signed client sees them.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoinbaseSigner } from '../../../../fargate/execution/coinbase/sign.ts';
import { loadLocalAccounts } from '../../../../local/exchanges/private/local-accounts.ts';
import { type Simulators, startSimulators } from '../../../../local/exchanges/start-simulators.ts';
import type { TruthBook } from '../../../../local/exchanges/truth/truth-book.ts';

const account = loadLocalAccounts().coinbase;
const hex = () => randomBytes(16).toString('hex');
let sims: Simulators;
let truth: TruthBook;

beforeEach(async () => {
  sims = await startSimulators({ venues: ['coinbase'], source: 'synthetic', symbols: 1, autoStart: false });
  sims.synthetic('coinbase')!.stepMany(50);
  truth = [...sims.venues.coinbase!.market.symbols()][0]!;
});

afterEach(async () => {
  await sims.close();
});

async function call(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: { keyName?: string; pem?: string; nowS?: number; raw?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> | undefined; text: string }> {
  const signer = createCoinbaseSigner(opts.keyName ?? account.apiKey, opts.pem ?? account.apiSecret, hex);
  const full = `/api/v3/brokerage${path}`;
  const text = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const res = await fetch(`${sims.urls.coinbase!.rest}${full}`, {
    method,
    headers: {
      Authorization: signer.authorization(method, full.split('?')[0]!, opts.nowS ?? Date.now() / 1000),
    },
    ...(text ? { body: text } : {}),
  });
  const t = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(t) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text: t };
}

const create = (over: Record<string, unknown> = {}) => ({
  client_order_id: `c${hex().slice(0, 12)}`,
  product_id: truth.venueSymbol,
  side: 'BUY',
  order_configuration: {
    limit_limit_gtc: {
      base_size: '0.001',
      limit_price: truth.price(truth.book.bestBid() - 50),
      post_only: false,
    },
  },
  ...over,
});

describe('simulated Coinbase Advanced Trade private REST', () => {
  it('answers 401 Unauthorized for a bad signature, an unknown key and an expired JWT', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(await call('GET', '/accounts', undefined, { pem: other })).toMatchObject({
      status: 401,
      text: 'Unauthorized',
    });
    expect(await call('GET', '/accounts', undefined, { keyName: 'organizations/x/apiKeys/y' })).toMatchObject(
      {
        status: 401,
      },
    );
    expect(await call('GET', '/accounts', undefined, { nowS: Date.now() / 1000 - 600 })).toMatchObject({
      status: 401,
    });
    expect(sims.venues.coinbase!.privateApi.counters.authFailures).toBe(3);
    expect((await call('GET', '/accounts')).status).toBe(200);
  });

  it("refuses creates with Coinbase's failure reasons; a malformed body is INVALID_ARGUMENT", async () => {
    const failure = async (body: unknown) =>
      ((await call('POST', '/orders', body)).json!.error_response as { new_order_failure_reason: string })
        .new_order_failure_reason;
    expect(await failure(create({ product_id: 'NOPE-USD' }))).toBe('INVALID_PRODUCT_ID');
    expect(
      await failure(
        create({ order_configuration: { limit_limit_gtc: { base_size: '100000000', limit_price: '1' } } }),
      ),
    ).toBe('INSUFFICIENT_FUND');
    expect(
      await failure(
        create({
          order_configuration: {
            limit_limit_gtc: {
              base_size: '0.001',
              limit_price: truth.price(truth.book.bestAsk()),
              post_only: true,
            },
          },
        }),
      ),
    ).toBe('INVALID_LIMIT_PRICE_POST_ONLY');
    const api = sims.venues.coinbase!.privateApi;
    api.rejectNextOrder();
    expect(await failure(create())).toBe('INSUFFICIENT_FUND');
    expect(api.faults.injected.reject).toBe(1);
    expect(await call('POST', '/orders', undefined, { raw: '{not json' })).toMatchObject({
      status: 400,
      json: { error: 'INVALID_ARGUMENT' },
    });
  });

  it('creates, lists, fills and batch-cancels', async () => {
    const resting = await call('POST', '/orders', create());
    expect(resting.json).toMatchObject({ success: true });
    const id = (resting.json!.success_response as { order_id: string }).order_id;
    const take = await call(
      'POST',
      '/orders',
      create({ order_configuration: { market_market_ioc: { base_size: '0.001' } } }),
    );
    expect(take.json).toMatchObject({ success: true });
    const fills = (await call('GET', `/orders/historical/fills?product_ids=${truth.venueSymbol}`)).json!
      .fills as unknown[];
    expect(fills.length).toBeGreaterThan(0);
    const open = (await call('GET', '/orders/historical/batch?order_status=OPEN')).json!.orders as {
      order_id: string;
    }[];
    expect(open.map((o) => o.order_id)).toEqual([id]);
    const cancel = await call('POST', '/orders/batch_cancel', { order_ids: [id, 'no-such-order'] });
    expect(cancel.json!.results).toEqual([
      expect.objectContaining({ success: true, order_id: id }),
      expect.objectContaining({ success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER' }),
    ]);
    expect((await call('GET', `/orders/historical/${id}`)).json!.order).toMatchObject({
      status: 'CANCELLED',
    });
  });
});
