import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collectGrid,
  collectParams,
  isoTime,
  latencyMs,
  queueModel,
  walkForwardSpec,
} from '../../../local/backtest/cli-args.ts';

describe('option parsers', () => {
  it('ISO times are UTC unless an offset is given, down to the microsecond', () => {
    expect(isoTime('2024-08-08')).toBe(Date.parse('2024-08-08T00:00:00Z') * 1000);
    expect(isoTime('2024-08-08T23:55')).toBe(Date.parse('2024-08-08T23:55:00Z') * 1000);
    expect(isoTime('2024-08-08T23:55:00.123456Z')).toBe(Date.parse('2024-08-08T23:55:00.123Z') * 1000 + 456);
    expect(isoTime('2024-08-09T01:55:00+02:00')).toBe(Date.parse('2024-08-08T23:55:00Z') * 1000);
    expect(() => isoTime('1723161300')).toThrow(/ISO 8601/);
  });

  it('any UTC instant round-trips through its ISO text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(isoTime(new Date(ms).toISOString())).toBe(ms * 1000);
      }),
    );
  });

  it('params, grid, walk-forward, latency and queue specs', () => {
    expect(collectParams('a=1, b = x=y', { a: '0', c: '2' })).toEqual({ a: '1', b: 'x=y', c: '2' });
    expect(collectGrid('n=1,2', [{ name: 'm', values: ['a'] }])).toEqual([
      { name: 'm', values: ['a'] },
      { name: 'n', values: ['1', '2'] },
    ]);
    expect(walkForwardSpec('')).toEqual({ folds: 3, inSampleFraction: 0.6, anchored: false });
    expect(walkForwardSpec('folds=5,is=0.75,rolling')).toEqual({
      folds: 5,
      inSampleFraction: 0.75,
      anchored: false,
    });
    expect(walkForwardSpec('anchored=true')).toMatchObject({ anchored: true });
    expect(latencyMs('0.0015')).toBe(2);
    expect(queueModel('RISK-AVERSE')).toEqual({ model: 'risk-averse' });
    expect(queueModel('l3-fifo')).toEqual({ model: 'l3-fifo' });
    expect(queueModel('prob')).toEqual({ model: 'prob', fn: 'power' });
    expect(queueModel('power2:4')).toEqual({ model: 'prob', fn: 'power2', n: 4 });
    expect(() => queueModel('prob:power:2:3')).toThrow(/prob:<fn>\[:n\]/);
  });
});
