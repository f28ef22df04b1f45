import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repositoryPath } from '../../../lib/shared/repository-path.ts';
import {
  gridAxes,
  parseSweepInput,
  runInputOptions,
  SweepInputError,
} from '../../../stepfunctions/sweep/sweep-input.ts';

const EXAMPLE = JSON.parse(readFileSync(repositoryPath('config/sweep-input.example.json'), 'utf8'));

function problems(document: unknown): readonly string[] {
  try {
    parseSweepInput(document);
  } catch (error) {
    if (error instanceof SweepInputError) return error.problems;
    throw error;
  }
  throw new Error('expected the input to be refused');
}

describe('sweep input', () => {
  it('accepts the shipped example and fills in the defaults', () => {
    const input = parseSweepInput(EXAMPLE);
    expect(input.strategy).toBe('market-maker');
    expect(gridAxes(input)).toEqual([
      { name: 'spread_bps', values: ['2', '8'] },
      { name: 'order_size', values: ['0.001', '0.002'] },
    ]);
    const bare = parseSweepInput({ strategy: 'market-maker', data: {}, grid: { spread_bps: [2] } });
    expect(bare).toMatchObject({ scenario: 'balanced', seed: 1, metric: 'sharpe', fast: false, params: {} });
  });

  it("hands grid values over as the CLI's strings, times as µs", () => {
    const input = parseSweepInput({ ...EXAMPLE, params: { order_size: 0.001 } });
    const options = runInputOptions(input, '/tmp/x');
    expect(options.params).toEqual({ order_size: '0.001' });
    expect(options.from).toBe(Date.UTC(2024, 7, 8, 0, 1) * 1000);
    expect(options).toMatchObject({ data: '/tmp/x', symbols: ['BTCUSDT'], quiet: true });
  });

  it('reports every problem at once, unknown keys included', () => {
    const found = problems({
      strategy: '',
      extra: 1,
      data: { from: 'yesterday', venue: 'binance' },
      grid: {},
      metric: 'luck',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^strategy: /),
        expect.stringMatching(/extra/),
        expect.stringMatching(/^data\.from: an ISO 8601 time/),
        expect.stringMatching(/venue/),
        expect.stringMatching(/^grid: at least one axis/),
        expect.stringMatching(/^metric: /),
      ]),
    );
    expect(found.length).toBeGreaterThanOrEqual(6);
  });

  it('refuses an empty or reversed range, bad parameter names and walk-forward settings', () => {
    expect(problems({ ...EXAMPLE, data: { ...EXAMPLE.data, to: EXAMPLE.data.from } })).toEqual([
      'data.to: must be later than data.from',
    ]);
    expect(problems({ ...EXAMPLE, grid: { 'spread bps': [1] } })[0]).toMatch(/^grid/);
    expect(problems({ ...EXAMPLE, grid: { spread_bps: [] } })[0]).toMatch(/^grid\.spread_bps/);
    expect(problems({ ...EXAMPLE, walkForward: { folds: 0, inSampleFraction: 1 } })).toHaveLength(2);
    expect(problems({ ...EXAMPLE, seed: -1 })[0]).toMatch(/^seed/);
  });
});
