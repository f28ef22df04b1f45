import { describe, expect, it } from 'vitest';
import fees from '../../../../config/fees.json' with { type: 'json' };
import { measureFastModeError } from '../../../../core/backtest/engine/fast-mode.ts';
import { runBacktest } from '../../../../core/backtest/engine/run-backtest.ts';
import type { BacktestResult } from '../../../../core/backtest/result.ts';
import { parseFeeTable } from '../../../../core/sim/fees/fee-table.ts';
import { fixtureTape, USDM } from '../tape/fixture-tapes.ts';

const table = parseFeeTable(fees);
const tape = fixtureTape(USDM);

function sane(r: BacktestResult): void {
  expect(r.events).toBe(tape.length);
  expect(r.orders.length).toBeGreaterThan(0);
  expect(r.equity.length).toBeGreaterThan(300); // one a second over ~6 minutes
  for (const p of r.equity) expect(Number.isFinite(p.equity)).toBe(true);
  // Fills are consistent with the orders they belong to.
  const filled = new Map<string, number>();
  for (const f of r.fills) filled.set(f.orderId, (filled.get(f.orderId) ?? 0) + f.size);
  for (const o of r.orders) expect(filled.get(o.orderId) ?? 0).toBeCloseTo(o.filledSize, 9);
  // Fees follow the venue's default tier (0.02 % maker, 0.05 % taker on USD-M).
  for (const f of r.fills)
    expect(f.fee / (f.price * f.size)).toBeCloseTo(f.liquidity === 'maker' ? 0.0002 : 0.0005, 9);
}

describe('reference strategies on the Binance USD-M BTCUSDT capture', () => {
  it('market-maker quotes, gets filled as a maker, and respects its inventory limit', () => {
    const r = runBacktest({ tape, strategy: 'market-maker', fees: table });
    sane(r);
    expect(r.fills.length).toBeGreaterThan(20);
    expect(r.fills.every((f) => f.liquidity === 'maker')).toBe(true);
    expect(r.roundTrips.length).toBeGreaterThan(0);
    // max_position 0.01 BTC plus one order in flight per side.
    for (const p of r.equity) expect(Math.abs(p.position)).toBeLessThanOrEqual(0.012 + 1e-9);
  });

  it('avellaneda-stoikov quotes once σ is known and trades', () => {
    const r = runBacktest({ tape, strategy: 'avellaneda-stoikov', fees: table });
    sane(r);
    expect(r.fills.length).toBeGreaterThan(0);
    // No quote before three σ samples (3 s).
    expect(r.orders[0]!.submittedTs - tape.startTs).toBeGreaterThanOrEqual(3_000_000);
  });

  it('imbalance-taker trades at market only, within its position limit', () => {
    const r = runBacktest({ tape, strategy: 'imbalance-taker', fees: table });
    sane(r);
    expect(r.fills.length).toBeGreaterThan(0);
    expect(r.fills.every((f) => f.liquidity === 'taker')).toBe(true);
    expect(r.orders.every((o) => o.type === 'market')).toBe(true);
    for (const p of r.equity) expect(Math.abs(p.position)).toBeLessThanOrEqual(0.01 + 1e-9);
  });

  it('is deterministic: the same inputs give byte-identical results', () => {
    const a = runBacktest({
      tape,
      strategy: 'market-maker',
      fees: table,
      seed: 7,
      params: { num_levels: 2 },
    });
    const b = runBacktest({
      tape,
      strategy: 'market-maker',
      fees: table,
      seed: 7,
      params: { num_levels: 2 },
    });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = runBacktest({
      tape,
      strategy: 'market-maker',
      fees: table,
      seed: 8,
      params: { num_levels: 2 },
    });
    expect(c.runId).not.toBe(a.runId);
  });

  it('reports progress up to the whole tape', () => {
    const seen: number[] = [];
    runBacktest({ tape, strategy: 'imbalance-taker', fees: table, onProgress: (p) => seen.push(p.rows) });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toBe(tape.length);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });

  it('fast mode stays close to the full model for the market maker', () => {
    const e = measureFastModeError({ tape, strategy: 'market-maker', fees: table });
    expect(e.rowRatio).toBeLessThan(0.3);
    expect(e.full.fills).toBeGreaterThan(20);
    expect(e.relative.fills).toBeLessThan(0.1);
    expect(Math.abs(e.pnlError)).toBeLessThan(Math.max(1, Math.abs(e.full.pnl) * 0.2));
  });
});
