import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bybitAuthHeaders, bybitWsAuthSignature } from '../../../../fargate/execution/bybit/sign.ts';
import { loadLocalAccounts } from '../../../../local/exchanges/private/local-accounts.ts';
import { type Simulators, startSimulators } from '../../../../local/exchanges/start-simulators.ts';

const account = loadLocalAccounts().bybit;

interface Answer {
  retCode: number;
  retMsg: string;
  result: Record<string, unknown>;
}

describe('simulated Bybit v5 private API', () => {
  let sims: Simulators;
  let base: string;
  let wsUrl: string;
  beforeAll(async () => {
    sims = await startSimulators({ venues: ['bybit'], source: 'synthetic', symbols: 2, autoStart: false });
    sims.synthetic('bybit')!.stepMany(50);
    base = sims.urls.bybit!.rest;
    wsUrl = sims.urls.bybit!.ws.replace(/\/v5\/public\/linear$/, '/v5/private');
  });
  afterAll(() => sims.close());

  const api = () => sims.venues.bybit!.privateApi;
  const truth = () => sims.venues.bybit!.market.get('SYN1USDT')!;
  const px = (units: number) => (units / 100).toFixed(2);

  async function call(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, unknown>,
    o: { key?: string; secret?: string; tsOffset?: number; rawBody?: string } = {},
  ): Promise<{ headers: Headers; body: Answer }> {
    const query = method === 'GET' ? new URLSearchParams(params as Record<string, string>).toString() : '';
    const body = method === 'POST' ? (o.rawBody ?? JSON.stringify(params)) : '';
    const headers = bybitAuthHeaders(
      o.key ?? account.apiKey,
      o.secret ?? account.apiSecret,
      Date.now() + (o.tsOffset ?? 0),
      5000,
      method === 'GET' ? query : body,
    );
    const res = await fetch(`${base}${path}${query ? `?${query}` : ''}`, {
      method,
      headers: { ...headers, 'Content-Type': 'application/json' },
      ...(method === 'POST' ? { body } : {}),
    });
    expect(res.status).toBe(200);
    return { headers: res.headers, body: (await res.json()) as Answer };
  }

  const limitBuy = (over: Record<string, unknown> = {}) => ({
    category: 'linear',
    symbol: 'SYN1USDT',
    side: 'Buy',
    orderType: 'Limit',
    qty: '0.01',
    price: px(truth().book.bestBid() - 50),
    timeInForce: 'GTC',
    ...over,
  });

  it('refuses with Bybit retCodes: key, timestamp, signature, parameters, filters, balance, duplicates', async () => {
    // More creates than one second's limit of 10 go out here.
    api().limits.perSecond['/v5/order/create'] = 1000;
    const cases: Array<[Promise<{ body: Answer }>, number, RegExp]> = [
      [
        call('POST', '/v5/order/create', limitBuy(), { key: 'nobody-knows-this-key' }),
        10003,
        /API key is invalid/,
      ],
      [call('POST', '/v5/order/create', limitBuy(), { tsOffset: 2000 }), 10002, /recv_window/],
      [call('POST', '/v5/order/create', limitBuy(), { tsOffset: -6000 }), 10002, /recv_window/],
      [
        call('POST', '/v5/order/create', limitBuy(), { secret: 'not-the-secret-at-all' }),
        10004,
        /Error sign/,
      ],
      [call('POST', '/v5/order/create', limitBuy({ side: 'BUY' })), 10001, /Side invalid/],
      [call('POST', '/v5/order/create', limitBuy({ category: 'option' })), 10001, /category/],
      [call('POST', '/v5/order/create', {}, { rawBody: '{not json' }), 10001, /JSON/],
      [call('POST', '/v5/order/create', limitBuy({ qty: '1000000' })), 110007, /ab not enough/],
      [call('POST', '/v5/order/create', limitBuy({ qty: '0.00001' })), 110017, /truncated to zero/],
      [
        call('POST', '/v5/order/create', limitBuy({ category: 'spot', qty: '0.00001' })),
        170137,
        /too many decimals/,
      ],
      [call('POST', '/v5/order/create', limitBuy({ category: 'spot', price: '1.001' })), 170134, /price/],
      [
        call('POST', '/v5/order/create', limitBuy({ category: 'spot', qty: '100000' })),
        170131,
        /Insufficient/,
      ],
      [
        call('POST', '/v5/order/cancel', { category: 'linear', symbol: 'SYN1USDT', orderLinkId: 'none' }),
        110001,
        /not exists/,
      ],
      [
        call('POST', '/v5/order/cancel', { category: 'spot', symbol: 'SYN1USDT', orderLinkId: 'none' }),
        170213,
        /does not exist/,
      ],
      [call('POST', '/v5/order/create', limitBuy({ side: 'Sell', reduceOnly: true })), 110017, /Reduce-only/],
    ];
    for (const [p, retCode, msg] of cases) {
      const { body } = await p;
      expect([body.retCode, body.retMsg]).toEqual([retCode, expect.stringMatching(msg)]);
      expect(body.retMsg).not.toContain(account.apiSecret);
    }
    const first = await call('POST', '/v5/order/create', limitBuy({ orderLinkId: 'dup-1' }));
    expect(first.body.retCode).toBe(0);
    const again = await call('POST', '/v5/order/create', limitBuy({ orderLinkId: 'dup-1' }));
    expect([again.body.retCode, again.body.retMsg]).toEqual([110072, 'OrderLinkedID is duplicate']);
    await call('POST', '/v5/order/cancel-all', { category: 'linear', symbol: 'SYN1USDT' });
    api().limits.perSecond['/v5/order/create'] = 10;
  });

  it('answers the server time unsigned, in seconds and nanoseconds', async () => {
    const before = Date.now();
    const res = await fetch(`${base}/v5/market/time`);
    const body = (await res.json()) as { retCode: number; result: { timeSecond: string; timeNano: string } };
    expect(body.retCode).toBe(0);
    const ms = Number(body.result.timeNano.slice(0, -6));
    expect(ms).toBeGreaterThanOrEqual(before - 5);
    expect(Math.floor(ms / 1000)).toBe(Number(body.result.timeSecond));
  });

  it('reports the per-endpoint limit in X-Bapi-Limit* and refuses past it with 10006', async () => {
    api().limits.perSecond['/v5/account/wallet-balance'] = 2;
    try {
      // Start at the top of a second so all three calls share one window.
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
      const answers = [];
      for (let i = 0; i < 3; i++)
        answers.push(await call('GET', '/v5/account/wallet-balance', { accountType: 'UNIFIED' }));
      expect(answers.map((a) => a.headers.get('x-bapi-limit'))).toEqual(['2', '2', '2']);
      expect(answers.map((a) => a.headers.get('x-bapi-limit-status'))).toEqual(['1', '0', '0']);
      expect(Number(answers[0]!.headers.get('x-bapi-limit-reset-timestamp')) % 1000).toBe(0);
      expect(answers.map((a) => a.body.retCode)).toEqual([0, 0, 10006]);
      expect(answers[2]!.body.retMsg).toBe('Too many visits!');
      expect(api().limits.throttled).toBeGreaterThan(0);
    } finally {
      delete api().limits.perSecond['/v5/account/wallet-balance'];
    }
  });

  it('a PostOnly order that would take is accepted, then cancelled with EC_PostOnlyWillTakeLiquidity', async () => {
    const placed = await call(
      'POST',
      '/v5/order/create',
      limitBuy({ price: px(truth().book.bestAsk()), timeInForce: 'PostOnly', orderLinkId: 'po-take' }),
    );
    expect(placed.body.retCode).toBe(0);
    const q = await call('GET', '/v5/order/realtime', {
      category: 'linear',
      symbol: 'SYN1USDT',
      orderLinkId: 'po-take',
    });
    expect(q.body.result.list).toEqual([
      expect.objectContaining({ orderStatus: 'Cancelled', rejectReason: 'EC_PostOnlyWillTakeLiquidity' }),
    ]);
  });

  async function privateStream(
    secret = account.apiSecret,
  ): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>> }> {
    const ws = new WebSocket(wsUrl);
    const frames: Array<Record<string, unknown>> = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>));
    await new Promise((r) => ws.once('open', r));
    const expires = Date.now() + 5000;
    ws.send(
      JSON.stringify({
        req_id: 'a',
        op: 'auth',
        args: [account.apiKey, expires, bybitWsAuthSignature(secret, expires)],
      }),
    );
    return { ws, frames };
  }

  async function waitFor<T>(get: () => T | undefined, what: string): Promise<T> {
    const end = Date.now() + 2000;
    for (;;) {
      const v = get();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('private stream: auth, subscribe, pushes order and execution records, ping → pong', async () => {
    const { ws, frames } = await privateStream();
    await waitFor(() => frames.find((f) => f.op === 'auth'), 'auth reply');
    expect(frames[0]).toMatchObject({ op: 'auth', success: true, req_id: 'a' });
    ws.send(JSON.stringify({ req_id: 's', op: 'subscribe', args: ['order', 'execution.linear'] }));
    await waitFor(() => frames.find((f) => f.op === 'subscribe'), 'subscribe reply');
    const placed = await call(
      'POST',
      '/v5/order/create',
      limitBuy({ price: px(truth().book.bestAsk()), timeInForce: 'IOC', orderLinkId: 'stream-1' }),
    );
    expect(placed.body.retCode).toBe(0);
    const exec = await waitFor(() => frames.find((f) => f.topic === 'execution.linear'), 'execution push');
    expect((exec.data as unknown[])[0]).toMatchObject({
      orderLinkId: 'stream-1',
      execType: 'Trade',
      category: 'linear',
    });
    const statuses = await waitFor(() => {
      const s = frames
        .filter((f) => f.topic === 'order')
        .map((f) => (f.data as Array<{ orderStatus: string }>)[0]!.orderStatus);
      return s.includes('Filled') || s.includes('Cancelled') ? s : undefined;
    }, 'the final order push');
    expect(statuses[0]).toBe('New');
    ws.send(JSON.stringify({ req_id: 'p', op: 'ping' }));
    const pong = await waitFor(() => frames.find((f) => f.op === 'pong'), 'pong');
    expect(pong).toMatchObject({ req_id: 'p', args: [expect.stringMatching(/^\d+$/)] });
    ws.close();
  });

  it('private stream: a bad signature and a subscribe before auth are refused', async () => {
    const { ws, frames } = await privateStream('not-the-secret-at-all');
    await waitFor(() => frames.find((f) => f.op === 'auth'), 'auth reply');
    expect(frames[0]).toMatchObject({ op: 'auth', success: false, ret_msg: 'error sign!' });
    ws.send(JSON.stringify({ op: 'subscribe', args: ['order'] }));
    const sub = await waitFor(() => frames.find((f) => f.op === 'subscribe'), 'subscribe reply');
    expect(sub).toMatchObject({ success: false, ret_msg: 'Request not authorized' });
    expect(api().counters.streamAuthFailures).toBeGreaterThan(0);
    ws.close();
  });

  it('disconnect-cancel: the window is 3–300 s, an unsubscribe starts no window, a drop does', async () => {
    const bad = await call('POST', '/v5/order/disconnected-cancel-all', {
      product: 'DERIVATIVES',
      timeWindow: 2,
    });
    expect(bad.body.retCode).toBe(10001);
    const set = await call('POST', '/v5/order/disconnected-cancel-all', {
      product: 'DERIVATIVES',
      timeWindow: 7,
    });
    expect(set.body.retCode).toBe(0);
    const info = await call('GET', '/v5/account/query-dcp-info', {});
    expect(info.body.result.dcpInfos).toContainEqual({
      product: 'DERIVATIVES',
      dcpStatus: 'ON',
      timeWindow: '7',
    });
    const clean = await privateStream();
    clean.ws.send(JSON.stringify({ op: 'subscribe', args: ['dcp.future'] }));
    await waitFor(() => clean.frames.find((f) => f.op === 'subscribe' && f.success === true), 'subscribe');
    clean.ws.send(JSON.stringify({ op: 'unsubscribe', args: ['dcp.future'] }));
    await waitFor(() => clean.frames.find((f) => f.op === 'unsubscribe'), 'unsubscribe');
    clean.ws.close();
    const dropped = await privateStream();
    dropped.ws.send(JSON.stringify({ op: 'subscribe', args: ['dcp.future'] }));
    await waitFor(() => dropped.frames.find((f) => f.op === 'subscribe' && f.success === true), 'subscribe');
    expect(api().dcp.pending).toBe(0);
    dropped.ws.terminate();
    await waitFor(() => (api().dcp.pending === 1 ? true : undefined), 'the window');
    // A new guard before the window ends stops it.
    const back = await privateStream();
    back.ws.send(JSON.stringify({ op: 'subscribe', args: ['dcp.future'] }));
    await waitFor(() => (api().dcp.pending === 0 ? true : undefined), 'the window to stop');
    expect(api().dcp.fired).toBe(0);
    back.ws.send(JSON.stringify({ op: 'unsubscribe', args: ['dcp.future'] }));
    await waitFor(() => back.frames.find((f) => f.op === 'unsubscribe'), 'unsubscribe');
    back.ws.close();
  });
});
