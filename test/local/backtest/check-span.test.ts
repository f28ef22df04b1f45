import { describe, expect, it } from 'vitest';
import { checkTapeSpan } from '../../../local/backtest/check-span.ts';
import { bid, handTape } from '../../core/sim/support/hand-tape.ts';

describe('checkTapeSpan', () => {
  it('refuses a tape the equity clock cannot walk (captures of different sessions), with the reason', () => {
    const day = 86_400e6;
    const ok = handTape([
      { t: 1, rows: [bid(1, 1)] },
      { t: 50 * day, rows: [bid(1, 2)] },
    ]);
    expect(() => checkTapeSpan(ok, 1e6)).not.toThrow();
    const years = handTape([
      { t: 1, rows: [bid(1, 1)] },
      { t: 1000 * day, rows: [bid(1, 2)] },
    ]);
    expect(() => checkTapeSpan(years, 1e6)).toThrow(
      /spans 1000\.0 days .*86 M samples.*--from\/--to or --symbols/,
    );
    expect(() => checkTapeSpan(years, 60e6)).not.toThrow();
  });
});
