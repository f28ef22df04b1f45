import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalAccounts } from '../../../../local/exchanges/private/local-accounts.ts';
import { type Simulators, startSimulators } from '../../../../local/exchanges/start-simulators.ts';

const accounts = loadLocalAccounts();
const spot = accounts.binance;

describe('simulated Binance spot private API', () => {
  let sims: Simulators;
  let base: string;
  beforeAll(async () => {
    sims = await startSimulators({ venues: ['binance'], source: 'synthetic', symbols: 2, autoStart: false });
    sims.synthetic('binance')!.stepMany(50);
    base = sims.urls.binance!.rest;
  });
  afterAll(() => sims.close());

  async function call(
    method: string,
    path: string,
    params: Record<string, string>,
    o: { key?: string | null; secret?: string; tsOffset?: number; body?: Record<string, string> } = {},
  ) {
    const q = new URLSearchParams({
      ...params,
      timestamp: String(Date.now() + (o.tsOffset ?? 0)),
    }).toString();
    const body = o.body ? new URLSearchParams(o.body).toString() : '';
    const sig = createHmac('sha256', o.secret ?? spot.apiSecret)
      .update(q + body)
      .digest('hex');
    const headers: Record<string, string> = {};
    if (o.key !== null) headers['X-MBX-APIKEY'] = o.key ?? spot.apiKey;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${base}${path}?${q}&signature=${sig}`, {
      method,
      headers,
      ...(body ? { body } : {}),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  const truth = () => sims.venues.binance!.market.get('SYN1USDT')!;
  const px = (units: number) => (units / 100).toFixed(2);

  it('refuses with Binance codes: key, timestamp, signature, parameters, filters, balance', async () => {
    const limit = {
      symbol: 'SYN1USDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: px(truth().book.bestBid() - 50),
    };
    const cases: Array<[Promise<{ status: number; body: Record<string, unknown> }>, number, number, string]> =
      [
        [call('POST', '/api/v3/order', limit, { key: null }), 401, -2014, 'API-key format invalid.'],
        [
          call('POST', '/api/v3/order', limit, { key: 'nobody-knows-this-key' }),
          401,
          -2015,
          'Invalid API-key, IP, or permissions for action.',
        ],
        [
          call('POST', '/api/v3/order', limit, { tsOffset: 2000 }),
          400,
          -1021,
          "Timestamp for this request was 1000ms ahead of the server's time.",
        ],
        [
          call('POST', '/api/v3/order', limit, { tsOffset: -6000 }),
          400,
          -1021,
          'Timestamp for this request is outside of the recvWindow.',
        ],
        [
          call('POST', '/api/v3/order', limit, { secret: 'not-the-secret' }),
          400,
          -1022,
          'Signature for this request is not valid.',
        ],
        [
          call('POST', '/api/v3/order', { ...limit, side: '' }),
          400,
          -1102,
          "Mandatory parameter 'side' was not sent, was empty/null, or malformed.",
        ],
        [call('POST', '/api/v3/order', { ...limit, quantity: '1e-3' }), 400, -1100, ''],
        [call('POST', '/api/v3/order', { ...limit, symbol: 'NOPE' }), 400, -1121, 'Invalid symbol.'],
        [
          call('POST', '/api/v3/order', { ...limit, price: `${px(truth().book.bestBid() - 50)}1` }),
          400,
          -1013,
          'Filter failure: PRICE_FILTER',
        ],
        [
          call('POST', '/api/v3/order', { ...limit, quantity: '0.00001' }),
          400,
          -1013,
          'Filter failure: LOT_SIZE',
        ],
        [
          call('POST', '/api/v3/order', { ...limit, quantity: '100000' }),
          400,
          -2010,
          'Account has insufficient balance for requested action.',
        ],
        [
          call('DELETE', '/api/v3/order', { symbol: 'SYN1USDT', origClientOrderId: 'never-sent' }),
          400,
          -2013,
          'Order does not exist.',
        ],
      ];
    for (const [p, status, code, msg] of cases) {
      const r = await p;
      expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
      if (msg) expect(r.body.msg).toBe(msg);
    }
    expect(sims.venues.binance!.privateApi.counters.authFailures).toBeGreaterThanOrEqual(5);
  });

  it('places (form body signed after the query), reports weight and order counts, shows /sim/state', async () => {
    const r = await call(
      'POST',
      '/api/v3/order',
      {},
      {
        body: {
          symbol: 'SYN1USDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.001',
          price: px(truth().book.bestBid() - 50),
          newClientOrderId: 'form-1',
        },
      },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      symbol: 'SYN1USDT',
      clientOrderId: 'form-1',
      status: 'NEW',
      origQty: '0.001',
    });
    expect(Number(r.headers.get('x-mbx-used-weight-1m'))).toBeGreaterThan(0);
    expect(r.headers.get('x-mbx-order-count-10s')).not.toBeNull();
    expect(r.headers.get('x-mbx-order-count-1d')).not.toBeNull();
    const state = (await (await fetch(`${base}/sim/state`)).json()) as {
      accounts: Record<
        string,
        { openOrders: Array<{ clientOrderId: string }>; balances: Record<string, { locked: string }> }
      >;
    };
    const mine = state.accounts[spot.apiKey]!;
    expect(mine.openOrders.map((o) => o.clientOrderId)).toContain('form-1');
    expect(Number(mine.balances.USDT!.locked)).toBeGreaterThan(0);
    const dup = await call('POST', '/api/v3/order', {
      symbol: 'SYN1USDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: px(truth().book.bestBid() - 50),
      newClientOrderId: 'form-1',
    });
    expect(dup.body).toMatchObject({ code: -2010, msg: 'Duplicate order sent.' });
    const canceled = await call('DELETE', '/api/v3/openOrders', { symbol: 'SYN1USDT' });
    expect(canceled.status).toBe(200);
    const after = (await (await fetch(`${base}/sim/state`)).json()) as typeof state;
    expect(after.accounts[spot.apiKey]!.openOrders).toHaveLength(0);
    expect(after.accounts[spot.apiKey]!.balances.USDT!.locked).toBe('0');
  });

  it('a marketable order fills against the replayed book at the book price, charging the taker fee', async () => {
    const ask = truth().book.bestAsk();
    const r = await call('POST', '/api/v3/order', {
      symbol: 'SYN1USDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: '0.001',
      price: px(ask + 100),
    });
    expect(r.body.status === 'FILLED' || r.body.status === 'EXPIRED').toBe(true);
    const trades = await call('GET', '/api/v3/myTrades', {
      symbol: 'SYN1USDT',
      orderId: String(r.body.orderId),
    });
    const list = trades.body as unknown as Array<{ price: string; commission: string; isMaker: boolean }>;
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]!.price).toBe(px(ask).replace(/\.?0+$/, ''));
    expect(list[0]!.isMaker).toBe(false);
    expect(Number(list[0]!.commission)).toBeGreaterThan(0);
  });

  it('past the weight limit: 429, -1003 and Retry-After', async () => {
    const limits = sims.venues.binance!.privateApi.limits;
    const saved = limits.weightPerMinute;
    limits.weightPerMinute = 0;
    try {
      const r = await call('GET', '/api/v3/openOrders', { symbol: 'SYN1USDT' });
      expect(r.status).toBe(429);
      expect(r.body.code).toBe(-1003);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      limits.weightPerMinute = saved;
    }
    limits.ordersPer10s = 0;
    try {
      const r = await call('POST', '/api/v3/order', {
        symbol: 'SYN1USDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '1.00',
      });
      expect(r.status).toBe(429);
      expect(r.body.code).toBe(-1015);
    } finally {
      limits.ordersPer10s = 100;
    }
  });
});

describe('simulated Binance USD-M private API', () => {
  it('listenKey needs the key only; the stream path refuses an unknown listenKey', async () => {
    const sims = await startSimulators({
      venues: ['binance-futures'],
      source: 'synthetic',
      symbols: 1,
      autoStart: false,
    });
    try {
      const base = sims.urls['binance-futures']!.rest;
      const res = await fetch(`${base}/fapi/v1/listenKey`, {
        method: 'POST',
        headers: { 'X-MBX-APIKEY': accounts['binance-futures'].apiKey },
      });
      const { listenKey } = (await res.json()) as { listenKey: string };
      expect(listenKey).toMatch(/^sim/);
      const api = sims.venues['binance-futures']!.privateApi;
      expect(api.acceptsStream(new URL(`ws://x/private/ws?listenKey=${listenKey}`))).toBe(true);
      expect(api.acceptsStream(new URL('ws://x/private/ws?listenKey=forged'))).toBe(false);
      const state = (await (await fetch(`${base}/sim/state`)).json()) as {
        accounts: Record<string, { positions: unknown[] }>;
      };
      expect(state.accounts[accounts['binance-futures'].apiKey]!.positions).toEqual([]);
    } finally {
      await sims.close();
    }
  });
});
