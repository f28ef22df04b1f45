/**
 * The market maker skips a book message that moved none of its inputs (touch, position) when no
 * order update came since and its last pass sent nothing. The skip must change no decision: the
 * same replay with a pass forced on every message gives the same journal of orders and fills.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadHftbacktest } from '../../../../bench/load-hftbacktest.ts';
import fees from '../../../../config/fees.json' with { type: 'json' };
import { configuredInstruments } from '../../../../config/instruments.ts';
import { loadRiskParams } from '../../../../config/risk.ts';
import { InstrumentRegistry } from '../../../../core/market/instrument-registry.ts';
import type { JournalEntry } from '../../../../core/oms/journal/journal-record.ts';
import { parseFeeTable } from '../../../../core/sim/fees/fee-table.ts';
import { resolveSimConfig } from '../../../../core/sim/sim-config.ts';
import type { StrategyContext } from '../../../../core/strategy/context.ts';
import type { OrderUpdate } from '../../../../core/strategy/order-types.ts';
import { marketMaker } from '../../../../core/strategy/reference/market-maker.ts';
import { defaultRegistry, type StrategyDefinition } from '../../../../core/strategy/registry.ts';
import { BinanceFeed } from '../../../../core/venues/binance/binance-feed.ts';
import { LiveTrader } from '../../../../fargate/trading/live-trader.ts';

const CAPTURE = fileURLToPath(
  new URL('../../../fixtures/binance/hftbacktest_spot_btcusdt_20240808.gz', import.meta.url),
);
const NOT_DONE = { done: false } as OrderUpdate;

/** Counts the passes that got past the skip (they read the instrument list). */
function counted(ctx: StrategyContext, passes: { n: number }): StrategyContext {
  return new Proxy(ctx, {
    get(target, key) {
      if (key === 'instruments') passes.n++;
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** The market maker, with a pass forced (a not-done update) before every book message when `force`. */
function variant(name: string, force: boolean, passes: { n: number }): StrategyDefinition {
  return {
    ...marketMaker,
    name,
    create: (params) => {
      const s = marketMaker.create(params);
      return {
        onParams: (ctx, p) => s.onParams?.(ctx, p),
        onOrderUpdate: (ctx, u) => s.onOrderUpdate?.(ctx, u),
        onBook: (ctx, i) => {
          if (force) s.onOrderUpdate?.(ctx, NOT_DONE);
          s.onBook?.(counted(ctx, passes), i);
        },
      };
    },
  };
}

function replay(force: boolean): { decisions: string[]; passes: number; messages: number } {
  const capture = loadHftbacktest(CAPTURE, 'spot');
  const inst = configuredInstruments().find((x) => x.exchange === 'binance' && x.venueSymbol === 'BTCUSDT')!;
  const journal: JournalEntry[] = [];
  const passes = { n: 0 };
  const name = force ? 'mm-forced' : 'mm';
  const t = new LiveTrader({
    instruments: [inst],
    registry: defaultRegistry().register(variant(name, force, passes)),
    strategy: name,
    risk: loadRiskParams(),
    fees: parseFeeTable(fees),
    sim: resolveSimConfig({}),
    adminToken: 'test',
    seed: 1,
    instance: 1,
    epoch: 1,
    journal: { append: (e) => journal.push(e) },
  });
  const feed = new BinanceFeed({
    market: 'spot',
    instruments: new InstrumentRegistry([inst]),
    listener: t.listenerFor('binance'),
  });
  feed.onSnapshot(capture.symbol, capture.snapshot.json, capture.snapshot.localTs);
  for (const d of capture.depth) feed.onMessage(d.json, d.localTs);
  const decisions = journal
    .filter((e) => e.kind === 'order' || e.kind === 'fill' || e.kind === 'risk')
    .map((e) => JSON.stringify(e));
  return { decisions, passes: passes.n, messages: capture.depth.length };
}

describe('market maker', () => {
  it('skips unchanged book messages without changing a decision', () => {
    const skipping = replay(false);
    const forced = replay(true);
    expect(forced.decisions.length).toBeGreaterThan(100);
    expect(skipping.decisions).toEqual(forced.decisions);
    // The skip fired: fewer passes than messages, while the forced run passed on (nearly) each.
    expect(skipping.passes).toBeLessThan(forced.passes);
    expect(forced.passes).toBeGreaterThan(forced.messages * 0.9);
  });
});
