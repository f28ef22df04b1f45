import { describe, expect, it } from 'vitest';
import { avellanedaStoikovQuotes } from '../../../../core/strategy/reference/avellaneda-stoikov.ts';
import { bookImbalance } from '../../../../core/strategy/reference/imbalance-taker.ts';

describe('Avellaneda–Stoikov quotes (Hummingbot formulas, bps units)', () => {
  it('flat inventory: symmetric around mid, δ = γσ + (2/γ)ln(1 + γ/κ)', () => {
    const q = avellanedaStoikovQuotes(0, 2, 0.5, 2, 0);
    const spread = 0.5 * 2 + (2 / 0.5) * Math.log(1 + 0.5 / 2); // 1 + 4·ln 1.25 = 1.8926
    expect(q.spreadBps).toBeCloseTo(spread, 12);
    expect(q.reservationBps).toBeCloseTo(0, 12);
    expect(q.bidBps).toBeCloseTo(-spread / 2, 12);
    expect(q.askBps).toBeCloseTo(spread / 2, 12);
  });

  it('long inventory lowers the reservation price by qγστ', () => {
    const q = avellanedaStoikovQuotes(0.5, 2, 0.5, 2, 0);
    expect(q.reservationBps).toBeCloseTo(-0.5, 12);
    expect(q.askBps).toBeCloseTo(-0.5 + q.spreadBps / 2, 12);
  });

  it('the minimum spread bounds both quotes', () => {
    const q = avellanedaStoikovQuotes(3, 2, 0.5, 2, 1);
    // r = −3: the bid (far below) stays; the ask would be below mid − … → lifted to mid + 0.5.
    expect(q.askBps).toBe(0.5);
    expect(q.bidBps).toBeLessThan(-0.5);
  });
});

describe('book imbalance', () => {
  it('(B − A)/(B + A)', () => {
    expect(bookImbalance(3, 1)).toBe(0.5);
    expect(bookImbalance(0, 0)).toBeNaN();
  });
});
