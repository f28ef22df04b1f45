import { describe, expect, it } from 'vitest';
import { ParamError, resolveParams } from '../../../core/strategy/params.ts';
import { defaultRegistry } from '../../../core/strategy/registry.ts';

const specs = {
  size: { default: 1, min: 0, description: '' },
  name: { default: 'x', description: '' },
  on: { default: false, description: '' },
};

describe('resolveParams', () => {
  it('overlays defaults and converts command-line strings', () => {
    expect(resolveParams(specs, { size: '2.5', on: 'true' })).toEqual({ size: 2.5, name: 'x', on: true });
  });

  it('reports every problem at once', () => {
    try {
      resolveParams(specs, { size: -1, nope: 3, on: 'maybe' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParamError);
      expect((e as ParamError).problems).toHaveLength(3);
    }
  });
});

describe('defaultRegistry', () => {
  it('holds the four reference strategies with their parameters', () => {
    const r = defaultRegistry();
    expect(r.names()).toEqual(['market-maker', 'avellaneda-stoikov', 'imbalance-taker', 'hifa']);
    expect(Object.keys(r.get('market-maker').params)).toEqual(
      expect.arrayContaining([
        'spread_bps',
        'order_size',
        'num_levels',
        'skew_bps',
        'max_position',
        'reprice_threshold_bps',
      ]),
    );
    expect(r.create('imbalance-taker', { threshold: '0.7' }).params.threshold).toBe(0.7);
    expect(() => r.get('nope')).toThrow(/unknown strategy "nope"/);
    expect(() => r.create('market-maker', { spread: 3 })).toThrow(ParamError);
  });
});
