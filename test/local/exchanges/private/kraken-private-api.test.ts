/**
 * The simulated Kraken private REST: Kraken's own error strings for a bad signature, an unknown key,
 * a replayed nonce, a bad parameter, an unknown pair and insufficient funds; orders, trades and the
 * dead-man switch as a signed client sees them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeKrakenSecret, krakenSignature } from '../../../../fargate/execution/kraken/sign.ts';
import { loadLocalAccounts } from '../../../../local/exchanges/private/local-accounts.ts';
import { type Simulators, startSimulators } from '../../../../local/exchanges/start-simulators.ts';
import type { TruthBook } from '../../../../local/exchanges/truth/truth-book.ts';

const account = loadLocalAccounts().kraken;
let sims: Simulators;
let truth: TruthBook;
let nonce = Date.now() * 1000;

beforeEach(async () => {
  sims = await startSimulators({ venues: ['kraken'], source: 'synthetic', symbols: 1, autoStart: false });
  sims.synthetic('kraken')!.stepMany(50);
  truth = [...sims.venues.kraken!.market.symbols()][0]!;
});

afterEach(async () => {
  await sims.close();
});

async function call(
  method: string,
  params: Record<string, string>,
  opts: { key?: string; secret?: string; nonce?: number } = {},
): Promise<{ error: string[]; result?: Record<string, unknown> }> {
  const n = String(opts.nonce ?? ++nonce);
  const body = new URLSearchParams({ nonce: n, ...params }).toString();
  const path = `/0/private/${method}`;
  const sign = krakenSignature(decodeKrakenSecret(opts.secret ?? account.apiSecret), path, n, body);
  const res = await fetch(`${sims.urls.kraken!.rest}${path}`, {
    method: 'POST',
    headers: { 'API-Key': opts.key ?? account.apiKey, 'API-Sign': sign },
    body,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { error: string[]; result?: Record<string, unknown> };
}

const pair = (): string => truth.venueSymbol.replace('/', '');

describe('simulated Kraken private REST', () => {
  it("answers Kraken's auth errors: bad signature, unknown key, replayed nonce", async () => {
    const api = sims.venues.kraken!.privateApi;
    const other = Buffer.alloc(64, 3).toString('base64');
    expect((await call('BalanceEx', {}, { secret: other })).error).toEqual(['EAPI:Invalid signature']);
    expect((await call('BalanceEx', {}, { key: 'not-a-key-at-all' })).error).toEqual(['EAPI:Invalid key']);
    const n = ++nonce;
    expect((await call('BalanceEx', {}, { nonce: n })).error).toEqual([]);
    expect((await call('BalanceEx', {}, { nonce: n })).error).toEqual(['EAPI:Invalid nonce']);
    expect(api.counters.authFailures).toBe(3);
  });

  it('refuses bad parameters, unknown pairs and orders beyond the balance with Kraken strings', async () => {
    const price = truth.price(truth.book.bestBid() - 50);
    const base = { pair: pair(), type: 'buy', ordertype: 'limit', price };
    expect((await call('AddOrder', { ...base, volume: 'abc' })).error).toEqual([
      'EGeneral:Invalid arguments:volume',
    ]);
    expect((await call('AddOrder', { ...base, pair: 'NOPEUSD', volume: '1' })).error).toEqual([
      'EQuery:Unknown asset pair',
    ]);
    expect((await call('AddOrder', { ...base, volume: '100000000' })).error).toEqual([
      'EOrder:Insufficient funds',
    ]);
    expect((await call('CancelOrder', { txid: 'OAAAAA-BBBBB-CCCCCC' })).error).toEqual([
      'EOrder:Unknown order',
    ]);
  });

  it('places, lists, trades and cancels; the reject and dropped-fill faults fire and are counted', async () => {
    const api = sims.venues.kraken!.privateApi;
    const rest = await call('AddOrder', {
      pair: pair(),
      type: 'buy',
      ordertype: 'limit',
      price: truth.price(truth.book.bestBid() - 50),
      volume: '0.001',
      cl_ord_id: 'rest-1',
    });
    expect(rest.error).toEqual([]);
    const txid = (rest.result!.txid as string[])[0]!;
    const open = (await call('OpenOrders', {})).result!.open as Record<
      string,
      { cl_ord_id: string; status: string }
    >;
    expect(open[txid]).toMatchObject({ cl_ord_id: 'rest-1', status: 'open' });
    api.faults.dropNextFillMessage();
    const take = await call('AddOrder', { pair: pair(), type: 'buy', ordertype: 'market', volume: '0.001' });
    expect(take.error).toEqual([]);
    const takeTxid = (take.result!.txid as string[])[0]!;
    // The fault is the stream's (no subscriber here): the fill history lists the trade at once.
    const trades = (await call('TradesHistory', {})).result!.trades as Record<string, { ordertxid: string }>;
    expect(Object.values(trades).some((t) => t.ordertxid === takeTxid)).toBe(true);
    expect(api.faults.injected.dropped_fill).toBe(1);
    const q = (await call('QueryOrders', { txid: takeTxid })).result! as Record<string, { status: string }>;
    expect(q[takeTxid]!.status).toBe('closed');
    api.rejectNextOrder();
    expect(
      (await call('AddOrder', { pair: pair(), type: 'buy', ordertype: 'market', volume: '0.001' })).error,
    ).toEqual(['EOrder:Insufficient funds']);
    expect(api.faults.injected.reject).toBe(1);
    expect((await call('CancelOrder', { txid: 'rest-1' })).result).toEqual({ count: 1 });
    expect((await call('QueryOrders', { txid })).result![txid]).toMatchObject({ status: 'canceled' });
  });

  it('CancelAllOrdersAfter cancels everything when its timer runs out; timeout 0 disarms it', async () => {
    const add = () =>
      call('AddOrder', {
        pair: pair(),
        type: 'buy',
        ordertype: 'limit',
        price: truth.price(truth.book.bestBid() - 50),
        volume: '0.001',
      });
    await add();
    const armed = (await call('CancelAllOrdersAfter', { timeout: '0' })).result!;
    expect(armed.triggerTime).toBe('0');
    const r = (await call('CancelAllOrdersAfter', { timeout: '1' })).result!;
    expect(Date.parse(String(r.triggerTime)) - Date.parse(String(r.currentTime))).toBe(1000);
    expect(Object.keys((await call('OpenOrders', {})).result!.open as object)).toHaveLength(1);
    const end = Date.now() + 3000;
    while (Object.keys((await call('OpenOrders', {})).result!.open as object).length > 0) {
      if (Date.now() > end) throw new Error('the switch did not fire');
      await new Promise((res) => setTimeout(res, 50));
    }
  });
});
