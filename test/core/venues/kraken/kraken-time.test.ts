import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfc3339ToMicros, secondsTextToMicros } from '../../../../core/venues/kraken/kraken-time.ts';

describe('Kraken timestamps', () => {
  it('reads v1 decimal seconds exactly, cutting below the microsecond', () => {
    expect(secondsTextToMicros('1618678133.384500')).toBe(1618678133384500);
    expect(secondsTextToMicros('1618678134.2')).toBe(1618678134200000);
    expect(secondsTextToMicros('1618678134')).toBe(1618678134000000);
    expect(secondsTextToMicros('1618678132.9348202')).toBe(1618678132934820);
    expect(secondsTextToMicros('x')).toBe(0);
    expect(secondsTextToMicros('[1.5]', 1, 4)).toBe(1500000);
  });

  it('reads v2 RFC 3339 times', () => {
    expect(rfc3339ToMicros('2023-09-25T07:48:36.925533Z')).toBe(
      Date.UTC(2023, 8, 25, 7, 48, 36) * 1000 + 925533,
    );
    expect(rfc3339ToMicros('2023-09-25T07:48:36Z')).toBe(Date.UTC(2023, 8, 25, 7, 48, 36) * 1000);
    expect(rfc3339ToMicros('2023-09-25T09:48:36.5+02:00')).toBe(
      Date.UTC(2023, 8, 25, 7, 48, 36) * 1000 + 500000,
    );
    expect(rfc3339ToMicros('2023-09-25 07:48:36Z')).toBe(0);
    expect(rfc3339ToMicros('garbage')).toBe(0);
    expect(rfc3339ToMicros('2023-09-25T07:48:36.1Zjunk')).toBe(0);
  });

  it('agrees with Date on random millisecond times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 0, max: 999 }),
        (ms, us) => {
          const iso = new Date(ms).toISOString().replace('Z', `${String(us).padStart(3, '0')}Z`);
          expect(rfc3339ToMicros(iso)).toBe(ms * 1000 + us);
        },
      ),
    );
  });
});
