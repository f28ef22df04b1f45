import { describe, expect, it } from 'vitest';
import { autoWorkers, PARALLEL_MIN_ROW_RUNS } from '../../../../local/backtest/sweep/auto-workers.ts';

describe('autoWorkers', () => {
  it('runs small sweeps in the main thread and big ones on every core', () => {
    expect(autoWorkers(466_576, 12, 2)).toBe(0); // 5.6 M row-runs: worker start-up would dominate
    expect(autoWorkers(466_576, 100, 2)).toBe(2);
    expect(autoWorkers(PARALLEL_MIN_ROW_RUNS, 1, 16)).toBe(1); // never more workers than runs
    expect(autoWorkers(10_000_000, 48, 1)).toBe(0); // one core: nothing to share
    expect(autoWorkers(10_000_000, 48, 16)).toBe(16);
  });
});
