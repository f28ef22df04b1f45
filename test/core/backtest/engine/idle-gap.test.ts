import { describe, expect, it } from 'vitest';
import { loadFeeTable } from '../../../../config/fees.ts';
import { runBacktest } from '../../../../core/backtest/engine/run-backtest.ts';
import { loadTape } from '../../../../local/backtest/load-tape.ts';
import { fixture } from '../../../support/fixtures.ts';

describe('engine across recording sessions', () => {
  it('skips the years between two captures instead of sampling through them', async () => {
    const { tape } = await loadTape(fixture('binance'));
    const years = (tape.endTs - tape.startTs) / (365 * 86_400e6);
    expect(years).toBeGreaterThan(2);
    const result = runBacktest({ tape, strategy: 'market-maker', fees: loadFeeTable(), seed: 1 });
    // One sample per second of DATA plus a few at the gap edges — not one per second of three years.
    expect(result.equity.length).toBeGreaterThan(300);
    expect(result.equity.length).toBeLessThan(5_000);
    for (let i = 1; i < result.equity.length; i++)
      expect(result.equity[i]!.ts).toBeGreaterThanOrEqual(result.equity[i - 1]!.ts);
  }, 60_000);
});
