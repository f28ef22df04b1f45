import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KrakenNonce } from '../../../../fargate/execution/kraken/nonce.ts';

describe('KrakenNonce', () => {
  it('follows the wall clock in microseconds', () => {
    let now = 1_700_000_000_000;
    const nonce = new KrakenNonce(() => now);
    expect(nonce.next()).toBe('1700000000000000');
    now += 5;
    expect(nonce.next()).toBe('1700000000005000');
  });

  it('keeps counting up when the clock goes backwards', () => {
    let now = 1_700_000_000_000;
    const nonce = new KrakenNonce(() => now);
    const first = Number(nonce.next());
    now -= 60_000; // NTP steps the clock back a minute
    const second = Number(nonce.next());
    const third = Number(nonce.next());
    expect(second).toBe(first + 1);
    expect(third).toBe(first + 2);
    now += 120_000; // the clock overtakes the counter again
    expect(Number(nonce.next())).toBe((1_700_000_000_000 + 60_000) * 1000);
  });

  it('starts above what the key used before a restart, even with the clock behind', () => {
    const nonce = new KrakenNonce(() => 1_000, 9_000_000_000);
    expect(nonce.next()).toBe('9000000001');
    expect(() => new KrakenNonce(() => 0, -1)).toThrow();
  });

  it('is strictly increasing whatever the clock does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4_000_000_000_000 }), { minLength: 1, maxLength: 200 }),
        (times) => {
          let i = 0;
          const nonce = new KrakenNonce(() => times[i]!);
          let last = -1;
          for (; i < times.length; i++) {
            const n = Number(nonce.next());
            expect(Number.isSafeInteger(n)).toBe(true);
            expect(n).toBeGreaterThan(last);
            last = n;
          }
          expect(nonce.lastIssued).toBe(last);
        },
      ),
    );
  });
});
