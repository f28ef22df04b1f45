import { describe, expect, it } from 'vitest';
import { runBacktestWithStats } from '../../../../core/backtest/engine/run-backtest.ts';
import { zeroFees } from '../../../../core/sim/fees/fee-table.ts';
import type { SimConfigInput } from '../../../../core/sim/sim-config.ts';
import type { StrategyContext } from '../../../../core/strategy/context.ts';
import type { OrderUpdate } from '../../../../core/strategy/order-types.ts';
import type { Strategy } from '../../../../core/strategy/strategy.ts';
import { ask, bid, type HandMessage, handTape, sellTrade } from '../../sim/support/hand-tape.ts';

interface Seen {
  kind: string;
  ts: number;
  reason: string | null;
  fillSize: number;
  done: boolean;
}

/** A scripted strategy: `act` runs on the first book update; every order update is recorded. */
function scripted(act: (ctx: StrategyContext) => void): Strategy & { seen: Seen[]; books: number[] } {
  let done = false;
  const s = {
    seen: [] as Seen[],
    books: [] as number[],
    onBook(ctx: StrategyContext) {
      s.books.push(ctx.now());
      if (!done) {
        done = true;
        act(ctx);
      }
    },
    onOrderUpdate(_ctx: StrategyContext, u: OrderUpdate) {
      s.seen.push({ kind: u.kind, ts: u.ts, reason: u.rejectReason, fillSize: u.fillSize, done: u.done });
    },
  };
  return s;
}

function run(
  messages: HandMessage[],
  strategy: Strategy,
  sim: SimConfigInput = {},
  mode: 'full' | 'fast' = 'full',
) {
  return runBacktestWithStats({
    tape: handTape(messages),
    strategy: { name: 'scripted', instance: strategy },
    fees: zeroFees(),
    sim: { latency: { model: 'constant', entryUs: 1000, responseUs: 2000 }, ...sim },
    mode,
  }).result;
}

const book = (t: number): HandMessage => ({ t, rows: [bid(600_000, 5), ask(600_010, 50)] });

describe('two views joined by latency', () => {
  it('an order reaches the exchange after the entry latency and its ack comes back after the response latency', () => {
    const s = scripted((ctx) => ctx.submitLimit(0, 'buy', 600_000, 1, { postOnly: true }));
    run([book(10), book(5000), book(10_000)], s);
    expect(s.seen).toEqual([{ kind: 'accepted', ts: 3010, reason: null, fillSize: 0, done: false }]);
  });

  it('the exchange sees market data before the strategy does (feed latency)', () => {
    const s = scripted((ctx) => ctx.submitLimit(0, 'buy', 600_000, 1, { postOnly: true }));
    // A sell below our bid, received at 8000 but done at the exchange at 2000.
    const result = run([book(10), { t: 8000, lat: 6000, rows: [sellTrade(599_990, 1)] }, book(20_000)], s);
    expect(result.fills.map((f) => [f.ts, f.price, f.size, f.liquidity])).toEqual([
      [2000, 60_000, 0.001, 'maker'],
    ]);
    // The strategy hears of the fill at 2000 + 2000, before the trade itself reaches it at 8000.
    expect(s.seen.map((x) => [x.kind, x.ts])).toEqual([
      ['accepted', 3010],
      ['fill', 4000],
    ]);
    expect(result.orders[0]).toMatchObject({ state: 'filled', filledSize: 0.001, price: 60_000 });
  });

  it('a negative entry latency is a rejection that takes |latency| to come back', () => {
    const s = scripted((ctx) => ctx.submitLimit(0, 'buy', 600_000, 1));
    const result = run([book(10), book(10_000)], s, {
      latency: { model: 'constant', entryUs: -700, responseUs: 1 },
    });
    expect(s.seen).toEqual([{ kind: 'rejected', ts: 710, reason: 'latency', fillSize: 0, done: true }]);
    expect(result.orders[0]).toMatchObject({ state: 'rejected', rejectReason: 'latency' });
  });

  it('pre-trade rejects come back at once with their reason', () => {
    const s = scripted((ctx) => {
      ctx.submitLimit(0, 'buy', 600_000.5, 1);
      ctx.submitLimit(0, 'buy', 600_000, 0);
      ctx.submitLimit(0, 'buy', 600_000, 1_000_000); // 1000 BTC on 100 000 USDT
    });
    const result = run([book(10), book(10_000)], s);
    expect(s.seen.map((x) => [x.kind, x.ts, x.reason])).toEqual([
      ['rejected', 10, 'invalid_price'],
      ['rejected', 10, 'invalid_size'],
      ['rejected', 10, 'insufficient_margin'],
    ]);
    expect(result.orders.map((o) => o.rejectReason)).toEqual([
      'invalid_price',
      'invalid_size',
      'insufficient_margin',
    ]);
  });

  it('requests made in a callback are applied after it returns, in order', () => {
    let openDuring = -1;
    const s = scripted((ctx) => {
      const id = ctx.submitLimit(0, 'buy', 599_000, 1, { postOnly: true });
      openDuring = ctx.openOrders(0).length; // still 0: buffered
      ctx.cancel(id);
    });
    const result = run([book(10), book(10_000)], s);
    expect(openDuring).toBe(0);
    expect(s.seen.map((x) => x.kind)).toEqual(['accepted', 'canceled']);
    expect(result.orders[0]!.state).toBe('canceled');
  });

  it('fast mode equals full mode when feed latency is constant', () => {
    const messages: HandMessage[] = [
      book(10),
      { t: 3000, rows: [sellTrade(600_000, 7)] },
      { t: 4000, rows: [bid(600_000, 1)] },
      { t: 6000, rows: [sellTrade(600_000, 2)] },
      book(9000),
    ];
    const make = () => scripted((ctx) => ctx.submitLimit(0, 'buy', 600_000, 2));
    const full = run(messages, make());
    const fast = run(messages, make(), {}, 'fast');
    expect(full.fills.length).toBeGreaterThan(0);
    // Same fills; times differ by the 1 µs feed latency (fast mode's exchange runs at receive time).
    const strip = (fills: typeof full.fills) => fills.map(({ ts: _ts, ...f }) => f);
    expect(strip(fast.fills)).toEqual(strip(full.fills));
    expect(fast.fills.map((f) => f.ts - 1)).toEqual(full.fills.map((f) => f.ts));
  });
});

describe('accounting', () => {
  const H8 = 8 * 3600 * 1_000_000;
  const t0 = 2000 * H8 - 5_000_000; // 5 s before a funding time

  it('pays funding on a perpetual position at the configured rate and grid', () => {
    const s = scripted((ctx) => ctx.submitMarket(0, 'buy', 10)); // 0.01 BTC
    const result = run([book(t0), book(t0 + 2_000_000), book(t0 + 10_000_000)], s);
    // 0.01 BTC × 60 000.5 mid × 0.0001
    expect(result.funding).toBeCloseTo(0.01 * 60_000.5 * 0.0001, 9);
    const before = result.equity.find((p) => p.ts === 2000 * H8 - 1_000_000)!;
    const after = result.equity.find((p) => p.ts === 2000 * H8 + 1_000_000)!;
    expect(before.equity - after.equity).toBeCloseTo(result.funding, 9);
  });

  it('uses the venue ticker (rate, next time, mark) when the tape has one', () => {
    const s = scripted((ctx) => ctx.submitMarket(0, 'buy', 10));
    const result = run(
      [
        book(t0),
        {
          t: t0 + 1_000_000,
          rows: [{ kind: 'funding', rate: 0.0005, nextTs: t0 + 3_000_000, mark: 610_000 }],
        },
        book(t0 + 4_000_000),
      ],
      s,
    );
    expect(result.funding).toBeCloseTo(0.01 * 61_000 * 0.0005, 9);
  });

  it('no funding with source off, or for a flat book', () => {
    const s = scripted((ctx) => ctx.submitMarket(0, 'buy', 10));
    expect(run([book(t0), book(t0 + 10_000_000)], s, { funding: { source: 'off' } }).funding).toBe(0);
    expect(
      run(
        [book(t0), book(t0 + 10_000_000)],
        scripted(() => {}),
      ).funding,
    ).toBe(0);
  });

  it('samples equity at the configured interval, marked at the exchange mid', () => {
    const s = scripted((ctx) => ctx.submitMarket(0, 'buy', 10));
    const result = run([book(0), book(3_500_000)], s, {
      equityIntervalUs: 1_000_000,
      funding: { source: 'off' },
    });
    expect(result.equity.map((p) => p.ts)).toEqual([0, 1_000_000, 2_000_000, 3_000_000, 3_500_000]);
    const last = result.equity.at(-1)!;
    expect(last.position).toBe(0.01);
    expect(last.mid).toBe(60_000.5);
    // Bought at the ask 60 001, marked at 60 000.5: −0.005.
    expect(last.equity - result.initialCapital).toBeCloseTo(-0.005, 9);
  });
});
