import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoToMicros } from '../../../../core/venues/coinbase/iso-time.ts';

describe('isoToMicros', () => {
  it('reads Coinbase timestamps to exact microseconds', () => {
    expect(isoToMicros('2021-04-17T16:43:37.089723Z')).toBe(1618677817089723);
    expect(isoToMicros('2023-02-09T20:32:50.714964855Z')).toBe(1675974770714964); // ns truncated
    expect(isoToMicros('2019-08-14T20:42:27.265Z')).toBe(1565815347265000);
    expect(isoToMicros('1970-01-01T00:00:00Z')).toBe(0);
    expect(isoToMicros('2021-04-17T16:43:37+00:00')).toBe(1618677817000000);
  });

  it('gives 0 for anything else', () => {
    for (const bad of [
      '',
      'x',
      '2021-04-17',
      '2021-04-17T16:43:37',
      '2021-04-17T16:43:37.Z',
      '2021-13-17T16:43:37Z',
      '2021-04-17T16:43:37+02:00',
      5,
      null,
    ]) {
      expect(isoToMicros(bad)).toBe(0);
    }
  });

  it('agrees with Date on millisecond timestamps', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01Z'), max: new Date('2200-01-01Z'), noInvalidDate: true }),
        (d) => {
          expect(isoToMicros(d.toISOString())).toBe(d.getTime() * 1000);
        },
      ),
    );
  });
});
