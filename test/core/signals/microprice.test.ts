import { describe, expect, it } from 'vitest';
import { StoikovMicroprice } from '../../../core/signals/context/stoikov-microprice.ts';

describe('StoikovMicroprice (first-order, online)', () => {
  it('falls back to the weighted mid until a state has enough observations', () => {
    const m = new StoikovMicroprice(10, 20);
    expect(m.observe(100.5, 8, 2, 1, 1, 100.8)).toBe(100.8);
  });

  it('learns g¹ exactly: the mean next mid move after each state, symmetrized', () => {
    const m = new StoikovMicroprice(10, 4);
    // State A: I = 0.85 (bucket 8), spread 1 tick. After each A observation the mid moves +1 tick.
    // 4 rounds: observe A at mid M, then the mid moves to M+1 (state observed there is I = 0.5).
    let mid = 1000.5;
    for (let r = 0; r < 4; r++) {
      m.observe(mid, 85, 15, 1, 1, Number.NaN);
      mid += 1;
      m.observe(mid, 50, 50, 1, 1, Number.NaN);
    }
    const a = m.state(85, 15, 1);
    const mirror = m.state(15, 85, 1);
    // A waited 4 times, each credited +1 tick → g¹ = 1; the mirrored state gets −1 from the same data.
    expect(m.g1(a)).toBe(1);
    expect(m.g1(mirror)).toBe(-1);
    // The estimate is mid + g¹ · tick for a learned state.
    expect(m.observe(mid, 85, 15, 1, 1, 0)).toBe(mid + 1);
    expect(m.observe(mid, 15, 85, 1, 1, 0)).toBe(mid - 1);
  });
});
