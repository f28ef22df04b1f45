import { describe, expect, it } from 'vitest';
import { isCrossedBook } from '../../../../core/quality/validators/crossed-book.ts';

describe('isCrossedBook', () => {
  it('a normal book (bid < ask) is not crossed', () => {
    expect(isCrossedBook(6_168_599, 6_168_600)).toBe(false);
  });

  it('bid above ask is crossed', () => {
    expect(isCrossedBook(6_168_601, 6_168_600)).toBe(true);
  });

  it('bid equal to ask (locked) counts as crossed', () => {
    expect(isCrossedBook(100, 100)).toBe(true);
  });

  it('an empty side (NaN best price) is never crossed', () => {
    expect(isCrossedBook(Number.NaN, 100)).toBe(false);
    expect(isCrossedBook(100, Number.NaN)).toBe(false);
    expect(isCrossedBook(Number.NaN, Number.NaN)).toBe(false);
  });
});
