/**
 * The Binance adapter under hostile venue messages: user-stream execution events (spot
 * `executionReport`, USD-M `ORDER_TRADE_UPDATE.o`) and REST answers (order, trades, open orders,
 * positions, balances) with fields of the wrong type, missing, huge, non-numeric or nested. Nothing
 * throws out of the adapter; every fill it reports has exact positive integer price and size read
 * from a decimal string of the message (never a JSON number, which a double has already rounded)
 * and an integer timestamp; account answers carry integers or the NaN rejection sentinel, never a
 * float.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeInstrument } from '../../../../core/market/instrument.ts';
import { parseDecimal } from '../../../../core/num/parse-decimal.ts';
import { type CheckedMint, claimCheckedMint } from '../../../../core/risk/order-check.ts';
import { ManualClock } from '../../../../core/time/manual-clock.ts';
import type { ExecutionReports } from '../../../../core/trading/execution-venue.ts';
import type { JsonObject } from '../../../../core/venues/wire-guards.ts';
import { SPOT, USD_M } from '../../../../fargate/execution/binance/binance-market.ts';
import { BinanceRest } from '../../../../fargate/execution/binance/binance-rest.ts';
import { BinanceVenue } from '../../../../fargate/execution/binance/binance-venue.ts';
import { hmacSigner } from '../../../../fargate/execution/binance/sign.ts';
import { VenueRequestError } from '../../../../fargate/execution/execution-outcome.ts';
import { RateLimitGovernor } from '../../../../fargate/execution/rate-limit-governor.ts';
import { SecretRedactor } from '../../../../fargate/execution/redact-secrets.ts';
import { ServerClock } from '../../../../fargate/execution/server-clock.ts';
import { WeightedLimiter } from '../../../../fargate/rate-limit/weighted-limiter.ts';
import { hostileValue, mutatedObjects } from '../../../support/hostile-values.ts';

const mint = claimCheckedMint() as CheckedMint;

const instrumentOf = (futures: boolean) =>
  makeInstrument({
    exchange: futures ? 'binance-futures' : 'binance',
    venueSymbol: 'BTCUSDT',
    symbol: futures ? 'BTC/USDT:USDT' : 'BTC/USDT',
    base: 'BTC',
    quote: 'USDT',
    kind: futures ? 'perp' : 'spot',
    priceScale: 2,
    sizeScale: 5,
  });

interface Fill {
  readonly tradeId: string;
  readonly price: number;
  readonly size: number;
  readonly ts: number;
}

/** REST answers by path; the test sets what each path answers. */
type Answers = Record<string, unknown>;

function setUp(futures: boolean, answers: Answers) {
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
    options: { governor: { banned: false } },
    signed: async (_method: string, path: string) => answers[path],
  } as unknown as BinanceRest;
  const venue = new BinanceVenue({
    exchange: futures ? 'binance-futures' : 'binance',
    market: futures ? USD_M : SPOT,
    rest,
    instruments: [instrumentOf(futures)],
    nowMicros: () => 1_700_000_000_000_000,
  });
  venue.connect(reports);
  return { venue, fills };
}

async function placed(futures: boolean, answers: Answers) {
  const s = setUp(futures, answers);
  s.venue.submit(
    mint.order({
      id: 1,
      instrument: 0,
      side: 'buy',
      type: 'limit',
      price: 6_400_000,
      size: 100_000,
      postOnly: false,
      ioc: false,
    }),
    'c-1',
    0,
  );
  await s.venue.settled();
  return s;
}

const executionReport = {
  e: 'executionReport',
  s: 'BTCUSDT',
  c: 'c-1',
  x: 'TRADE',
  X: 'PARTIALLY_FILLED',
  i: 7,
  l: '0.00100',
  L: '64000.10',
  n: '0.0001',
  N: 'BNB',
  t: 12,
  m: true,
  T: 1_700_000_000_000,
};

const restTrade = {
  symbol: 'BTCUSDT',
  id: 12,
  orderId: 7,
  price: '64000.10',
  qty: '0.00100',
  commission: '0.0001',
  commissionAsset: 'BNB',
  time: 1_700_000_000_000,
  isMaker: true,
  isBuyer: true,
};

const restOrder = {
  symbol: 'BTCUSDT',
  orderId: 7,
  clientOrderId: 'c-1',
  price: '64000.10',
  origQty: '0.00100',
  executedQty: '0.00000',
  status: 'NEW',
  type: 'LIMIT',
  side: 'BUY',
};

const position = { symbol: 'BTCUSDT', positionAmt: '0.00100', entryPrice: '64000.1' };
const futuresBalance = { asset: 'USDT', balance: '100.00000000', availableBalance: '90.00000000' };
const spotBalance = { asset: 'BTC', free: '0.1', locked: '0' };

/** A list answer: real-shaped entries mutated, with a hostile entry or a hostile whole answer now and then. */
const listAnswer = (base: Record<string, unknown>) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.array(fc.oneof(mutatedObjects(base, 3), fc.constant(base), hostileValue), {
        maxLength: 4,
      }),
    },
    { weight: 1, arbitrary: hostileValue },
  );

function expectExact(fill: Fill, priceText: unknown, sizeText: unknown): void {
  expect(typeof priceText).toBe('string');
  expect(typeof sizeText).toBe('string');
  expect(fill.price).toBe(parseDecimal(priceText as string, 2));
  expect(fill.size).toBe(parseDecimal(sizeText as string, 5));
  expect(Number.isSafeInteger(fill.price) && fill.price > 0).toBe(true);
  expect(Number.isSafeInteger(fill.size) && fill.size > 0).toBe(true);
  expect(Number.isSafeInteger(fill.ts) && fill.ts > 0).toBe(true);
}

/** Integer, or NaN where the venue's text was no decimal at the instrument's scale. */
const integerOrNaN = (v: number) => Number.isNaN(v) || Number.isSafeInteger(v);

describe.each([false, true])('BinanceVenue (futures: %s) under hostile venue messages', (futures) => {
  // USD-M's `ORDER_TRADE_UPDATE.o` carries the same keys without the event type.
  const wrap = (o: Record<string, unknown>): JsonObject => {
    if (!futures) return o;
    const { e: _type, ...rest } = o;
    return rest;
  };

  it('stream events: no throw; every fill exact, from the event’s decimal strings', async () => {
    let filled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(mutatedObjects(executionReport, 3), fc.constant(executionReport)), {
          minLength: 1,
          maxLength: 8,
        }),
        async (events) => {
          const { venue, fills } = await placed(futures, {
            [SPOT.orderPath]: restOrder,
            [USD_M.orderPath]: restOrder,
          });
          for (const e of events) {
            const before = fills.length;
            venue.onStreamEvent(wrap(e));
            for (const f of fills.slice(before)) expectExact(f, e.L, e.l);
          }
          expect(venue.counters.streamEvents).toBe(events.length);
          filled += fills.length;
        },
      ),
      { seed: 20261207, numRuns: 300 },
    );
    expect(filled).toBeGreaterThan(0);
  });

  it('arbitrary JSON objects as stream events are counted, never thrown', async () => {
    const { venue } = await placed(futures, {});
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), hostileValue, { maxKeys: 8 }), (o) => {
        venue.onStreamEvent({ ...o, c: 'c-1' });
      }),
      { seed: 20261208, numRuns: 300 },
    );
  });

  it('REST answers: recovery and account queries never throw; fills exact, numbers integer or NaN', async () => {
    const market = futures ? USD_M : SPOT;
    let filled = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          order: fc.oneof(mutatedObjects(restOrder, 3), hostileValue),
          trades: listAnswer(restTrade),
          openOrders: listAnswer(restOrder),
          positions: listAnswer(position),
          balances: futures
            ? listAnswer(futuresBalance)
            : fc.oneof(
                listAnswer(spotBalance).map((balances) => ({ balances })),
                hostileValue,
              ),
        }),
        async (a) => {
          const answers: Answers = {
            [market.orderPath]: a.order,
            [market.tradesPath]: a.trades,
            [market.openOrdersPath]: a.openOrders,
            '/fapi/v3/positionRisk': a.positions,
            [market.balancePath]: a.balances,
          };
          const { venue, fills } = await placed(futures, answers);
          await venue.recover();
          const trades = Array.isArray(a.trades) ? (a.trades as unknown[]) : [];
          for (const f of fills) {
            const source = trades.find((t): t is Record<string, unknown> => {
              if (typeof t !== 'object' || t === null) return false;
              const r = t as Record<string, unknown>;
              return (
                String(r.id) === f.tradeId &&
                typeof r.price === 'string' &&
                typeof r.qty === 'string' &&
                parseDecimal(r.price, 2) === f.price &&
                parseDecimal(r.qty, 5) === f.size
              );
            });
            expect(
              source,
              `fill ${JSON.stringify(f)} has no trade with that exact decimal text`,
            ).toBeDefined();
            expectExact(f, source!.price, source!.qty);
          }
          filled += fills.length;
          for (const o of await venue.openOrders()) {
            expect(integerOrNaN(o.price) && integerOrNaN(o.size) && integerOrNaN(o.filled)).toBe(true);
          }
          for (const f of await venue.fills(0)) {
            expect(integerOrNaN(f.price) && integerOrNaN(f.size)).toBe(true);
            expect(Number.isSafeInteger(f.timeMs)).toBe(true);
          }
          for (const p of await venue.positions()) expect(integerOrNaN(p.size)).toBe(true);
          for (const b of await venue.balances()) {
            expect(typeof b.free).toBe('string');
            expect(typeof b.locked).toBe('string');
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

/** An HTTP answer as hostile as fetch can hand over: any status, header values and body, or a body that breaks mid-read. */
const httpAnswerArb = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 400, 401, 403, 408, 418, 429, 500, 503),
    fc.integer({ min: 200, max: 599 }),
  ),
  body: fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.json({ maxDepth: 3 }),
    fc
      .record({ code: hostileValue, msg: fc.oneof(hostileValue, fc.constant(`key ${KEY} secret ${SECRET}`)) })
      .map((b) => JSON.stringify(b)),
    fc.constantFrom(
      '{"code":-1021,"msg":"ahead"}',
      '{"serverTime":"x"}',
      '{"code":-1013,"msg":"LOT_SIZE"}',
      '',
    ),
  ),
  usedWeight: fc.option(
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('1e400', '-5', '99999999', 'NaN')),
    {
      nil: undefined,
    },
  ),
  retryAfter: fc.option(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('-1', '1e400', '0x10')), {
    nil: undefined,
  }),
  breaks: fc.boolean(),
});

const unthrottled = httpAnswerArb.map((a) => ({
  ...a,
  status: a.status === 418 || a.status === 429 ? 400 : a.status,
  usedWeight: undefined,
  retryAfter: undefined,
}));

const plain = { status: 200, body: '{}', usedWeight: undefined, retryAfter: undefined, breaks: false };

type HttpAnswer = typeof httpAnswerArb extends fc.Arbitrary<infer T> ? T : never;

function responseOf(a: HttpAnswer): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (a.usedWeight !== undefined) headers['x-mbx-used-weight-1m'] = a.usedWeight;
  if (a.retryAfter !== undefined) headers['retry-after'] = a.retryAfter;
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

describe('BinanceRest under hostile HTTP answers', () => {
  it('resolves with the body or rejects with a typed VenueRequestError, bounded and without secrets', async () => {
    let typed = 0;
    await fc.assert(
      fc.asyncProperty(
        // After a -1021 come the time request and the retry: their answers throttle nothing (a
        // throttled limiter waits, rightly, for its window).
        fc.tuple(httpAnswerArb, unthrottled, unthrottled),
        async (answers) => {
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
          const queue = [...answers];
          const logs: string[] = [];
          const rest = new BinanceRest({
            baseUrl: 'http://venue',
            timePath: '/api/v3/time',
            apiKey: KEY,
            signer: hmacSigner(SECRET),
            clock: new ServerClock({ nowMs: () => 1_000_000 }),
            limiter,
            governor,
            redactor,
            fetch: (async () => responseOf(queue.shift() ?? answers[0]!)) as unknown as typeof fetch,
            log: (l) => logs.push(l),
          });
          try {
            await rest.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT' }, 1);
          } catch (error) {
            expect(error).toBeInstanceOf(VenueRequestError);
            const e = error as VenueRequestError;
            expect(e.outcome.message.length).toBeLessThanOrEqual(400);
            expect(e.outcome.message).not.toContain(SECRET);
            expect(e.outcome.message).not.toContain(KEY);
            typed++;
          }
          for (const l of logs) expect(l.includes(SECRET) || l.includes(KEY)).toBe(false);
        },
      ),
      {
        seed: 20261210,
        numRuns: 300,
        // A clock refusal whose resync finds no server time, and an answer that breaks mid-read.
        examples: [
          [
            [
              { ...plain, status: 400, body: '{"code":-1021,"msg":"ahead"}' },
              { ...plain, body: '{"serverTime":"x"}' },
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
