import { describe, expect, it } from 'vitest';
import { isStale } from '../../../../core/quality/validators/staleness.ts';

describe('isStale', () => {
  const last = 1_723_161_255_000_000;

  it('is fresh up to and including the maximum age', () => {
    expect(isStale(last, last + 4_999_999, 5_000_000)).toBe(false);
    expect(isStale(last, last + 5_000_000, 5_000_000)).toBe(false);
  });

  it('is stale beyond the maximum age', () => {
    expect(isStale(last, last + 5_000_001, 5_000_000)).toBe(true);
  });

  it('no data yet is not stale, and an Infinity age never is', () => {
    expect(isStale(0, last, 5_000_000)).toBe(false);
    expect(isStale(last, last + 1e12, Number.POSITIVE_INFINITY)).toBe(false);
  });
});
