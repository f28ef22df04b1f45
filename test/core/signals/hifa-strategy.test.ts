import { describe, expect, it } from 'vitest';
import fees from '../../../config/fees.json' with { type: 'json' };
import { runBacktest } from '../../../core/backtest/engine/run-backtest.ts';
import { parseFeeTable } from '../../../core/sim/fees/fee-table.ts';
import { defaultRegistry } from '../../../core/strategy/registry.ts';
import { fixtureTape, USDM } from '../backtest/tape/fixture-tapes.ts';

const table = parseFeeTable(fees);
const tape = fixtureTape(USDM);

describe('reference strategy hifa on the Binance USD-M BTCUSDT capture', () => {
  it('is registered with its parameters', () => {
    const def = defaultRegistry().get('hifa');
    expect(Object.keys(def.params)).toEqual(
      expect.arrayContaining([
        'imbalance_threshold',
        'microprice_edge_bps',
        'max_risk_score',
        'exit_horizon_ms',
      ]),
    );
  });

  it('enters at market on imbalance + micro-price, within its limit, and exits in TWAP slices', () => {
    const params = {
      order_size: 0.004,
      max_position: 0.008,
      hold_ms: 3000,
      exit_horizon_ms: 2000,
      exit_interval_ms: 1000,
    };
    const r = runBacktest({ tape, strategy: 'hifa', fees: table, params });
    expect(r.orders.length).toBeGreaterThan(2);
    expect(r.orders.every((o) => o.type === 'market')).toBe(true);
    for (const p of r.equity) expect(Math.abs(p.position)).toBeLessThanOrEqual(0.008 + 1e-9);
    // An exit of a 0.004 position over 2 s at 1 s intervals is two children of 0.002.
    const halves = r.orders.filter((o) => Math.abs(o.size - 0.002) < 1e-12);
    expect(halves.length).toBeGreaterThanOrEqual(2);
  });

  it('the stage-3 gate stops every entry when no risk is acceptable', () => {
    const r = runBacktest({
      tape,
      strategy: 'hifa',
      fees: table,
      params: { max_risk_score: 0, microprice_edge_bps: 0 },
    });
    const open = runBacktest({
      tape,
      strategy: 'hifa',
      fees: table,
      params: { max_risk_score: 100, microprice_edge_bps: 0 },
    });
    expect(open.orders.length).toBeGreaterThan(0);
    expect(r.orders.length).toBe(0);
  });

  it('is deterministic', () => {
    const a = runBacktest({ tape, strategy: 'hifa', fees: table, seed: 3 });
    const b = runBacktest({ tape, strategy: 'hifa', fees: table, seed: 3 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
