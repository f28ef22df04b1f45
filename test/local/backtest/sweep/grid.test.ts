import { describe, expect, it } from 'vitest';
import { ParamError } from '../../../../core/strategy/params.ts';
import { defaultRegistry } from '../../../../core/strategy/registry.ts';
import { expandGrid, resolveGrid } from '../../../../local/backtest/sweep/grid.ts';

describe('parameter grid', () => {
  it('is the cartesian product in nested-loop order (first axis slowest)', () => {
    expect(
      expandGrid([
        { name: 'a', values: ['1', '2'] },
        { name: 'b', values: ['x', 'y', 'z'] },
      ]),
    ).toEqual([
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '1', b: 'z' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
      { a: '2', b: 'z' },
    ]);
    expect(expandGrid([])).toEqual([]);
  });

  it('types the values through the strategy spec, over the base parameters', () => {
    const points = resolveGrid(defaultRegistry(), 'market-maker', { order_size: 0.01, post_only: 'false' }, [
      { name: 'spread_bps', values: ['5', '10'] },
    ]);
    expect(points.map((p) => p.gridParams)).toEqual([{ spread_bps: 5 }, { spread_bps: 10 }]);
    expect(points[1]!.params).toMatchObject({
      spread_bps: 10,
      order_size: 0.01,
      post_only: false,
      num_levels: 1,
    });
  });

  it('reports every invalid value of every point before anything runs', () => {
    let error: unknown;
    try {
      resolveGrid(defaultRegistry(), 'market-maker', {}, [
        { name: 'spread_bps', values: ['5', 'wide'] },
        { name: 'num_levels', values: ['1', '99'] },
        { name: 'nope', values: ['1'] },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParamError);
    const problems = (error as ParamError).problems;
    expect(problems).toContain('spread_bps: expected a number, got "wide"');
    expect(problems).toContain('num_levels: 99 is above 20');
    expect(problems.filter((p) => p.startsWith('nope: unknown parameter'))).toHaveLength(1);
  });
});
