/**
 * Property: whatever the market does, whatever the strategy asks and whatever the venue reports,
 * no order reaches the venue above the order-size limit or past the worst-case position limit, and
 * nothing reaches it while HALTED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configuredInstruments } from '../../../config/instruments.ts';
import { loadRiskParams } from '../../../config/risk.ts';
import { L2Book } from '../../../core/book/l2-book.ts';
import { ClientOrderIds } from '../../../core/oms/client-order-id.ts';
import type { CheckedOrder } from '../../../core/risk/order-check.ts';
import { RiskGate } from '../../../core/risk/risk-gate.ts';
import type { StrategyContext } from '../../../core/strategy/context.ts';
import { TradingKernel } from '../../../core/trading/trading-kernel.ts';

const BTC = configuredInstruments().find((i) => i.exchange === 'binance' && i.venueSymbol === 'BTCUSDT')!;
const MAX_POSITION = 1_000_000; // 0.01 BTC (config/risk.json), size units
const MAX_ORDER = 500_000; // 0.005 BTC

type Step =
  | { kind: 'move'; ticks: number }
  | { kind: 'order'; side: 'buy' | 'sell'; size: number; offset: number; market: boolean }
  | { kind: 'fill'; which: number; part: number }
  | { kind: 'cancel'; which: number }
  | { kind: 'kill' }
  | { kind: 'trust'; trusted: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('move' as const), ticks: fc.integer({ min: -500, max: 500 }) }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      size: fc.integer({ min: 1, max: 12 }).map((k) => k * 100_000),
      offset: fc.integer({ min: -50, max: 50 }),
      market: fc.boolean(),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      which: fc.nat(),
      part: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trust' as const), trusted: fc.boolean() }) },
);

/** Across all runs: proof the property met orders, fills, refusals and kills. */
const seen = { sent: 0, fills: 0, denied: 0, kills: 0 };

describe('trading kernel property', () => {
  it('random markets, requests and reports never breach the order-size or worst-case position limits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 20, maxLength: 150 }), async (steps) => {
        const book = new L2Book();
        let mid = 6_000_000;
        const kb = { book, trust: 'trusted' as 'trusted' | 'stale' };
        const reset = () => {
          book.clear();
          book.set(true, mid - 1, 5_000_000);
          book.set(false, mid + 1, 5_000_000);
        };
        reset();
        const sent: CheckedOrder[] = [];
        let pendingAction: ((ctx: StrategyContext) => void) | undefined;
        let t = 1_000_000;
        let k: TradingKernel | undefined;
        let halted = false;
        let violation = '';
        k = new TradingKernel({
          instruments: [BTC],
          books: () => kb,
          venueOf: () => ({
            id: 'prop',
            submit: (o) => {
              if (halted) violation = 'order sent while HALTED';
              if (o.request.size > MAX_ORDER) violation = `order of ${o.request.size} sent`;
              const pos = k!.position(0);
              const buy = k!.pendingSize(0, 'buy');
              const sell = k!.pendingSize(0, 'sell');
              if (pos + buy > MAX_POSITION || pos - sell < -MAX_POSITION)
                violation = `worst case ${pos}+${buy}/-${sell} past ${MAX_POSITION}`;
              sent.push(o);
              k!.accepted(o.request.id, `v${o.request.id}`, t);
            },
            cancel: (id) => k!.canceled(id, t),
            amend: () => {},
          }),
          gate: new RiskGate([BTC], loadRiskParams(), { nowMicros: () => k?.time ?? 0 }),
          clientIds: new ClientOrderIds({ prefix: 'tp', instance: 1, epoch: 1 }),
          strategy: {
            onBook: (ctx) => {
              pendingAction?.(ctx);
              pendingAction = undefined;
            },
          },
          strategyName: 'property',
          params: {},
          random: () => 0.5,
          wallMs: () => 0,
        });
        k.start(t);
        let trade = 0;
        for (const s of steps) {
          t += 200_000;
          if (s.kind === 'move') {
            mid = Math.max(1_000_000, mid + s.ticks);
            reset();
          } else if (s.kind === 'order') {
            pendingAction = (ctx) =>
              s.market
                ? ctx.submitMarket(0, s.side, s.size)
                : ctx.submitLimit(0, s.side, mid + s.offset, s.size);
          } else if (s.kind === 'fill' && sent.length > 0) {
            const o = sent[s.which % sent.length]!;
            const open = k.orders.get(o.request.id);
            if (open && open.remaining > 0) {
              const size = Math.max(1, Math.floor(open.remaining / s.part));
              k.filled(
                o.request.id,
                `f${trade++}`,
                Number.isNaN(o.request.price) ? mid : o.request.price,
                size,
                0,
                'USDT',
                false,
                t,
              );
            }
          } else if (s.kind === 'cancel' && sent.length > 0) {
            k.cancel(sent[s.which % sent.length]!.request.id);
          } else if (s.kind === 'kill') {
            k.kill('property');
          } else if (s.kind === 'trust') {
            kb.trust = s.trusted ? 'trusted' : 'stale';
          }
          halted = k.tradingState === 'HALTED';
          k.onBook(0, t);
          if (violation) break;
        }
        seen.sent += sent.length;
        seen.fills += k.counters.fills;
        seen.denied += k.counters.denied;
        if (k.counters.kills > 0) seen.kills++;
        expect(violation).toBe('');
        expect(Math.abs(k.position(0))).toBeLessThanOrEqual(MAX_POSITION);
      }),
      { numRuns: 150, seed: 42 },
    );
    expect(seen.sent).toBeGreaterThan(200);
    expect(seen.fills).toBeGreaterThan(100);
    expect(seen.denied).toBeGreaterThan(100);
    expect(seen.kills).toBeGreaterThan(20);
  });
});
