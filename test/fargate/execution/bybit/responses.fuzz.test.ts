/**
 * The Bybit adapter under hostile venue messages: private-stream pushes (`order`, `execution`) and
 * REST answers (create, execution list, order realtime, positions, wallet balance) with fields of
 * the wrong type, missing, huge, non-numeric or nested. Nothing throws out of the adapter; every
 * fill it reports has exact positive integer price and size read from the message's decimal
 * strings and an integer timestamp; account answers carry integers or the NaN rejection sentinel.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { type CheckedMint, claimCheckedMint } from '../../../../core/risk/order-check.ts';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import type { ExecutionReports } from '../../../../core/trading/execution-venue.ts';
import { BybitRest } from '../../../../fargate/execution/bybit/bybit-rest.ts';
import { BybitVenue } from '../../../../fargate/execution/bybit/bybit-venue.ts';
import { BybitEndpointLimits } from '../../../../fargate/execution/bybit/endpoint-limits.ts';
import { VenueRequestError } from '../../../../fargate/execution/execution-outcome.ts';
import { SecretRedactor } from '../../../../fargate/execution/redact-secrets.ts';
import { ServerClock } from '../../../../fargate/execution/server-clock.ts';
import { hostileValue, mutatedObjects } from '../../../support/hostile-values.ts';

const mint = claimCheckedMint() as CheckedMint;
const PRICE_SCALE = 1;
const SIZE_SCALE = 3;
const BTC = makeInstrument({
  exchange: 'bybit',
  venueSymbol: 'BTCUSDT',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  kind: 'perp',
  priceScale: PRICE_SCALE,
  sizeScale: SIZE_SCALE,
});

interface Fill {
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
  readonly ts: number;
}

type Answers = Record<string, unknown>;

async function placed(answers: Answers) {
  const fills: Fill[] = [];
  const reports = {
    accepted: () => {},
    filled: (_id: number, tradeId: string, price: number, size: number, _fee, _asset, _maker, ts: number) =>
      fills.push({ tradeId, price, size, ts }),
    canceled: () => {},
    rejected: () => {},
    amended: () => {},
    requestRejected: () => {},
    expired: () => {},
  } satisfies ExecutionReports;
  const rest = {
    banned: false,
    signed: async (_method: string, path: string) => answers[path],
  } as unknown as BybitRest;
  const venue = new BybitVenue({ rest, instruments: [BTC], nowMicros: () => 1_700_000_000_000_000 });
  venue.connect(reports);
  venue.submit(
    mint.order({
      id: 1,
      instrument: 0,
      side: 'buy',
      type: 'limit',
      price: 640_001,
      size: 1_000,
      postOnly: false,
      ioc: false,
    }),
    'c-1',
    0,
  );
  await venue.settled();
  return { venue, fills };
}

const execution = {
  symbol: 'BTCUSDT',
  orderId: 'o-7',
  orderLinkId: 'c-1',
  execId: 'e-1',
  execType: 'Trade',
  side: 'Buy',
  execPrice: '64000.1',
  execQty: '0.001',
  execFee: '0.01',
  feeCurrency: '',
  isMaker: true,
  execTime: '1700000000000',
};

const order = {
  symbol: 'BTCUSDT',
  orderId: 'o-7',
  orderLinkId: 'c-1',
  orderStatus: 'PartiallyFilled',
  rejectReason: 'EC_NoError',
  timeInForce: 'GTC',
  side: 'Buy',
  orderType: 'Limit',
  price: '64000.1',
  qty: '0.010',
  cumExecQty: '0.001',
};

const position = { symbol: 'BTCUSDT', side: 'Buy', size: '0.001', avgPrice: '64000.1' };
const wallet = { coin: [{ coin: 'USDT', walletBalance: '100.5', locked: '1', totalOrderIM: '2' }] };

/** `{ result: { list } }` as the REST client hands it over (`result`), mutated at every level. */
const listResult = (base: Record<string, unknown>) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .array(fc.oneof(mutatedObjects(base, 3), fc.constant(base), hostileValue), { maxLength: 4 })
        .map((list) => ({ list })),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        hostileValue,
        hostileValue.map((list) => ({ list })),
      ),
    },
  );

function expectExact(fill: Fill, priceText: unknown, sizeText: unknown): void {
  expect(typeof priceText).toBe('string');
  expect(typeof sizeText).toBe('string');
  expect(fill.price).toBe(parseDecimal(priceText as string, PRICE_SCALE));
  expect(fill.size).toBe(parseDecimal(sizeText as string, SIZE_SCALE));
  expect(Number.isSafeInteger(fill.price) && fill.price > 0).toBe(true);
  expect(Number.isSafeInteger(fill.size) && fill.size > 0).toBe(true);
  expect(Number.isSafeInteger(fill.ts) && fill.ts > 0).toBe(true);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The execution a fill came from: its id, and decimal strings that read exactly as the fill. */
function exactSource(items: readonly unknown[], f: Fill): Record<string, unknown> | undefined {
  return items.find(
    (r): r is Record<string, unknown> =>
      isRecord(r) &&
      r.execId === f.tradeId &&
      typeof r.execPrice === 'string' &&
      typeof r.execQty === 'string' &&
      parseDecimal(r.execPrice, PRICE_SCALE) === f.price &&
      parseDecimal(r.execQty, SIZE_SCALE) === f.size,
  );
}

const integerOrNaN = (v: number) => Number.isNaN(v) || Number.isSafeInteger(v);

describe('BybitVenue under hostile venue messages', () => {
  it('stream pushes: no throw; every fill exact, from the push’s decimal strings', async () => {
    let filled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc
              .array(fc.oneof(mutatedObjects(execution, 3), fc.constant(execution), hostileValue), {
                maxLength: 3,
              })
              .map((data) => ({ topic: 'execution', data })),
            fc
              .array(fc.oneof(mutatedObjects(order, 3), hostileValue), { maxLength: 3 })
              .map((data) => ({ topic: 'order', data })),
            mutatedObjects({ topic: 'execution', data: [execution] }, 2),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (frames) => {
          const { venue, fills } = await placed({});
          for (const frame of frames) {
            const before = fills.length;
            venue.onStreamFrame(frame);
            const data = Array.isArray(frame.data) ? (frame.data as unknown[]) : [];
            for (const f of fills.slice(before)) {
              const source = exactSource(data, f);
              expect(
                source,
                `fill ${JSON.stringify(f)} has no execution with that exact decimal text`,
              ).toBeDefined();
              expectExact(f, source!.execPrice, source!.execQty);
            }
          }
          filled += fills.length;
        },
      ),
      { seed: 20261207, numRuns: 300 },
    );
    expect(filled).toBeGreaterThan(0);
  });

  it('REST answers: recovery and account queries never throw; fills exact, numbers integer or NaN', async () => {
    let filled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          create: fc.oneof(mutatedObjects({ orderId: 'o-7', orderLinkId: 'c-1' }, 2), hostileValue),
          executions: listResult(execution),
          orders: listResult(order),
          positions: listResult(position),
          balances: listResult(wallet),
        }),
        async (a) => {
          const { venue, fills } = await placed({
            '/v5/order/create': a.create,
            '/v5/execution/list': a.executions,
            '/v5/order/realtime': a.orders,
            '/v5/position/list': a.positions,
            '/v5/account/wallet-balance': a.balances,
          });
          await venue.recover();
          const list = isRecord(a.executions) ? a.executions.list : undefined;
          const execs = Array.isArray(list) ? (list as unknown[]) : [];
          for (const f of fills) {
            const source = exactSource(execs, f);
            expect(
              source,
              `fill ${JSON.stringify(f)} has no execution with that exact decimal text`,
            ).toBeDefined();
            expectExact(f, source!.execPrice, source!.execQty);
          }
          filled += fills.length;
          for (const o of await venue.openOrders())
            expect(integerOrNaN(o.price) && integerOrNaN(o.size) && integerOrNaN(o.filled)).toBe(true);
          for (const f of await venue.fills(0)) {
            expect(integerOrNaN(f.price) && integerOrNaN(f.size)).toBe(true);
            expect(Number.isSafeInteger(f.timeMs)).toBe(true);
          }
          for (const p of await venue.positions()) expect(Number.isSafeInteger(p.size)).toBe(true);
          for (const b of await venue.balances()) {
            expect(b.free).toMatch(/^-?\d+(\.\d+)?$/);
            expect(b.locked).toMatch(/^-?\d+(\.\d+)?$/);
          }
        },
      ),
      { seed: 20261209, numRuns: 300 },
    );
    expect(filled).toBeGreaterThan(0);
  });
});

const SECRET = 'fuzz-secret-0123456789abcdef';
const KEY = 'fuzz-key-abcdef0123456789';
const WALL = 1_700_000_000_000;

/** An HTTP answer as hostile as fetch can hand over: any status, limit headers and body, or a body that breaks mid-read. */
const httpAnswerArb = fc.record({
  status: fc.oneof(fc.constantFrom(200, 400, 401, 403, 429, 500, 503), fc.integer({ min: 200, max: 599 })),
  body: fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.json({ maxDepth: 3 }),
    fc
      .record({
        retCode: hostileValue,
        retMsg: fc.oneof(hostileValue, fc.constant(`key ${KEY} secret ${SECRET}`)),
        result: hostileValue,
      })
      .map((b) => JSON.stringify(b)),
    fc.constantFrom(
      '{"retCode":10002,"retMsg":"recv_window"}',
      '{"retCode":0,"result":{"timeNano":"x"}}',
      '{"retCode":0}',
      '{"retCode":10006,"retMsg":"too many"}',
      '',
    ),
  ),
  limitHeaders: fc.boolean(),
  limitValue: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('1e400', '-5', 'NaN', '0x10', '')),
  breaks: fc.boolean(),
});

const plain = {
  status: 200,
  body: '{"retCode":0,"result":{}}',
  limitHeaders: false,
  limitValue: '',
  breaks: false,
};

type HttpAnswer = typeof httpAnswerArb extends fc.Arbitrary<infer T> ? T : never;

/** After a 10002 come the time request and the retry: their answers throttle nothing. */
const unthrottled = httpAnswerArb.map((a) => ({
  ...a,
  status: a.status === 403 || a.status === 429 ? 400 : a.status,
  body: a.body.includes('10006') ? '' : a.body,
  limitHeaders: false,
}));

function responseOf(a: HttpAnswer): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (a.limitHeaders) {
    headers['x-bapi-limit'] = a.limitValue;
    headers['x-bapi-limit-status'] = a.limitValue;
    headers['x-bapi-limit-reset-timestamp'] = a.limitValue;
  }
  const body = a.breaks
    ? new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(a.body.slice(0, 5)));
          controller.error(new Error(`socket hang up (${SECRET})`));
        },
      })
    : a.body;
  return new Response(body, { status: a.status, headers });
}

describe('BybitRest under hostile HTTP answers', () => {
  it('resolves with the result or rejects with a typed VenueRequestError, bounded and without secrets', async () => {
    let typed = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(httpAnswerArb, unthrottled, unthrottled), async (answers) => {
        const clock = new ManualClock(0);
        const redactor = new SecretRedactor();
        redactor.addSecret(SECRET);
        redactor.addSecret(KEY);
        const queue = [...answers];
        const logs: string[] = [];
        const rest = new BybitRest({
          baseUrl: 'http://venue',
          apiKey: KEY,
          apiSecret: SECRET,
          clock: new ServerClock({ nowMs: () => WALL }),
          limits: new BybitEndpointLimits(clock, () => WALL),
          redactor,
          fetch: (async () => responseOf(queue.shift() ?? answers[0])) as unknown as typeof fetch,
          log: (l) => logs.push(l),
          wallNowMs: () => WALL,
        });
        try {
          await rest.signed('POST', '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT' });
        } catch (error) {
          expect(error).toBeInstanceOf(VenueRequestError);
          const e = error as VenueRequestError;
          expect(e.outcome.message.length).toBeLessThanOrEqual(400);
          expect(e.outcome.message).not.toContain(SECRET);
          expect(e.outcome.message).not.toContain(KEY);
          typed++;
        }
        for (const l of logs) expect(l.includes(SECRET) || l.includes(KEY)).toBe(false);
      }),
      {
        seed: 20261210,
        numRuns: 300,
        // A clock refusal whose resync finds no server time, and an answer that breaks mid-read.
        examples: [
          [
            [
              { ...plain, body: '{"retCode":10002,"retMsg":"recv_window"}' },
              { ...plain, body: '{"retCode":0,"result":{"timeNano":"x"}}' },
              plain,
            ],
          ],
          [[{ ...plain, breaks: true }, plain, plain]],
        ],
      },
    );
    expect(typed).toBeGreaterThan(100);
  });
});
