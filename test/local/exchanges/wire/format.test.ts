import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoMicros, secondsText } from '../../../../local/exchanges/wire/format.ts';

describe('wire time formats', () => {
  it('isoMicros writes RFC 3339 with exactly six fraction digits', () => {
    expect(isoMicros(1618677817061845)).toBe('2021-04-17T16:43:37.061845Z');
    expect(isoMicros(1618677817000001)).toBe('2021-04-17T16:43:37.000001Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000_000 }), (us) => {
        const text = isoMicros(us);
        expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        expect(Date.parse(text)).toBe(Math.floor(us / 1000));
      }),
    );
  });

  it('secondsText writes Kraken v1 seconds exactly', () => {
    expect(secondsText(1618678132927716)).toBe('1618678132.927716');
    expect(secondsText(1618678132000000)).toBe('1618678132.000000');
  });
});
