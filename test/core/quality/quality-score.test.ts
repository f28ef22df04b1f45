import { describe, expect, it } from 'vitest';
import { ISSUE_COUNT, Issue, QUALITY_ISSUES } from '../../../core/quality/issue-codes.ts';
import { qualityScore, saturatingCount } from '../../../core/quality/quality-score.ts';
import { TEST_WEIGHTS } from './rules-fixture.ts';

const weights = Float64Array.from(QUALITY_ISSUES, (code) => TEST_WEIGHTS[code]);

function counts(entries: Array<[number, number]>): Float64Array {
  const c = new Float64Array(ISSUE_COUNT);
  for (const [i, n] of entries) c[i] = n;
  return c;
}

describe('issue indices', () => {
  it('are distinct and match the code list', () => {
    const idx = Object.values(Issue);
    expect(new Set(idx).size).toBe(ISSUE_COUNT);
    expect(Math.min(...idx)).toBe(0);
    expect(Math.max(...idx)).toBe(ISSUE_COUNT - 1);
    expect(QUALITY_ISSUES[Issue.SequenceGap]).toBe('sequence_gap');
  });
});

describe('qualityScore', () => {
  it('is 100 without issues', () => {
    expect(qualityScore(counts([]), weights)).toBe(100);
  });

  it('subtracts weight × occurrences per issue', () => {
    expect(qualityScore(counts([[Issue.SequenceGap, 1]]), weights)).toBe(80);
    expect(
      qualityScore(
        counts([
          [Issue.SequenceGap, 2],
          [Issue.DuplicateTradeId, 1],
          [Issue.CrossedBook, 1],
        ]),
        weights,
      ),
    ).toBe(100 - 40 - 10 - 30);
  });

  it('floors at 0', () => {
    expect(qualityScore(counts([[Issue.StaleData, 7]]), weights)).toBe(0);
  });
});

describe('saturatingCount', () => {
  it('is the number of occurrences that takes the score to 0', () => {
    expect(saturatingCount(20)).toBe(5);
    expect(saturatingCount(30)).toBe(4);
    expect(saturatingCount(0)).toBe(1);
    expect(saturatingCount(0.001)).toBe(1024);
  });
});
