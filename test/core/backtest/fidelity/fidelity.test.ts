import { describe, expect, it } from 'vitest';
import { formatFidelityTable, runFidelityCheck } from '../../../../core/backtest/fidelity/fidelity-check.ts';
import { tradeImpliedTruth } from '../../../../core/backtest/fidelity/trade-truth.ts';
import { ask, bid, handTape, sellTrade } from '../../sim/support/hand-tape.ts';
import { capture, fixtureTape, USDM } from '../tape/fixture-tapes.ts';

describe('trade-implied truth', () => {
  const tape = handTape([
    { t: 10, rows: [bid(100, 5), ask(102, 5)] },
    { t: 20, rows: [sellTrade(100, 3)] },
    { t: 30, rows: [sellTrade(100, 3)] }, // 6 > 5 ahead: likely
    { t: 40, rows: [sellTrade(99, 1)] }, // through 100: certain
  ]);
  const w = (price: number, arriveTs: number, cancelTs: number) => ({
    isBuy: true,
    price,
    arriveTs,
    cancelTs,
  });

  it('classifies passive orders by what the trades and the book say', () => {
    const [likely, possible, certain, none, rejected] = tradeImpliedTruth(tape, 0, [
      w(100, 15, 35),
      w(100, 15, 25),
      w(100, 35, 50),
      w(98, 15, 50),
      w(102, 15, 50),
    ]);
    expect(likely).toMatchObject({ cls: 'likely', filledTs: 29, queueAhead: 5, volumeAtPrice: 6 });
    expect(possible).toMatchObject({ cls: 'possible', volumeAtPrice: 3 });
    expect(certain).toMatchObject({ cls: 'certain', filledTs: 39 });
    expect(none!.cls).toBe('none');
    expect(rejected!.cls).toBe('rejected');
  });
});

describe('fidelity check on the Binance USD-M BTCUSDT capture', () => {
  it('no model fills what the tape rules out or misses what it proves', () => {
    // The first three minutes keep the test quick.
    const to = capture(USDM).records[0]!.localTs + 180_000_000;
    const report = runFidelityCheck(fixtureTape(USDM, { to }), {
      intervalUs: 5_000_000,
      models: [{ model: 'risk-averse' }, { model: 'prob', fn: 'power', n: 3 }, { model: 'prob', fn: 'log' }],
    });
    const t = report.truth;
    expect(t.probes).toBeGreaterThan(50);
    expect(t.certain + t.likely + t.possible + t.none + t.rejected).toBe(t.probes);
    expect(t.certain).toBeGreaterThan(0);
    for (const row of report.rows) {
      expect(row.probes).toBe(t.probes);
      expect(row.rejected).toBe(t.rejected);
      expect(row.impossible).toBe(0);
      expect(row.missed).toBe(0);
      expect(row.filled).toBeGreaterThanOrEqual(t.certain);
      expect(row.agreement).toBeGreaterThan(0.8);
    }
    // Cancels can only move a probabilistic queue forward: never fewer fills than risk-averse.
    const [averse, power, log] = report.rows;
    expect(power!.filled).toBeGreaterThanOrEqual(averse!.filled);
    expect(log!.filled).toBeGreaterThanOrEqual(averse!.filled);
    const table = formatFidelityTable(report);
    expect(table).toContain('risk-averse');
    expect(table).toContain('prob-power(3)');
    expect(table).toContain('truth (certain+likely)');
  });
});
