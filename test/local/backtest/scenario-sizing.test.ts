import { describe, expect, it } from 'vitest';
import { loadScenarios, parseScenarios, scenarioByName } from '../../../config/scenarios.ts';
import { makeInstrument } from '../../../core/market/instrument.ts';
import {
  applyScenario,
  openingPriceUnits,
  orderSizeUnits,
  tradedInstrument,
} from '../../../local/backtest/scenario-sizing.ts';
import { ask, bid, buyTrade, handTape, PERP } from '../../core/sim/support/hand-tape.ts';

// PERP: price units 0.1, size units 0.001 (lot 1 unit). Opening trade at 60 000.0.
const tape = handTape([
  { t: 10, rows: [bid(599_990, 5), ask(600_010, 5)] },
  { t: 20, rows: [buyTrade(600_000, 1)] },
]);
const scenarios = loadScenarios();

describe('scenario sizing', () => {
  it('order size = risk per trade × capital at the opening price, floored to lots; limit = N orders', () => {
    const run = applyScenario(scenarios, scenarioByName(scenarios, 'balanced'), 'market-maker', tape);
    // 3 % of 100 000 = 3 000 USDT at 60 000 → 0.05 BTC; 3 orders of inventory.
    expect(run.params).toEqual({ order_size: 0.05, max_position: 0.15 });
    expect(run.sizing).toMatchObject({
      instrument: 'binance-futures:BTC/USDT:USDT',
      price: 60_000,
      orderNotional: 3000,
    });
    expect(run.sim).toMatchObject({ initialCapital: 100_000, maxLeverage: 2 });
    const c = applyScenario(scenarios, scenarioByName(scenarios, 'conservative'), 'avellaneda-stoikov', tape);
    expect(c.params).toEqual({ order_size: 0.016, inventory_scale: 0.032 }); // 1 000 / 60 000 = 0.01666 → 0.016
    const a = applyScenario(scenarios, scenarioByName(scenarios, 'aggressive'), 'imbalance-taker', tape);
    expect(a.params).toEqual({ order_size: 0.083, max_position: 0.332 });
  });

  it('explicit parameters win; a strategy without a sizing entry keeps its own sizes', () => {
    const run = applyScenario(scenarios, scenarioByName(scenarios, 'balanced'), 'market-maker', tape, {
      order_size: '0.002',
    });
    expect(run.params).toEqual({ order_size: '0.002', max_position: 0.15 });
    const bare = parseScenarios({
      scenarios: { x: { description: 'd', riskPerTrade: 0.5, maxPositionOrders: 1, initialCapital: 10 } },
    });
    const none = applyScenario(bare, scenarioByName(bare, 'x'), 'market-maker', tape, { spread_bps: '3' });
    expect(none.params).toEqual({ spread_bps: '3' });
    expect(none.sizing).toBeUndefined();
    expect(none.sim).toMatchObject({ initialCapital: 10 });
  });

  it('at least one lot and the minimum size, however small the risk', () => {
    const ins = makeInstrument({ ...PERP, lotSize: 5, minSize: 12 });
    expect(orderSizeUnits(ins, 60_000, 1)).toBe(15);
    expect(orderSizeUnits(ins, 60_000, 60)).toBe(15); // 0.001 BTC is below the 0.012 minimum: 3 lots of 5
    expect(orderSizeUnits(ins, 60_000, 3000)).toBe(50); // 0.05 BTC = 10 lots
    expect(orderSizeUnits(ins, 60_000, 3290)).toBe(50); // floored: never more than the risk
  });

  it('prices from the first trade, else the first book level; the symbol parameter picks the instrument', () => {
    expect(openingPriceUnits(tape, 0)).toBe(600_000);
    expect(openingPriceUnits(handTape([{ t: 1, rows: [bid(5, 1)] }]), 0)).toBe(5);
    expect(tradedInstrument(tape, '')).toBe(0);
    expect(tradedInstrument(tape, 'BTCUSDT')).toBe(0);
    expect(() => tradedInstrument(tape, 'ETHUSDT')).toThrow(
      'symbol=ETHUSDT: not in the data (instruments: BTC/USDT:USDT)',
    );
  });
});
